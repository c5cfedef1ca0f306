import {
  AppError,
  aiDailyCounters,
  aiUsageDailyRollups,
  aiUsageLatencyRollups,
  type FeatureType,
  fromMicros,
  organizations,
  percentileFromBuckets,
  ratioToDecimal,
  seasonalIndex,
  toMicros,
  yearOverYear,
} from "@wedsync/core";
import { and, eq, gte, lte, type SQL, sql } from "drizzle-orm";
import type { Database } from "../infra/database";

export interface UsagePeriod {
  /** First day, "YYYY-MM-DD", in the organization's timezone. */
  from: string;
  /** Last day, inclusive. */
  to: string;
}

/** Sums every rollup row of a group; the one place the columns are listed. */
const totals = {
  requests: sql<number>`coalesce(sum(${aiUsageDailyRollups.requests}), 0)::int`,
  succeeded: sql<number>`coalesce(sum(${aiUsageDailyRollups.succeeded}), 0)::int`,
  failed: sql<number>`coalesce(sum(${aiUsageDailyRollups.failed}), 0)::int`,
  degraded: sql<number>`coalesce(sum(${aiUsageDailyRollups.degraded}), 0)::int`,
  rejected: sql<number>`coalesce(sum(${aiUsageDailyRollups.rejected}), 0)::int`,
  rejectedFeatureDisabled: sql<number>`coalesce(sum(${aiUsageDailyRollups.rejectedFeatureDisabled}), 0)::int`,
  rejectedTier: sql<number>`coalesce(sum(${aiUsageDailyRollups.rejectedTier}), 0)::int`,
  rejectedRateLimited: sql<number>`coalesce(sum(${aiUsageDailyRollups.rejectedRateLimited}), 0)::int`,
  rejectedDailyRequestCap: sql<number>`coalesce(sum(${aiUsageDailyRollups.rejectedDailyRequestCap}), 0)::int`,
  rejectedDailyCostCap: sql<number>`coalesce(sum(${aiUsageDailyRollups.rejectedDailyCostCap}), 0)::int`,
  rejectedCreditLimit: sql<number>`coalesce(sum(${aiUsageDailyRollups.rejectedCreditLimit}), 0)::int`,
  inputTokens: sql<string>`coalesce(sum(${aiUsageDailyRollups.inputTokens}), 0)::text`,
  outputTokens: sql<string>`coalesce(sum(${aiUsageDailyRollups.outputTokens}), 0)::text`,
  cachedInputTokens: sql<string>`coalesce(sum(${aiUsageDailyRollups.cachedInputTokens}), 0)::text`,
  costMicros: sql<string>`coalesce(sum(${aiUsageDailyRollups.costMicros}), 0)::text`,
};
type TotalsRow = { [K in keyof typeof totals]: (typeof totals)[K]["_"]["type"] };

/** What callers see of a group's totals: counts, tokens as numbers, cost as an exact decimal. */
function view(row: TotalsRow) {
  const costMicros = BigInt(row.costMicros);
  return {
    requests: row.requests,
    succeeded: row.succeeded,
    failed: row.failed,
    degraded: row.degraded,
    rejected: row.rejected,
    rejectedByReason: {
      feature_disabled: row.rejectedFeatureDisabled,
      tier: row.rejectedTier,
      rate_limited: row.rejectedRateLimited,
      daily_request_cap: row.rejectedDailyRequestCap,
      daily_cost_cap: row.rejectedDailyCostCap,
      credit_limit: row.rejectedCreditLimit,
    },
    inputTokens: Number(row.inputTokens),
    outputTokens: Number(row.outputTokens),
    cachedInputTokens: Number(row.cachedInputTokens),
    costUsd: fromMicros(costMicros, 6),
    /** Cost per completed request, exact to the micro-dollar (rounded down). */
    costPerRequestUsd: row.requests > 0 ? fromMicros(costMicros / BigInt(row.requests), 6) : null,
  };
}
export type UsageTotals = ReturnType<typeof view>;

