import { describe, expect, it } from "vitest";
import { closedUnissuedMonths } from "./months";

describe("closedUnissuedMonths", () => {
  it("offers only finished months, newest first, never the current one", () => {
    const now = new Date("2026-03-15T12:00:00Z");
    const months = closedUnissuedMonths(now, "America/New_York", [], 3);
    expect(months).toEqual(["2026-02", "2026-01", "2025-12"]);
  });

  it("decides the current month in the organization's timezone", () => {
    // 1 April 02:00 UTC is still 31 March in New York: March is not finished there yet.
    const now = new Date("2026-04-01T02:00:00Z");
    expect(closedUnissuedMonths(now, "America/New_York", [], 1)).toEqual(["2026-02"]);
    // …but it is already April in London, so March is closed.
    expect(closedUnissuedMonths(now, "Europe/London", [], 1)).toEqual(["2026-03"]);
  });

  it("leaves out months already invoiced, and months an odd-period invoice touches", () => {
    const now = new Date("2026-05-10T12:00:00Z");
    const issued = [
      { periodStart: "2026-04-01", periodEnd: "2026-04-30" },
      // A custom period ending on 1 February shares a day with February.
      { periodStart: "2026-01-20", periodEnd: "2026-02-01" },
    ];
    expect(closedUnissuedMonths(now, "UTC", issued, 5)).toEqual(["2026-03", "2025-12"]);
  });

  it("offers nothing when every month in reach is invoiced", () => {
    const now = new Date("2026-03-02T12:00:00Z");
    const issued = [{ periodStart: "2025-01-01", periodEnd: "2026-02-28" }];
    expect(closedUnissuedMonths(now, "UTC", issued, 12)).toEqual([]);
  });
});
