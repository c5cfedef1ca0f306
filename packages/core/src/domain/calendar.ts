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

/** The last day computed per timezone, and the UTC second it was computed for. */
const lastDay = new Map<string, { second: number; day: string }>();

/** "2027-06-12": the calendar day of `now` in `timeZone`. */
export function dayInTimezone(now: Date, timeZone: string): string {
  // UTC offsets are whole seconds, so every instant of one UTC second falls on one local day: a
  // request path asking several times a second formats once (formatting was ~2% of its CPU).
  const second = Math.floor(now.getTime() / 1000);
  const last = lastDay.get(timeZone);
  if (last?.second === second) return last.day;
  const parts = formatter(timeZone).formatToParts(now);
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? "";
  const day = `${get("year")}-${get("month")}-${get("day")}`;
  lastDay.set(timeZone, { second, day });
  return day;
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

/** Months since year 0 of "YYYY-MM". */
function monthOrdinal(month: string): number {
  const [y, m] = month.split("-").map(Number) as [number, number];
  return y * 12 + (m - 1);
}

function monthOfOrdinal(ordinal: number): string {
  return `${String(Math.floor(ordinal / 12)).padStart(4, "0")}-${String((ordinal % 12) + 1).padStart(2, "0")}`;
}

/** "YYYY-MM" plus `n` months (calendar arithmetic, no timezone involved). */
export function addMonths(month: string, n: number): string {
  return monthOfOrdinal(monthOrdinal(month) + n);
}

/** The months from `from` to `to`, "YYYY-MM", both inclusive, in order (none when to < from). */
export function monthsBetween(from: string, to: string): string[] {
  const [first, last] = [monthOrdinal(from), monthOrdinal(to)];
  return Array.from({ length: Math.max(0, last - first + 1) }, (_, i) => monthOfOrdinal(first + i));
}

/**
 * The same calendar day one year earlier: "2027-06-12" → "2026-06-12". A 29 February has no
 * counterpart in the year before and becomes the 28th.
 */
export function sameDayLastYear(day: string): string {
  const [y, m, d] = day.split("-").map(Number) as [number, number, number];
  const month = `${String(y - 1).padStart(4, "0")}-${String(m).padStart(2, "0")}`;
  const last = Number(lastDayOfMonth(month).slice(8));
  return `${month}-${String(Math.min(d, last)).padStart(2, "0")}`;
}

/** An inclusive range of days, "YYYY-MM-DD". */
export interface DayRange {
  from: string;
  to: string;
}

/** Days from..to inclusive (0 when to < from). */
export function dayCount(r: DayRange): number {
  return Math.max(0, (Date.parse(r.to) - Date.parse(r.from)) / 86_400_000 + 1);
}

/** Every day of the range, in order (none when to < from). */
export function daysOf(r: DayRange): string[] {
  return Array.from({ length: dayCount(r) }, (_, i) => addDays(r.from, i));
}

/** The `n` days (n ≥ 1) that end with `to`: "the last 30 days" up to today. */
export function lastDays(to: string, n: number): DayRange {
  return { from: addDays(to, -(n - 1)), to };
}

/** The month of `day` from its first day up to `day`: "this month" up to today. */
export function monthToDate(day: string): DayRange {
  return { from: `${day.slice(0, 7)}-01`, to: day };
}

/**
 * A period of days as monthly rows plus and minus daily rows: the months `months` (first days of
 * the first and last, null for none) plus the days in `plus` minus the days in `minus` count every
 * day of the period exactly once and no other day. Whole months are taken as months. A month the
 * period covers only in part is taken either as its days in the period (plus) or as the month less
 * its days outside the period (minus), whichever reads fewer days: "the last 30 days" up to today
 * becomes this month less its days after today, which hold no usage yet.
 */
export function coverWithMonths(period: DayRange): {
  months: DayRange | null;
  plus: DayRange[];
  minus: DayRange[];
} {
  const plus: DayRange[] = [];
  const minus: DayRange[] = [];
  let first: string | null = null;
  let last: string | null = null;
  for (
    let month = `${period.from.slice(0, 7)}-01`;
    month <= period.to;
    month = addDays(lastDayOfMonth(month.slice(0, 7)), 1)
  ) {
    const end = lastDayOfMonth(month.slice(0, 7));
    // ISO days sort as text: the later start and the earlier end.
    const inside = { from: [period.from, month].sort()[1]!, to: [period.to, end].sort()[0]! };
    const before = { from: month, to: addDays(inside.from, -1) };
    const after = { from: addDays(inside.to, 1), to: end };
    const outside = dayCount(before) + dayCount(after);
    if (outside > 0 && dayCount(inside) <= outside) {
      plus.push(inside);
      continue;
    }
    first ??= month;
    last = month;
    for (const r of [before, after]) if (dayCount(r) > 0) minus.push(r);
  }
  return { months: first && last ? { from: first, to: last } : null, plus, minus };
}
