import { describe, expect, it } from "vitest";
import { cellText, dayWords, shortPoint } from "./figure-cells";

describe("figure cells", () => {
  it("writes days, months and hours for people, in UTC, and says when there is no figure", () => {
    expect(dayWords("2026-05-20")).toBe("20 May 2026");
    expect(cellText({ key: "d", label: "Day", kind: "day" }, "2026-05-20")).toBe("20 May 2026");
    expect(cellText({ key: "m", label: "Month", kind: "month" }, "2026-05")).toBe("May 2026");
    expect(cellText({ key: "h", label: "Hour", kind: "hour" }, "2026-05-20T14:00:00.000Z")).toBe(
      "20 May 2026 at 14:00 UTC",
    );
    expect(shortPoint("2026-05-20T09:00:00.000Z", "hour")).toBe("20 May, 09:00");
    expect(cellText({ key: "p", label: "Errors (%)", kind: "percent" }, "0.25")).toBe("0.25%");
    expect(cellText({ key: "t", label: "p95", kind: "ms" }, null)).toBe("no data");
  });
});
