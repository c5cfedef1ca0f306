import { addMonths, daysOf, lastDayOfMonth, lastDays } from "@wedsync/core/calendar";
import { meterLevel } from "@wedsync/ui/UsageMeter";
import { indexOf, type Season } from "./seasonal";

/** How far back the daily spending rate looks. */
export const PROJECTION_WINDOW_DAYS = 30;

export interface ProjectionInput {
  /** The organization's today, "YYYY-MM-DD". */
  today: string;
  /** Spend per day, every feature together, in micro-dollars (days missing: nothing spent). */
  spendByDay: ReadonlyMap<string, bigint>;
  season: Pick<Season, "index">;
}

export interface Projection {
  month: string;
  /** This month up to now. */
  spentMicros: bigint;
  /** What the days after today are expected to add. */
  restMicros: bigint;
  /** spent + rest: the month's expected total. */
  projectedMicros: bigint;
  /** The expected spend of one day for the rest of this month. */
  perDayMicros: bigint;
  /** Days of this month after today. */
  daysLeft: number;
  /** Days the rate was taken from: from the first day with spend in the window, up to today. */
  basedOnDays: number;
  monthIndex: number;
  next: { month: string; days: number; index: number; projectedMicros: bigint };
}

/**
 * The month's spend so far plus the rest of it expected from the recent rate with the season
 * taken into account:
 *
 * 1. rate = spend over the last 30 days up to today ÷ the sum of those days' seasonal indices,
 *    counting from the first day with spend (a new organization's empty days before its first
 *    request would dilute it): what an average day costs with the season taken out;
 * 2. each day left in this month is expected to cost rate × this month's index, and each day of
 *    next month rate × next month's index (so a supplier in May sees June's peak coming).
 *
 * Today counts as a day of the window with what it has spent so far. Amounts are micro-dollars;
 * the expectations (a rate times an index) are rounded to the micro-dollar once each. Null when
 * nothing was spent in the window: there is no rate to project from.
 */
export function projectMonthSpend({ today, spendByDay, season }: ProjectionInput): Projection | null {
  const spent = (day: string) => spendByDay.get(day) ?? 0n;
  const window = daysOf(lastDays(today, PROJECTION_WINDOW_DAYS));
  const start = window.findIndex((d) => spent(d) > 0n);
  if (start < 0) return null;
  const counted = window.slice(start);
  const windowMicros = counted.reduce((s, d) => s + spent(d), 0n);
  const seasonDays = counted.reduce((s, d) => s + indexOf(season, d), 0);
  const rate = Number(windowMicros) / seasonDays;

  const month = today.slice(0, 7);
  const monthIndex = indexOf(season, month);
  const daysLeft = Number(lastDayOfMonth(month).slice(8)) - Number(today.slice(8));
  const spentMicros = daysOf({ from: `${month}-01`, to: today }).reduce((s, d) => s + spent(d), 0n);
  const restMicros = BigInt(Math.round(rate * monthIndex * daysLeft));

  const nextMonth = addMonths(month, 1);
  const nextDays = Number(lastDayOfMonth(nextMonth).slice(8));
  const nextIndex = indexOf(season, nextMonth);
  return {
    month,
    spentMicros,
    restMicros,
    projectedMicros: spentMicros + restMicros,
    perDayMicros: BigInt(Math.round(rate * monthIndex)),
    daysLeft,
    basedOnDays: counted.length,
    monthIndex,
    next: {
      month: nextMonth,
      days: nextDays,
      index: nextIndex,
      projectedMicros: BigInt(Math.round(rate * nextIndex * nextDays)),
    },
  };
}

/**
 * The projected month against the credit limit: its level by the meters' one rule (amber from
 * 80 %, red from 100 %), the share of the limit in whole percent (rounded down) and how far past
 * it the month is expected to go.
 */
export function projectionAgainstLimit(projectedMicros: bigint, limitMicros: bigint) {
  return {
    level: meterLevel(Number(projectedMicros), Number(limitMicros)),
    percent: limitMicros > 0n ? Number((projectedMicros * 100n) / limitMicros) : null,
    overMicros: projectedMicros > limitMicros ? projectedMicros - limitMicros : 0n,
  };
}
