import { addMonths, type DayRange, monthInTimezone } from "@wedsync/core/calendar";
import { monthPeriod } from "@wedsync/ui/months";

/** How far back the issue picker looks: a year of finished months. */
export const CLOSED_MONTHS_OFFERED = 12;

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
