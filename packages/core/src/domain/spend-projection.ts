import { addMonths, daysOf, lastDayOfMonth, lastDays, monthsBetween } from "./calendar";
import { seasonalIndex, seasonalIndexDetrended } from "./seasonal";

/**
 * The month's spend ahead, season taken into account: which seasonal index an organization's
 * projection uses, and the projection itself (the quotas and analytics screens draw both).
 */

/**
 * A typical wedding supplier's year, January first: most weddings from May to September, the
 * busiest June to September, quiet in November and December. The twelve average exactly 1. Used
 * until the organization has a year of its own history, and said so on screen.
 */
export const TYPICAL_WEDDING_SEASON: readonly number[] = [
  0.6, 0.6, 0.8, 1.0, 1.2, 1.5, 1.5, 1.4, 1.4, 1.0, 0.5, 0.5,
];

export type SeasonSource = "own-detrended" | "own" | "typical";

export interface Season {
  /** Twelve indices, January first, averaging 1: 1.5 for June means June usually sees 1.5 times an average month. */
  index: readonly number[];
  source: SeasonSource;
  /** Whole months of the organization's own history the index was taken from (0 for the typical year). */
  months: number;
}

/**
 * The season from the organization's requests per month (`requestsByMonth`, any months, missing
 * ones meaning none), over whole months only: from its first month with requests up to the
 * month before `currentMonth` (a month still running would look quiet). Core's detrended index
 * from 24 months (what platform.usage reports), its simple average-by-month index from 12, and
 * the typical wedding year before that.
 */
export function seasonFor(requestsByMonth: ReadonlyMap<string, number>, currentMonth: string): Season {
  const used = [...requestsByMonth].filter(([m, n]) => n > 0 && m < currentMonth).map(([m]) => m);
  if (used.length > 0) {
    const first = used.sort()[0]!;
    const history = monthsBetween(first, addMonths(currentMonth, -1)).map((month) => ({
      month,
      value: requestsByMonth.get(month) ?? 0,
    }));
    const detrended = seasonalIndexDetrended(history);
    if (detrended) return { index: detrended, source: "own-detrended", months: history.length };
    const simple = seasonalIndex(history);
    if (simple) return { index: simple, source: "own", months: history.length };
  }
  return { index: TYPICAL_WEDDING_SEASON, source: "typical", months: 0 };
}

/** The index of a day's or month's calendar month ("2026-06-14" or "2026-06"). */
export function seasonIndexOf(season: Pick<Season, "index">, dayOrMonth: string): number {
  return season.index[Number(dayOrMonth.slice(5, 7)) - 1]!;
}

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
  const seasonDays = counted.reduce((s, d) => s + seasonIndexOf(season, d), 0);
  const rate = Number(windowMicros) / seasonDays;

  const month = today.slice(0, 7);
  const monthIndex = seasonIndexOf(season, month);
  const daysLeft = Number(lastDayOfMonth(month).slice(8)) - Number(today.slice(8));
  const spentMicros = daysOf({ from: `${month}-01`, to: today }).reduce((s, d) => s + spent(d), 0n);
  const restMicros = BigInt(Math.round(rate * monthIndex * daysLeft));

  const nextMonth = addMonths(month, 1);
  const nextDays = Number(lastDayOfMonth(nextMonth).slice(8));
  const nextIndex = seasonIndexOf(season, nextMonth);
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
