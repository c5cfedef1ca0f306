import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { addDays, dayInTimezone } from "./calendar";
import { startOfDayInTimezone } from "./day-start";

const ZONES = [
  "UTC",
  "Europe/London",
  "Europe/Paris",
  "America/New_York",
  "America/Santiago",
  "Asia/Kolkata",
  "Asia/Kathmandu",
  "Australia/Lord_Howe",
  "Pacific/Kiritimati",
  "Pacific/Pago_Pago",
];

describe("startOfDayInTimezone", () => {
  it.each([
    ["2026-01-02", "UTC", "2026-01-02T00:00:00.000Z"],
    ["2026-01-02", "Europe/Paris", "2026-01-01T23:00:00.000Z"],
    ["2026-07-02", "Europe/Paris", "2026-07-01T22:00:00.000Z"],
    // New York springs forward at 02:00 on 8 March 2026: the day still starts at 00:00 EST.
    ["2026-03-08", "America/New_York", "2026-03-08T05:00:00.000Z"],
    ["2026-03-09", "America/New_York", "2026-03-09T04:00:00.000Z"],
    ["2026-01-02", "Asia/Kolkata", "2026-01-01T18:30:00.000Z"],
    ["2026-01-02", "Pacific/Kiritimati", "2026-01-01T10:00:00.000Z"],
    ["2026-01-02", "Pacific/Pago_Pago", "2026-01-02T11:00:00.000Z"],
  ])("%s in %s begins at %s", (day, zone, instant) => {
    expect(startOfDayInTimezone(day, zone).toISOString()).toBe(instant);
  });

  it("refuses what is not a day", () => {
    expect(() => startOfDayInTimezone("2026-13-01", "UTC")).toThrow(RangeError);
  });

  it("property: the instant is on that day there, and the second before it is on an earlier day", () => {
    const dayArb = fc.integer({ min: 0, max: 365 * 50 }).map((n) => addDays("1990-01-01", n));
    fc.assert(
      fc.property(dayArb, fc.constantFrom(...ZONES), (day, zone) => {
        const start = startOfDayInTimezone(day, zone);
        expect(dayInTimezone(start, zone)).toBe(day);
        expect(dayInTimezone(new Date(start.getTime() - 1000), zone) < day).toBe(true);
      }),
      { numRuns: 500 },
    );
  });
});
