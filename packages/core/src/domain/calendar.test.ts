import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { secondsUntilNextDay } from "./admission";
import {
  addDays,
  dayInTimezone,
  isValidTimezone,
  lastDayOfMonth,
  monthInTimezone,
  splitIntoMonths,
} from "./calendar";

describe("dayInTimezone", () => {
  it.each([
    ["2027-06-12T23:30:00Z", "UTC", "2027-06-12"],
    ["2027-06-12T23:30:00Z", "Europe/Paris", "2027-06-13"], // 01:30 next day in Paris (CEST)
    ["2027-06-12T03:30:00Z", "America/New_York", "2027-06-11"], // 23:30 the day before (EDT)
    ["2027-01-01T04:59:59Z", "America/New_York", "2026-12-31"],
    ["2027-01-01T05:00:00Z", "America/New_York", "2027-01-01"],
    ["2027-03-28T00:59:59Z", "Europe/London", "2027-03-28"], // DST starts at 01:00 UTC that day
  ])("%s in %s is %s", (iso, tz, day) => {
    expect(dayInTimezone(new Date(iso), tz)).toBe(day);
  });

  it("months follow the same boundary", () => {
    expect(monthInTimezone(new Date("2027-06-30T22:30:00Z"), "Europe/Paris")).toBe("2027-07");
    expect(monthInTimezone(new Date("2027-06-30T22:30:00Z"), "UTC")).toBe("2027-06");
  });

  it("tells valid IANA zones from junk", () => {
    expect(isValidTimezone("Europe/London")).toBe(true);
    expect(isValidTimezone("Mars/Olympus_Mons")).toBe(false);
  });
});

describe("secondsUntilNextDay", () => {
  it.each([
    ["2027-06-12T23:00:00Z", "UTC", 3600],
    ["2027-06-12T21:30:00Z", "Europe/Paris", 1800], // 23:30 CEST
    // 28 March 2027 in London has 23 hours (clocks go forward at 01:00 UTC): from 00:30 GMT, 22.5 h.
    ["2027-03-28T00:30:00Z", "Europe/London", 22.5 * 3600],
    // 31 October 2027 has 25 hours (back at 01:00 UTC): from 01:30 BST, 23.5 h, where 24 h - 1:30 says 22.5.
    ["2027-10-31T00:30:00Z", "Europe/London", 23.5 * 3600],
  ])("%s in %s: %s s", (iso, tz, seconds) => {
    expect(secondsUntilNextDay(new Date(iso), tz)).toBe(seconds);
  });

  it("always lands exactly where the calendar day turns (property)", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: Date.UTC(2026, 0, 1), max: Date.UTC(2028, 0, 1) }),
        fc.constantFrom("UTC", "Europe/London", "America/New_York", "Australia/Sydney", "Asia/Kolkata"),
        (ms, tz) => {
          const now = new Date(Math.floor(ms / 1000) * 1000);
          const s = secondsUntilNextDay(now, tz);
          expect(dayInTimezone(new Date(now.getTime() + s * 1000), tz)).not.toBe(dayInTimezone(now, tz));
          if (s > 1)
            expect(dayInTimezone(new Date(now.getTime() + (s - 1) * 1000), tz)).toBe(dayInTimezone(now, tz));
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe("splitIntoMonths", () => {
  it.each([
    // A whole month: one month, no loose days.
    [{ from: "2026-08-01", to: "2026-08-31" }, { from: "2026-08-01", to: "2026-08-01" }, []],
    // Inside one month: all loose days.
    [{ from: "2026-08-03", to: "2026-08-20" }, null, [{ from: "2026-08-03", to: "2026-08-20" }]],
    // Thirty days across two months, neither whole.
    [{ from: "2026-10-27", to: "2026-11-25" }, null, [{ from: "2026-10-27", to: "2026-11-25" }]],
    // A quarter.
    [{ from: "2026-07-01", to: "2026-09-30" }, { from: "2026-07-01", to: "2026-09-01" }, []],
    // A year to date: loose days at both ends, February of a leap year whole.
    [
      { from: "2027-11-26", to: "2028-11-25" },
      { from: "2027-12-01", to: "2028-10-01" },
      [
        { from: "2027-11-26", to: "2027-11-30" },
        { from: "2028-11-01", to: "2028-11-25" },
      ],
    ],
    [{ from: "2028-02-01", to: "2028-02-29" }, { from: "2028-02-01", to: "2028-02-01" }, []],
    [{ from: "2028-02-01", to: "2028-02-28" }, null, [{ from: "2028-02-01", to: "2028-02-28" }]],
  ])("%o → months %o, days %o", (period, months, days) => {
    expect(splitIntoMonths(period)).toEqual({ months, days });
  });

  it("puts every day of any period in exactly one part", () => {
    const day = fc
      .integer({ min: Date.UTC(2024, 0, 1), max: Date.UTC(2029, 11, 31) })
      .map((ms) => new Date(ms).toISOString().slice(0, 10));
    fc.assert(
      fc.property(day, fc.integer({ min: 0, max: 800 }), (from, length) => {
        const to = addDays(from, length);
        const { months, days } = splitIntoMonths({ from, to });
        const covered: string[] = [];
        for (const r of days) for (let d = r.from; d <= r.to; d = addDays(d, 1)) covered.push(d);
        if (months) {
          expect(months.from.endsWith("-01") && months.to.endsWith("-01")).toBe(true);
          for (let d = months.from; d <= lastDayOfMonth(months.to.slice(0, 7)); d = addDays(d, 1))
            covered.push(d);
        }
        covered.sort();
        const expected: string[] = [];
        for (let d = from; d <= to; d = addDays(d, 1)) expected.push(d);
        expect(covered).toEqual(expected);
        // Loose days only where a whole month does not fit: fewer than two months' worth.
        expect(
          days.reduce((n, r) => n + (Date.parse(r.to) - Date.parse(r.from)) / 86_400_000 + 1, 0),
        ).toBeLessThan(62);
      }),
    );
  });
});
