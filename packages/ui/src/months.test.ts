import { describe, expect, it } from "vitest";
import { monthLabel, monthPeriod, periodLabel } from "./months";

describe("month words", () => {
  it("labels months and periods for people", () => {
    expect(monthLabel("2026-02")).toBe("February 2026");
    expect(monthPeriod("2028-02")).toEqual({ from: "2028-02-01", to: "2028-02-29" });
    expect(periodLabel("2026-02-01", "2026-02-28")).toBe("February 2026");
    expect(periodLabel("2026-02-03", "2026-03-02")).toBe("Feb 3, 2026 – Mar 2, 2026");
    expect(periodLabel("2026-02-03", "2026-02-03")).toBe("Feb 3, 2026");
  });
});