/** Same day one year earlier ("2027-02-29" has none: the 28th). */
function yearEarlier(day: string): string {
  const [y, m, d] = day.split("-").map(Number) as [number, number, number];
  const last = new Date(Date.UTC(y - 1, m, 0)).getUTCDate();
  return `${y - 1}-${String(m).padStart(2, "0")}-${String(Math.min(d, last)).padStart(2, "0")}`;
}

const MAX_PERIOD_DAYS = 400;

/**
 * Usage analytics for dashboards and the brief's GET /api/ai/platform/usage, read from the daily
 * rollups and latency histograms (never the raw log), on the read replica when there is one.
 */
export class AnalyticsService {
  constructor(private readonly db: Database) {}

  /** Totals and cost breakdown by feature, client and model over a period (billing uses it too). */
  async breakdown(organizationId: string, period: UsagePeriod) {
    const inPeriod = this.scope(organizationId, period.from, period.to);
    const r = aiUsageDailyRollups;
    const [total, byFeature, byClient, byModel] = await Promise.all([
      this.db.select(totals).from(r).where(inPeriod),
      this.db
        .select({ featureType: r.featureType, ...totals })
        .from(r)
        .where(inPeriod)
        .groupBy(r.featureType),
      this.db
        .select({ clientId: r.clientId, ...totals })
        .from(r)
        .where(inPeriod)
        .groupBy(r.clientId),
      this.db
        .select({ model: r.model, ...totals })
        .from(r)
        .where(inPeriod)
        .groupBy(r.model),
    ]);
    return {
      totals: view(total[0]!),
      byFeature: byFeature.map(({ featureType, ...t }) => ({ featureType, ...view(t) })),
      byClient: byClient.map(({ clientId, ...t }) => ({ clientId, ...view(t) })),
      byModel: byModel.map(({ model, ...t }) => ({ model, ...view(t) })),
    };
  }

  async usage(organizationId: string, period: UsagePeriod) {
    const days = (Date.parse(period.to) - Date.parse(period.from)) / 86_400_000 + 1;
    if (!(days >= 1 && days <= MAX_PERIOD_DAYS)) {
      throw new AppError(
        "BAD_REQUEST",
        `the period must run forward and span at most ${MAX_PERIOD_DAYS} days`,
        {
          fieldErrors: [
            { field: "to", message: `must be on or after from, at most ${MAX_PERIOD_DAYS} days later` },
          ],
        },
      );
    }
    const [org] = await this.db
      .select({ timezone: organizations.timezone })
      .from(organizations)
      .where(eq(organizations.id, organizationId));
    if (!org) throw new AppError("NOT_FOUND", "Organization not found");

    const inPeriod = this.scope(organizationId, period.from, period.to);
    const r = aiUsageDailyRollups;
    const [breakdown, byDay, lastYear, history, latency] = await Promise.all([
      this.breakdown(organizationId, period),
      this.db
        .select({ day: r.day, ...totals })
        .from(r)
        .where(inPeriod)
        .groupBy(r.day)
        .orderBy(r.day),
      this.db
        .select(totals)
        .from(r)
        .where(this.scope(organizationId, yearEarlier(period.from), yearEarlier(period.to))),
      this.monthlyHistory(organizationId, period.to),
      this.latencyBuckets(organizationId, period),
    ]);
    const current = breakdown.totals;
    const previous = view(lastYear[0]!);

    return {
      period,
      timezone: org.timezone,
      ...breakdown,
      byDay: byDay.map(({ day, ...t }) => ({ day, ...view(t) })),
      trend: this.trend(
        { totals: current, costMicros: toMicros(current.costUsd) },
        { totals: previous, costMicros: BigInt(lastYear[0]!.costMicros) },
        history,
        period,
      ),
      performance: this.performance(current, latency),
    };
  }

