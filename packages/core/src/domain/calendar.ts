/**
 * Days and months as an organization sees them: daily caps reset at midnight in the
 * organization's own timezone. Pure: `now` is always passed in.
 */
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat("en-CA", { timeZone, year: "numeric", month: "2-digit", day: "2-digit" });
    formatters.set(timeZone, f);
  }
  return f;
}

export function isValidTimezone(timeZone: string): boolean {
  try {
    formatter(timeZone);
    return true;
  } catch {
    return false;
  }
}

/** "2027-06-12": the calendar day of `now` in `timeZone`. */
export function dayInTimezone(now: Date, timeZone: string): string {
  const parts = formatter(timeZone).formatToParts(now);
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? "";
  return `${get("year")}-${get("month")}-${get("day")}`;
}

/** "2027-06": the calendar month of `now` in `timeZone`. */
export function monthInTimezone(now: Date, timeZone: string): string {
  return dayInTimezone(now, timeZone).slice(0, 7);
}
