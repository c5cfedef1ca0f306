import { dayCount, lastDays, monthToDate } from "@wedsync/core/calendar";
import { dayWords } from "@wedsync/ui/figure-cells";
import { z } from "zod";

/** The API's longest usage period (platform.usage): a custom range longer than this is refused here first. */
export const MAX_PERIOD_DAYS = 400;
/** Up to this many days the charts go day by day; longer periods (a year) go month by month. */
export const MAX_DAILY_POINTS = 92;

export const PERIOD_KINDS = ["month", "30d", "range", "year"] as const;
export type PeriodKind = (typeof PERIOD_KINDS)[number];

export const PERIOD_WORDS: Record<PeriodKind, string> = {
  month: "This month",
  "30d": "Last 30 days",
  range: "Custom range",
  year: "A year",
};

const isoDay = z.iso.date();

/**
 * The analytics screen's search params. No period is this month (so the plain address stays
 * plain); a bad value is dropped (an edited or old link still opens a screen), never an error page.
 */
export const periodSearchSchema = z.object({
  period: z.enum(PERIOD_KINDS).optional().catch(undefined),
  from: isoDay.optional().catch(undefined),
  to: isoDay.optional().catch(undefined),
  year: z.coerce.number().int().min(2000).max(2999).optional().catch(undefined),
});
export type PeriodSearch = z.infer<typeof periodSearchSchema>;

export interface ResolvedPeriod {
  from: string;
  to: string;
  /** How the charts group the period's days. */
  by: "day" | "month";
  /** The search as it applies: what the chooser shows. */
  search: PeriodSearch;
  /** Why the asked-for period could not be used (the screen shows this month instead), or null. */
  problem: string | null;
}

/** Why a custom range cannot be used, in words naming the limit; null when it can. */
export function rangeProblem(from: string | undefined, to: string | undefined): string | null {
  if (!from || !to) return "Choose both a start and an end date.";
  if (to < from) return "The end date must be on or after the start date.";
  if (dayCount({ from, to }) > MAX_PERIOD_DAYS) return `A range can span at most ${MAX_PERIOD_DAYS} days.`;
  return null;
}

function grouped(
  from: string,
  to: string,
  search: PeriodSearch,
  problem: string | null = null,
): ResolvedPeriod {
  return { from, to, by: dayCount({ from, to }) <= MAX_DAILY_POINTS ? "day" : "month", search, problem };
}

/**
 * The days a chosen period covers, in the organization's calendar (`today` is its today): this
 * month so far, the last 30 days, a custom range (at most MAX_PERIOD_DAYS), or a calendar year
 * (up to today for this year). Anything unusable falls back to this month, with the reason.
 */
export function resolvePeriod(search: PeriodSearch, today: string): ResolvedPeriod {
  const thisYear = Number(today.slice(0, 4));
  switch (search.period) {
    case "30d": {
      const r = lastDays(today, 30);
      return grouped(r.from, r.to, { period: "30d" });
    }
    case "range": {
      const problem = rangeProblem(search.from, search.to);
      if (problem === null) return grouped(search.from!, search.to!, search);
      const r = monthToDate(today);
      return grouped(r.from, r.to, {}, problem);
    }
    case "year": {
      const year = search.year ?? thisYear;
      if (year > thisYear) {
        const r = monthToDate(today);
        return grouped(r.from, r.to, {}, `${year} has not started yet.`);
      }
      return grouped(`${year}-01-01`, year === thisYear ? today : `${year}-12-31`, { period: "year", year });
    }
    default: {
      const r = monthToDate(today);
      return grouped(r.from, r.to, {});
    }
  }
}

/** "1 May 2026 – 20 May 2026", or one day's date. */
export function periodWords(p: { from: string; to: string }): string {
  return p.from === p.to ? dayWords(p.from) : `${dayWords(p.from)} – ${dayWords(p.to)}`;
}
