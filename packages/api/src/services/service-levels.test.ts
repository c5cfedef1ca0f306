import { AppError } from "@wedsync/core";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { MAX_OVERVIEW_HOURS, resolveOverviewPeriod } from "./service-levels";

const HOUR = 3_600_000;
const NOW = new Date("2026-06-15T12:34:56.789Z");

function fieldOf(call: () => unknown): string | undefined {
  try {
    call();
  } catch (err) {
    expect(err).toBeInstanceOf(AppError);
    return (err as AppError).fieldErrors[0]?.field;
  }
  throw new Error("expected a refusal");
}

describe("resolveOverviewPeriod", () => {
  it("defaults to the last 24 hours, the current one included", () => {
    expect(resolveOverviewPeriod({}, NOW)).toEqual({
      from: new Date("2026-06-14T13:00:00.000Z"),
      to: new Date("2026-06-15T13:00:00.000Z"),
      hours: 24,
      granularity: "hour",
    });
    expect(resolveOverviewPeriod({ hours: 72 }, NOW)).toMatchObject({ hours: 72, granularity: "day" });
  });

  it("takes UTC days (to through its end) and instants (widened to whole hours)", () => {
    expect(resolveOverviewPeriod({ from: "2026-06-01", to: "2026-06-02" }, NOW)).toMatchObject({
      from: new Date("2026-06-01T00:00:00.000Z"),
      to: new Date("2026-06-03T00:00:00.000Z"),
      hours: 48,
      granularity: "hour",
    });
    expect(
      resolveOverviewPeriod({ from: "2026-06-10T08:30:00+02:00", to: new Date("2026-06-10T09:00:01Z") }, NOW),
    ).toMatchObject({ from: new Date("2026-06-10T06:00:00.000Z"), to: new Date("2026-06-10T10:00:00.000Z") });
    // No `to`: up to the end of the current hour.
    expect(resolveOverviewPeriod({ from: "2026-06-15" }, NOW).to).toEqual(
      new Date("2026-06-15T13:00:00.000Z"),
    );
  });

  it("refuses, naming the field: both ways at once, to without from, backwards, too long, in the future", () => {
    expect(fieldOf(() => resolveOverviewPeriod({ hours: 5, from: "2026-06-01" }, NOW))).toBe("hours");
    expect(fieldOf(() => resolveOverviewPeriod({ to: "2026-06-01" }, NOW))).toBe("from");
    expect(fieldOf(() => resolveOverviewPeriod({ from: "2026-06-02", to: "2026-06-01" }, NOW))).toBe("to");
    expect(fieldOf(() => resolveOverviewPeriod({ from: "2026-05-01", to: "2026-06-01" }, NOW))).toBe("to");
    expect(fieldOf(() => resolveOverviewPeriod({ from: "2026-06-15T13:00:00Z" }, NOW))).toBe("from");
    // 31 days is the most.
    expect(resolveOverviewPeriod({ from: "2026-05-01", to: "2026-05-31" }, NOW).hours).toBe(
      MAX_OVERVIEW_HOURS,
    );
  });

  it("any accepted period is whole hours, at most 31 days, and covers the instants asked for (property)", () => {
    const instant = fc.integer({ min: NOW.getTime() - 60 * 24 * HOUR, max: NOW.getTime() + 2 * HOUR });
    fc.assert(
      fc.property(instant, instant, (a, b) => {
        let p: ReturnType<typeof resolveOverviewPeriod>;
        try {
          p = resolveOverviewPeriod({ from: new Date(a), to: new Date(b) }, NOW);
        } catch (err) {
          expect(err).toBeInstanceOf(AppError);
          return;
        }
        expect(p.from.getTime() % HOUR).toBe(0);
        expect(p.to.getTime() % HOUR).toBe(0);
        expect(p.from.getTime()).toBeLessThanOrEqual(a);
        expect(p.to.getTime()).toBeGreaterThanOrEqual(b);
        expect(p.hours).toBeGreaterThanOrEqual(1);
        expect(p.hours).toBeLessThanOrEqual(MAX_OVERVIEW_HOURS);
        expect(p.from.getTime()).toBeLessThan(NOW.getTime() + HOUR);
      }),
    );
  });
});
