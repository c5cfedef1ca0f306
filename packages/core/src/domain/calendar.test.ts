import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { secondsUntilNextDay } from "./admission";
import { dayInTimezone, isValidTimezone, monthInTimezone } from "./calendar";

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
