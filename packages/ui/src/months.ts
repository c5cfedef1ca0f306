import { type DayRange, lastDayOfMonth } from "@wedsync/core/calendar";

/** "2026-03" → { from: "2026-03-01", to: "2026-03-31" }. */
export function monthPeriod(month: string): DayRange {
  return { from: `${month}-01`, to: lastDayOfMonth(month) };
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
