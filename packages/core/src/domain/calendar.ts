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

/** "YYYY-MM-DD" plus `n` days (calendar arithmetic, no timezone involved). */
export function addDays(day: string, n: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
}

/** The last day of the month "YYYY-MM". */
export function lastDayOfMonth(month: string): string {
  const [y, m] = month.split("-").map(Number) as [number, number];
  return new Date(Date.UTC(y, m, 0)).toISOString().slice(0, 10);
}

/** An inclusive range of days, "YYYY-MM-DD". */
export interface DayRange {
  from: string;
  to: string;
}

/**
 * A period of days cut into the whole calendar months it contains (as the first days of the
 * first and last of them) and the loose days at either end: monthly rollups answer the months,
 * daily ones the ends. Every day of the period is in exactly one part.
 */
export function splitIntoMonths(period: DayRange): { months: DayRange | null; days: DayRange[] } {
  const firstMonth = period.from.endsWith("-01")
    ? period.from
    : addDays(lastDayOfMonth(period.from.slice(0, 7)), 1);
  const toMonth = `${period.to.slice(0, 7)}-01`;
  const lastMonth =
    period.to === lastDayOfMonth(period.to.slice(0, 7)) ? toMonth : `${addDays(toMonth, -1).slice(0, 7)}-01`;
  if (lastMonth < firstMonth) return { months: null, days: [period] };
  const afterMonths = addDays(lastDayOfMonth(lastMonth.slice(0, 7)), 1);
  const days: DayRange[] = [];
  if (period.from < firstMonth) days.push({ from: period.from, to: addDays(firstMonth, -1) });
  if (afterMonths <= period.to) days.push({ from: afterMonths, to: period.to });
  return { months: { from: firstMonth, to: lastMonth }, days };
}
