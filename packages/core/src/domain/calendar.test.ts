import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { secondsUntilNextDay } from "./admission";
import {
  addDays,
  addMonths,
  coverWithMonths,
  dayCount,
  dayInTimezone,
  daysOf,
  isValidTimezone,
  lastDayOfMonth,
  lastDays,
  monthInTimezone,
  monthsBetween,
  monthToDate,
  sameDayLastYear,
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

  it("answers from its per-second memo exactly as formatting afresh would (property)", () => {
    const fresh = (d: Date, tz: string) => {
      const parts = new Intl.DateTimeFormat("en-CA", {
        timeZone: tz,
        year: "numeric",
        month: "2-digit",
        day: "2-digit",
      }).formatToParts(d);
      const get = (t: string) => parts.find((p) => p.type === t)?.value;
      return `${get("year")}-${get("month")}-${get("day")}`;
    };
    fc.assert(
      fc.property(
        // Pairs of instants up to 1.5 s apart, asked in sequence as a busy process would, in zones
        // with odd offsets too (Amsterdam was UTC+00:19:32 until 1937; Kathmandu +05:45).
        fc.array(
          fc.tuple(
            fc.integer({ min: Date.UTC(1930, 0, 1), max: Date.UTC(2030, 0, 1) }),
            fc.integer({ min: -1500, max: 1500 }),
            fc.constantFrom(
              "UTC",
              "Europe/Amsterdam",
              "America/New_York",
              "Asia/Kathmandu",
              "Pacific/Chatham",
            ),
          ),
          { minLength: 1, maxLength: 30 },
        ),
        (asks) => {
          for (const [base, deltaMs, tz] of asks) {
            const d = new Date(base + deltaMs);
            expect(dayInTimezone(d, tz)).toBe(fresh(d, tz));
            expect(dayInTimezone(new Date(base), tz)).toBe(fresh(new Date(base), tz));
          }
        },
      ),
      { numRuns: 200 },
    );
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

describe("coverWithMonths", () => {
  it.each([
    // A whole month: the month alone.
    [{ from: "2026-08-01", to: "2026-08-31" }, { from: "2026-08-01", to: "2026-08-01" }, [], []],
    // A few days: the days.
    [{ from: "2026-08-03", to: "2026-08-09" }, null, [{ from: "2026-08-03", to: "2026-08-09" }], []],
    // Most of a month: the month less the days outside.
    [
      { from: "2026-08-03", to: "2026-08-30" },
      { from: "2026-08-01", to: "2026-08-01" },
      [],
      [
        { from: "2026-08-01", to: "2026-08-02" },
        { from: "2026-08-31", to: "2026-08-31" },
      ],
    ],
    // The last 30 days up to 24 November: six October days, and November less its last six.
    [
      { from: "2026-10-26", to: "2026-11-24" },
      { from: "2026-11-01", to: "2026-11-01" },
      [{ from: "2026-10-26", to: "2026-10-31" }],
      [{ from: "2026-11-25", to: "2026-11-30" }],
    ],
    // A quarter.
    [{ from: "2026-07-01", to: "2026-09-30" }, { from: "2026-07-01", to: "2026-09-01" }, [], []],
    // February of a leap year, whole and not.
    [{ from: "2028-02-01", to: "2028-02-29" }, { from: "2028-02-01", to: "2028-02-01" }, [], []],
    [
      { from: "2028-02-01", to: "2028-02-28" },
      { from: "2028-02-01", to: "2028-02-01" },
      [],
      [{ from: "2028-02-29", to: "2028-02-29" }],
    ],
  ])("%o → months %o, plus %o, minus %o", (period, months, plus, minus) => {
    expect(coverWithMonths(period)).toEqual({ months, plus, minus });
  });

  it("counts every day of any period exactly once, and no other day; reads at most half of a partial month", () => {
    const day = fc
      .integer({ min: Date.UTC(2024, 0, 1), max: Date.UTC(2029, 11, 31) })
      .map((ms) => new Date(ms).toISOString().slice(0, 10));
    const days = (r: { from: string; to: string }) => {
      const out: string[] = [];
      for (let d = r.from; d <= r.to; d = addDays(d, 1)) out.push(d);
      return out;
    };
    fc.assert(
      fc.property(day, fc.integer({ min: 0, max: 800 }), (from, length) => {
        const to = addDays(from, length);
        const { months, plus, minus } = coverWithMonths({ from, to });
        const count = new Map<string, number>();
        const add = (d: string, n: number) => count.set(d, (count.get(d) ?? 0) + n);
        if (months) {
          expect(months.from.endsWith("-01") && months.to.endsWith("-01")).toBe(true);
          for (const d of days({ from: months.from, to: lastDayOfMonth(months.to.slice(0, 7)) })) add(d, 1);
        }
        for (const r of plus) for (const d of days(r)) add(d, 1);
        for (const r of minus) for (const d of days(r)) add(d, -1);
        for (const [d, n] of count) expect([d, n]).toEqual([d, d >= from && d <= to ? 1 : 0]);
        for (const d of days({ from, to })) expect(count.get(d)).toBe(1);
        // Daily rows read: at most about half of each of the (at most two) partial months.
        const read = [...plus, ...minus].reduce((n, r) => n + days(r).length, 0);
        expect(read).toBeLessThanOrEqual(32);
      }),
    );
  });
});

/** Any day from 1901 to 2099, "YYYY-MM-DD". */
const anyDay = fc
  .integer({ min: Date.UTC(1901, 0, 1), max: Date.UTC(2099, 11, 31) })
  .map((ms) => new Date(ms).toISOString().slice(0, 10));

describe("day and month stepping", () => {
  it.each([
    ["2027-06-12", 1, "2027-06-13"],
    ["2027-06-30", 1, "2027-07-01"],
    ["2027-01-01", -1, "2026-12-31"],
    ["2028-02-28", 1, "2028-02-29"],
    ["2027-02-28", 1, "2027-03-01"],
    ["2027-03-28", -29, "2027-02-27"],
  ])("addDays(%s, %s) is %s", (day, n, expected) => {
    expect(addDays(day, n)).toBe(expected);
  });

  it.each([
    ["2027-06", 1, "2027-07"],
    ["2027-12", 1, "2028-01"],
    ["2027-01", -1, "2026-12"],
    ["2027-06", -30, "2024-12"],
    ["2027-06", 0, "2027-06"],
  ])("addMonths(%s, %s) is %s", (month, n, expected) => {
    expect(addMonths(month, n)).toBe(expected);
  });

  it("lists the months between two months, both included", () => {
    expect(monthsBetween("2026-11", "2027-02")).toEqual(["2026-11", "2026-12", "2027-01", "2027-02"]);
    expect(monthsBetween("2027-02", "2027-02")).toEqual(["2027-02"]);
    expect(monthsBetween("2027-03", "2027-02")).toEqual([]);
  });

  it("lists and counts the days of a range", () => {
    expect(daysOf({ from: "2028-02-27", to: "2028-03-01" })).toEqual([
      "2028-02-27",
      "2028-02-28",
      "2028-02-29",
      "2028-03-01",
    ]);
    expect(dayCount({ from: "2027-01-01", to: "2027-12-31" })).toBe(365);
    expect(dayCount({ from: "2027-06-02", to: "2027-06-01" })).toBe(0);
    expect(daysOf({ from: "2027-06-02", to: "2027-06-01" })).toEqual([]);
  });

  it("steps are inverse, in order, and agree with daysOf and monthsBetween (property)", () => {
    fc.assert(
      fc.property(anyDay, fc.integer({ min: -800, max: 800 }), (day, n) => {
        const later = addDays(day, n);
        expect(addDays(later, -n)).toBe(day);
        expect(Math.sign(later.localeCompare(day))).toBe(Math.sign(n));
        const month = day.slice(0, 7);
        const m = addMonths(month, n);
        expect(addMonths(m, -n)).toBe(month);
        expect(Math.sign(m.localeCompare(month))).toBe(Math.sign(n));
        if (n >= 0) {
          const days = daysOf({ from: day, to: later });
          expect(days).toHaveLength(n + 1);
          expect(dayCount({ from: day, to: later })).toBe(n + 1);
          expect(days.at(-1)).toBe(later);
          const months = monthsBetween(month, m);
          expect(months).toHaveLength(n + 1);
          // Every month of the days' span is listed once, in order.
          expect(monthsBetween(day.slice(0, 7), later.slice(0, 7))).toEqual([
            ...new Set(days.map((d) => d.slice(0, 7))),
          ]);
        }
      }),
    );
  });
});

describe("periods ending on a day", () => {
  it.each([
    ["2027-06-12", 30, { from: "2027-05-14", to: "2027-06-12" }],
    ["2027-03-01", 30, { from: "2027-01-31", to: "2027-03-01" }],
    ["2028-03-01", 7, { from: "2028-02-24", to: "2028-03-01" }],
    ["2027-06-12", 1, { from: "2027-06-12", to: "2027-06-12" }],
  ])("the last days up to %s, %s of them: %o", (to, n, range) => {
    expect(lastDays(to, n)).toEqual(range);
    expect(dayCount(lastDays(to, n))).toBe(n);
  });

  it("this month up to a day", () => {
    expect(monthToDate("2027-06-12")).toEqual({ from: "2027-06-01", to: "2027-06-12" });
    expect(monthToDate("2027-06-01")).toEqual({ from: "2027-06-01", to: "2027-06-01" });
  });
});

describe("sameDayLastYear", () => {
  it.each([
    ["2027-06-12", "2026-06-12"],
    ["2027-01-01", "2026-01-01"],
    ["2028-02-29", "2027-02-28"], // no 29 February in 2027
    ["2029-02-28", "2028-02-28"], // not the leap day: the 28th stays the 28th
    ["2028-03-01", "2027-03-01"],
  ])("%s → %s", (day, expected) => {
    expect(sameDayLastYear(day)).toBe(expected);
  });

  it("keeps the month, and the day unless the month is shorter a year earlier (property)", () => {
    fc.assert(
      fc.property(anyDay, (day) => {
        const before = sameDayLastYear(day);
        expect(Number(before.slice(0, 4))).toBe(Number(day.slice(0, 4)) - 1);
        expect(before.slice(5, 7)).toBe(day.slice(5, 7));
        // A real day (addDays normalizes any overflow, so a real day is its own image).
        expect(addDays(before, 0)).toBe(before);
        const lastDay = Number(lastDayOfMonth(before.slice(0, 7)).slice(8));
        expect(Number(before.slice(8))).toBe(Math.min(Number(day.slice(8)), lastDay));
      }),
    );
  });
});
