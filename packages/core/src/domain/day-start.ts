import { dayInTimezone } from "./calendar";

/** UTC offsets run from -12 h to +14 h: a day starts within these bounds of its UTC midnight. */
const EARLIEST_MS = -14 * 3_600_000;
const LATEST_MS = 12 * 3_600_000;

/**
 * The instant `day` ("YYYY-MM-DD") begins in `timeZone`: the first second whose local date is
 * that day (01:00 on a day whose midnight a clock change skips). Found with the same timezone
 * rules that count days everywhere else (dayInTimezone), so a filter "from this day" agrees
 * with the days shown on screen.
 */
export function startOfDayInTimezone(day: string, timeZone: string): Date {
  const midnightUtc = Date.parse(`${day}T00:00:00Z`);
  if (Number.isNaN(midnightUtc)) throw new RangeError(`not a day: ${JSON.stringify(day)}`);
  // Binary search over whole seconds (offsets are whole seconds): lo is before the day, hi in or after it.
  let lo = (midnightUtc + EARLIEST_MS) / 1000 - 1;
  let hi = (midnightUtc + LATEST_MS) / 1000;
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (dayInTimezone(new Date(mid * 1000), timeZone) >= day) hi = mid;
    else lo = mid;
  }
  return new Date(hi * 1000);
}