  /** Completed requests and cost, each period against the same one a year earlier and against the season. */
  private trend(
    now: { totals: UsageTotals; costMicros: bigint },
    before: { totals: UsageTotals; costMicros: bigint },
    history: Array<{ month: string; requests: number; costMicros: bigint }>,
    period: UsagePeriod,
  ) {
    const change = (now: bigint | number, before: bigint | number) => {
      const r = yearOverYear(now, before);
      return r ? ratioToDecimal(r, 4) : null;
    };
    const index = seasonalIndex(history.map((h) => ({ month: h.month, value: h.requests })));
    // The period's months, weighted by their days in the period: its expected share of a year.
    const months: number[] = [];
    for (let d = Date.parse(period.from); d <= Date.parse(period.to); d += 86_400_000) {
      months.push(new Date(d).getUTCMonth());
    }
    const seasonal = index ? months.reduce((s, m) => s + index[m]!, 0) / months.length : null;
    return {
      lastYear: { requests: before.totals.requests, costUsd: before.totals.costUsd },
      /** (this period − same period last year) / same period last year; null without last year. */
      yearOverYear: {
        requests: change(now.totals.requests, before.totals.requests),
        cost: change(now.costMicros, before.costMicros),
      },
      /** Average-by-month index from the organization's own history (null with under 12 months). */
      seasonalIndex: index,
      /** The period's index (1 = an average time of year; 1.8 = peak season). */
      periodSeasonalFactor: seasonal,
      /** Requests with the season taken out, comparable across the year. */
      seasonallyAdjustedRequests:
        seasonal && seasonal > 0 ? Math.round(now.totals.requests / seasonal) : null,
    };
  }

  private performance(current: UsageTotals, buckets: Map<number, number>) {
    const counts = Object.fromEntries(buckets);
    return {
      p50Ms: percentileFromBuckets(counts, 0.5),
      p95Ms: percentileFromBuckets(counts, 0.95),
      p99Ms: percentileFromBuckets(counts, 0.99),
      /** Succeeded / completed (rejections were never processed). */
      successRate: current.requests > 0 ? current.succeeded / current.requests : null,
    };
  }

  /**
   * Admitted requests and spend per month, up to the period's month, for the seasonal index (at
   * most 3 years), from the organization-wide daily counters: a few rows a day, where the rollups
   * hold one per client, model and feature.
   */
  private async monthlyHistory(organizationId: string, upTo: string) {
    const c = aiDailyCounters;
    const month = sql<string>`to_char(date_trunc('month', ${c.day}), 'YYYY-MM')`;
    const rows = await this.db
      .select({
        month,
        requests: sql<number>`sum(${c.requests})::int`,
        costMicros: sql<string>`sum(${c.spentMicros})::text`,
      })
      .from(c)
      .where(
        and(
          eq(c.organizationId, organizationId),
          eq(c.scope, "org"),
          lte(c.day, upTo),
          gte(c.day, sql`${upTo}::date - interval '3 years'`),
        ),
      )
      .groupBy(month)
      .orderBy(month);
    if (rows.length === 0) return [];
    // Consecutive months: a month without rows had no usage (zero), not unknown.
    const out: Array<{ month: string; requests: number; costMicros: bigint }> = [];
    const byMonth = new Map(rows.map((row) => [row.month, row]));
    let [y, m] = rows[0]!.month.split("-").map(Number) as [number, number];
    const last = rows.at(-1)!.month;
    for (;;) {
      const key = `${y}-${String(m).padStart(2, "0")}`;
      const row = byMonth.get(key);
      out.push({ month: key, requests: row?.requests ?? 0, costMicros: BigInt(row?.costMicros ?? 0) });
      if (key === last) break;
      m += 1;
      if (m > 12) {
        m = 1;
        y += 1;
      }
    }
    return out;
  }

  private async latencyBuckets(organizationId: string, period: UsagePeriod, featureType?: FeatureType) {
    const l = aiUsageLatencyRollups;
    const rows = await this.db
      .select({ bucket: l.bucket, count: sql<number>`sum(${l.count})::int` })
      .from(l)
      .where(
        and(
          eq(l.organizationId, organizationId),
          gte(l.day, period.from),
          lte(l.day, period.to),
          featureType ? eq(l.featureType, featureType) : undefined,
        ),
      )
      .groupBy(l.bucket);
    return new Map(rows.map((row) => [row.bucket, row.count]));
  }

  private scope(organizationId: string, from: string, to: string): SQL | undefined {
    const r = aiUsageDailyRollups;
    return and(eq(r.organizationId, organizationId), gte(r.day, from), lte(r.day, to));
  }
}
