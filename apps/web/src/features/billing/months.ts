import { addMonths, type DayRange, lastDayOfMonth, monthInTimezone } from "@wedsync/core/calendar";

/** How far back the issue picker looks: a year of finished months. */
export const CLOSED_MONTHS_OFFERED = 12;

/** "2026-03" → { from: "2026-03-01", to: "2026-03-31" }. */
export function monthPeriod(month: string): DayRange {
  return { from: `${month}-01`, to: lastDayOfMonth(month) };
}

/** An issued invoice's period (only the days matter here). */
export interface IssuedPeriod {
  periodStart: string;
  periodEnd: string;
}

const overlaps = (a: DayRange, b: IssuedPeriod) => a.from <= b.periodEnd && b.periodStart <= a.to;

/**
 * The months an invoice can be issued for now: finished in the organization's timezone (the API
 * refuses a period that has not ended), newest first, and sharing no day with an invoice already
 * issued (the API refuses those too: issued invoices never change). `now` is passed in so the
 * rule is testable at any instant, month ends and timezones included.
 */
export function closedUnissuedMonths(
  now: Date,
  timeZone: string,
  issued: readonly IssuedPeriod[],
  count = CLOSED_MONTHS_OFFERED,
): string[] {
  const current = monthInTimezone(now, timeZone);
  const months: string[] = [];
  for (let back = 1; back <= count; back++) {
    const month = addMonths(current, -back);
    const period = monthPeriod(month);
    if (!issued.some((i) => overlaps(period, i))) months.push(month);
  }
  return months;
}

const MONTH_LABEL = new Intl.DateTimeFormat("en-US", { month: "long", year: "numeric", timeZone: "UTC" });
const DAY_LABEL = new Intl.DateTimeFormat("en-US", {
  day: "numeric",
  month: "short",
  year: "numeric",
  timeZone: "UTC",
});

/** "2026-03" → "March 2026". */
export function monthLabel(month: string): string {
  return MONTH_LABEL.format(new Date(`${month}-01T00:00:00Z`));
}

/** A period in words: "March 2026" for a whole month, else "Mar 3, 2026 – Apr 2, 2026". */
export function periodLabel(from: string, to: string): string {
  const month = from.slice(0, 7);
  if (from === `${month}-01` && to === lastDayOfMonth(month)) return monthLabel(month);
  const day = (d: string) => DAY_LABEL.format(new Date(`${d}T00:00:00Z`));
  return from === to ? day(from) : `${day(from)} – ${day(to)}`;
}
