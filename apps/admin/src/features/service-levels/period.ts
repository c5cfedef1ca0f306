import { dayCount } from "@wedsync/core/calendar";
import { periodLabel } from "@wedsync/ui/months";
import { z } from "zod";

/** The API's longest period (serviceLevels.overview): 31 days. */
export const MAX_RANGE_DAYS = 31;

export const PERIOD_KINDS = ["24h", "7d", "30d", "range"] as const;
export type PeriodKind = (typeof PERIOD_KINDS)[number];

export const PERIOD_WORDS: Record<PeriodKind, string> = {
  "24h": "Last 24 hours",
  "7d": "Last 7 days",
  "30d": "Last 30 days",
  range: "Chosen days",
};

const HOURS: Record<Exclude<PeriodKind, "range">, number> = { "24h": 24, "7d": 168, "30d": 720 };

const isoDay = z.iso.date();

/** The screen's address: no period is the last 24 hours; a bad value is dropped, never an error page. */
export const periodSearchSchema = z.object({
  period: z.enum(PERIOD_KINDS).optional().catch(undefined),
  from: isoDay.optional().catch(undefined),
  to: isoDay.optional().catch(undefined),
});
export type PeriodSearch = z.infer<typeof periodSearchSchema>;

export type OverviewInput = { hours: number } | { from: string; to: string };

export interface ResolvedPeriod {
  input: OverviewInput;
  /** "Last 7 days", "1 May 2026 – 3 May 2026 (UTC days)". */
  words: string;
  /** The search as it applies: what the chooser shows. */
  search: PeriodSearch;
  /** Ends now, so the figures keep moving (refetched). */
  live: boolean;
  /** For file names: "last-24-hours", "2026-05-01_2026-05-03". */
  slug: string;
  /** Why the asked-for days could not be used (the last 24 hours are shown instead), or null. */
  problem: string | null;
}

/** Why a range of UTC days cannot be shown, in words naming the limit; null when it can. */
export function rangeProblem(range: { from: string; to: string } | null, todayUtc: string): string | null {
  if (!range) return "Choose both a start and an end date.";
  if (range.to < range.from) return "The end date must be on or after the start date.";
  if (range.from > todayUtc) return "The start date must not be in the future.";
  if (dayCount(range) > MAX_RANGE_DAYS) return `Choose at most ${MAX_RANGE_DAYS} days.`;
  return null;
}

const last = (kind: Exclude<PeriodKind, "range">, problem: string | null = null): ResolvedPeriod => ({
  input: { hours: HOURS[kind] },
  words: PERIOD_WORDS[kind],
  search: kind === "24h" ? {} : { period: kind },
  live: true,
  slug: PERIOD_WORDS[kind].toLowerCase().replaceAll(" ", "-"),
  problem,
});

/** The period a search asks for, as the API's input; unusable days fall back to the last 24 hours. */
export function resolvePeriod(search: PeriodSearch, todayUtc: string): ResolvedPeriod {
  if (search.period === "range") {
    const range = search.from && search.to ? { from: search.from, to: search.to } : null;
    const problem = rangeProblem(range, todayUtc);
    if (problem !== null || !range) return last("24h", problem);
    return {
      input: range,
      words: `${periodLabel(range.from, range.to)} (UTC days)`,
      search: { period: "range", ...range },
      live: range.to >= todayUtc,
      slug: `${range.from}_${range.to}`,
      problem: null,
    };
  }
  return last(search.period ?? "24h");
}
