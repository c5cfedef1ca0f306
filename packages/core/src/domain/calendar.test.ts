import { describe, expect, it } from "vitest";
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
