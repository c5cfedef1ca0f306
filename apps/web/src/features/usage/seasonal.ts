import { addMonths, monthsBetween } from "@wedsync/core/calendar";
import { seasonalIndex, seasonalIndexDetrended } from "@wedsync/core/domain";

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

export const SEASON_SOURCE_WORDS: Record<SeasonSource, string> = {
  "own-detrended": "your own history (growth taken out)",
  own: "your own history",
  typical: "a typical wedding supplier's year, until you have 12 months of your own",
};

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
export function indexOf(season: Pick<Season, "index">, dayOrMonth: string): number {
  return season.index[Number(dayOrMonth.slice(5, 7)) - 1]!;
}
