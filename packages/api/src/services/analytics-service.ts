import {
  AppError,
  aiDailyCounters,
  aiUsageClientMonthlyRollups,
  aiUsageDailyRollups,
  aiUsageLatencyMonthlyRollups,
  aiUsageLatencyRollups,
  aiUsageOrgDailyRollups,
  clients,
  coverWithMonths,
  type DayRange,
  dayCount,
  type FeatureType,
  fromMicros,
  monthsBetween,
  organizations,
  percentileFromBuckets,
  periodSeasonalFactor,
  ratioToDecimal,
  sameDayLastYear,
  seasonalIndexDetrended,
  seasonallyAdjusted,
  toMicros,
  yearOverYear,
} from "@wedsync/core";
import { and, eq, gte, inArray, lte, or, type SQL, sql } from "drizzle-orm";
import type { AnyPgColumn } from "drizzle-orm/pg-core";
import { type Database, type Executor, rowsOf } from "../infra/database";

export interface UsagePeriod {
  /** First day, "YYYY-MM-DD", in the organization's timezone. */
  from: string;
  /** Last day, inclusive. */
  to: string;
}

/** Any of the usage rollups: they all carry the same counters (core's schema, usageCounters). */
type CounterTable =
  | typeof aiUsageDailyRollups
  | typeof aiUsageOrgDailyRollups
  | typeof aiUsageClientMonthlyRollups;

/** Sums every rollup row of a group; the one place the columns are listed. */
function totalsOf(t: CounterTable) {
  return {
    requests: sql<number>`coalesce(sum(${t.requests}), 0)::int`,
    succeeded: sql<number>`coalesce(sum(${t.succeeded}), 0)::int`,
    failed: sql<number>`coalesce(sum(${t.failed}), 0)::int`,
    degraded: sql<number>`coalesce(sum(${t.degraded}), 0)::int`,
    rejected: sql<number>`coalesce(sum(${t.rejected}), 0)::int`,
    rejectedFeatureDisabled: sql<number>`coalesce(sum(${t.rejectedFeatureDisabled}), 0)::int`,
    rejectedTier: sql<number>`coalesce(sum(${t.rejectedTier}), 0)::int`,
    rejectedRateLimited: sql<number>`coalesce(sum(${t.rejectedRateLimited}), 0)::int`,
    rejectedDailyRequestCap: sql<number>`coalesce(sum(${t.rejectedDailyRequestCap}), 0)::int`,
    rejectedDailyCostCap: sql<number>`coalesce(sum(${t.rejectedDailyCostCap}), 0)::int`,
    rejectedCreditLimit: sql<number>`coalesce(sum(${t.rejectedCreditLimit}), 0)::int`,
    inputTokens: sql<string>`coalesce(sum(${t.inputTokens}), 0)::text`,
    outputTokens: sql<string>`coalesce(sum(${t.outputTokens}), 0)::text`,
    cachedInputTokens: sql<string>`coalesce(sum(${t.cachedInputTokens}), 0)::text`,
    costMicros: sql<string>`coalesce(sum(${t.costMicros}), 0)::text`,
  };
}
const totals = totalsOf(aiUsageOrgDailyRollups);
type TotalsRow = { [K in keyof typeof totals]: (typeof totals)[K]["_"]["type"] };

/** `a` plus `b`, counter by counter (the clients after the first few, summed). */
function addTotals(a: TotalsRow, b: TotalsRow): TotalsRow {
  const out = { ...a };
  for (const key of Object.keys(a) as Array<keyof TotalsRow>) {
    const x = a[key];
    const y = b[key];
    (out as Record<string, unknown>)[key] =
      typeof x === "number" ? x + (y as number) : (BigInt(x) + BigInt(y as string)).toString();
  }
  return out;
}

/**
 * The counters as (TotalsRow key, column name) pairs, from totalsOf's list and the table's own
 * column names: what clientTotals sums across its parts.
 */
const COUNTER_KEYS = (Object.keys(totals) as Array<keyof TotalsRow>).map(
  (key) => [key, aiUsageOrgDailyRollups[key].name] as const,
);
/** The bigint counters, which travel as text (exact). */
const TEXT_KEYS = new Set<keyof TotalsRow>([
  "inputTokens",
  "outputTokens",
  "cachedInputTokens",
  "costMicros",
]);
const CLIENT_PART_COLUMNS = ["client_id", ...COUNTER_KEYS.map(([, c]) => c)].join(", ");
const CLIENT_SUMS = COUNTER_KEYS.map(
  ([key, c]) => `sum(sign * ${c})::${TEXT_KEYS.has(key) ? "text" : "int"} as ${c}`,
).join(", ");

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

const MAX_PERIOD_DAYS = 400;
/** How many clients platform.usage lists by name before summing the rest. */
export const DEFAULT_TOP_CLIENTS = 10;

/** A period runs forward and spans at most MAX_PERIOD_DAYS days. */
function checkPeriod(period: UsagePeriod) {
  const days = dayCount(period);
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
}

/**
 * Usage analytics for dashboards and the brief's GET /api/ai/platform/usage, read from the daily
 * rollups and latency histograms (never the raw log), on the read replica when there is one.
 */
export class AnalyticsService {
  constructor(private readonly db: Database) {}

  /** Totals and cost breakdown by feature, client and model over a period (billing uses it too). */
  async breakdown(organizationId: string, period: UsagePeriod) {
    const [{ byDay: _, ...organizationWide }, byClient] = await Promise.all([
      this.organizationGroups(organizationId, period),
      this.byClient(organizationId, period),
    ]);
    return { ...organizationWide, byClient };
  }

  /**
   * Totals, by feature, by model and by day, in one pass over the organization-level daily
   * rollup (GROUPING SETS): a few rows per day, where the client-level rollup has hundreds.
   */
  async organizationGroups(organizationId: string, period: UsagePeriod) {
    const o = aiUsageOrgDailyRollups;
    const rows = await this.db
      .select({
        grouping: sql<number>`grouping(${o.featureType}, ${o.model}, ${o.day})::int`,
        featureType: o.featureType,
        model: o.model,
        day: o.day,
        ...totals,
      })
      .from(o)
      .where(this.scope(organizationId, period.from, period.to))
      .groupBy(sql`grouping sets ((), (${o.featureType}), (${o.model}), (${o.day}))`);
    // grouping(): a bit per column left out of the set, feature type the highest.
    const of = (bits: number) => rows.filter((r) => r.grouping === bits);
    const strip = ({ grouping: _g, featureType: _f, model: _m, day: _d, ...t }: (typeof rows)[number]) =>
      view(t);
    return {
      totals: strip(of(0b111)[0]!),
      byFeature: of(0b011).map((r) => ({ featureType: r.featureType, ...strip(r) })),
      byModel: of(0b101).map((r) => ({ model: r.model, ...strip(r) })),
      byDay: of(0b110)
        .map((r) => ({ day: r.day, ...strip(r) }))
        .sort((a, b) => a.day.localeCompare(b.day)),
    };
  }

  /**
   * Every client's totals, costliest first (then by id, the organization's own usage last): the
   * client-level monthly rollup for the months core's coverWithMonths picks, plus and minus
   * client-level daily rows for the rest, merged in the database (one row per client comes back,
   * not one per client and month).
   */
  private async clientTotals(organizationId: string, period: UsagePeriod, db: Executor = this.db) {
    const m = aiUsageClientMonthlyRollups;
    const d = aiUsageDailyRollups;
    const { months, plus, minus } = coverWithMonths(period);
    const parts: SQL[] = [];
    if (months)
      parts.push(
        sql`select 1 as sign, ${sql.raw(CLIENT_PART_COLUMNS)} from ${m}
             where ${and(eq(m.organizationId, organizationId), gte(m.month, months.from), lte(m.month, months.to))}`,
      );
    for (const [ranges, sign] of [
      [plus, 1],
      [minus, -1],
    ] as const) {
      if (ranges.length > 0)
        parts.push(
          sql`select ${sql.raw(String(sign))} as sign, ${sql.raw(CLIENT_PART_COLUMNS)} from ${d}
               where ${and(eq(d.organizationId, organizationId), this.anyOf(d.day, ranges))}`,
        );
    }
    if (parts.length === 0) return [];
    const rows = rowsOf<{ client_id: string | null } & Record<string, number | string>>(
      await db.execute(sql`
        select client_id, ${sql.raw(CLIENT_SUMS)}
          from (${sql.join(parts, sql` union all `)}) parts
         group by client_id
        -- A client whose only usage was on the days taken away is not in the period.
        having sum(sign * requests) <> 0 or sum(sign * rejected) <> 0`),
    );
    const cost = (t: TotalsRow) => BigInt(t.costMicros);
    return rows
      .map((r) => ({
        clientId: r.client_id,
        totals: Object.fromEntries(
          COUNTER_KEYS.map(([key, column]) => [
            key,
            TEXT_KEYS.has(key) ? String(r[column]) : Number(r[column]),
          ]),
        ) as TotalsRow,
      }))
      .sort((a, b) => {
        const [x, y] = [cost(a.totals), cost(b.totals)];
        if (x !== y) return x > y ? -1 : 1;
        if (a.clientId === b.clientId) return 0;
        if (a.clientId === null) return 1;
        if (b.clientId === null) return -1;
        return a.clientId < b.clientId ? -1 : 1;
      });
  }

  /** Couple names by client id, for the ids given (null: the organization's own usage, skipped). */
  async coupleNames(clientIds: ReadonlyArray<string | null>): Promise<Map<string, string>> {
    const ids = clientIds.flatMap((id) => (id ? [id] : []));
    const names = ids.length
      ? await this.db
          .select({ id: clients.id, name: clients.coupleNames })
          .from(clients)
          .where(inArray(clients.id, ids))
      : [];
    return new Map(names.map((n) => [n.id, n.name]));
  }

  /** Couple names for the listed clients (a client deleted since shows its id). */
  private async named(rows: Array<{ clientId: string | null; totals: TotalsRow }>) {
    const byId = await this.coupleNames(rows.map((r) => r.clientId));
    return rows.map(({ clientId, totals }) => ({
      clientId,
      /** The couple's names; null for requests made for no client (the organization's own). */
      clientName: clientId === null ? null : (byId.get(clientId) ?? clientId),
      ...view(totals),
    }));
  }

  /**
   * What each client was charged over a period (its completed requests and their stored costs),
   * costliest first: an invoice's view by client. `db`: an open transaction, so that the invoice's
   * other reads see the same snapshot.
   */
  async clientCharges(organizationId: string, period: UsagePeriod, db: Executor = this.db) {
    return (await this.clientTotals(organizationId, period, db)).map(({ clientId, totals }) => ({
      clientId,
      requests: totals.requests,
      amountMicros: BigInt(totals.costMicros),
    }));
  }

  /** Every client's usage over a period, costliest first (billing's monthly breakdown). */
  private async byClient(organizationId: string, period: UsagePeriod) {
    return (await this.clientTotals(organizationId, period)).map(({ clientId, totals }) => ({
      clientId,
      ...view(totals),
    }));
  }

  /** One page of the per-client usage, costliest first; `cursor` is the position to start from. */
  async usageByClient(organizationId: string, period: UsagePeriod, page: { limit: number; cursor?: number }) {
    checkPeriod(period);
    const ranked = await this.clientTotals(organizationId, period);
    const start = page.cursor ?? 0;
    const end = start + page.limit;
    return {
      period,
      clients: await this.named(ranked.slice(start, end)),
      /** How many clients had usage in the period. */
      totalClients: ranked.length,
      nextCursor: end < ranked.length ? end : null,
    };
  }

  /**
   * The brief's platform usage report. By client: the `topClients` costliest, with the rest
   * summed in `otherClients` (a busy organization has thousands; usageByClient pages through them).
   */
  async usage(organizationId: string, period: UsagePeriod, topClients = DEFAULT_TOP_CLIENTS) {
    checkPeriod(period);
    const [org] = await this.db
      .select({ timezone: organizations.timezone })
      .from(organizations)
      .where(eq(organizations.id, organizationId));
    if (!org) throw new AppError("NOT_FOUND", "Organization not found");

    const [groups, ranked, lastYear, history, latency] = await Promise.all([
      this.organizationGroups(organizationId, period),
      this.clientTotals(organizationId, period),
      this.db
        .select(totals)
        .from(aiUsageOrgDailyRollups)
        .where(this.scope(organizationId, sameDayLastYear(period.from), sameDayLastYear(period.to))),
      this.monthlyHistory(organizationId, period.to),
      this.latencyBuckets(organizationId, period),
    ]);
    const { byDay, ...breakdown } = groups;
    const current = breakdown.totals;
    const previous = view(lastYear[0]!);
    const rest = ranked.slice(topClients);

    return {
      period,
      timezone: org.timezone,
      ...breakdown,
      byClient: await this.named(ranked.slice(0, topClients)),
      /** The clients after the first `topClients`, summed; null when there are none. */
      otherClients:
        rest.length > 0
          ? { clients: rest.length, ...view(rest.map((r) => r.totals).reduce((a, b) => addTotals(a, b))) }
          : null,
      byDay,
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
    // Detrended (ratio to moving average): a growing organization's later months are not
    // mistaken for its season (core's seasonal.ts).
    const index = seasonalIndexDetrended(history.map((h) => ({ month: h.month, value: h.requests })));
    const seasonal = index ? periodSeasonalFactor(index, period) : null;
    const adjusted = seasonal === null ? null : seasonallyAdjusted(now.totals.requests, seasonal);
    return {
      lastYear: { requests: before.totals.requests, costUsd: before.totals.costUsd },
      /** (this period − same period last year) / same period last year; null without last year. */
      yearOverYear: {
        requests: change(now.totals.requests, before.totals.requests),
        cost: change(now.costMicros, before.costMicros),
      },
      /** Detrended monthly index from the organization's own history (null with under 24 months). */
      seasonalIndex: index,
      /** The period's index (1 = an average time of year; 1.8 = peak season). */
      periodSeasonalFactor: seasonal,
      /** Requests with the season taken out, comparable across the year. */
      seasonallyAdjustedRequests: adjusted === null ? null : Math.round(adjusted),
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
   * most 3 years; the detrended index needs 24 months), from the organization-wide daily
   * counters: a few rows a day, where the rollups hold one per client, model and feature.
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
    const byMonth = new Map(rows.map((row) => [row.month, row]));
    return monthsBetween(rows[0]!.month, rows.at(-1)!.month).map((month) => {
      const row = byMonth.get(month);
      return { month, requests: row?.requests ?? 0, costMicros: BigInt(row?.costMicros ?? 0) };
    });
  }

  /** The period's latency histograms by feature: monthly ones plus and minus daily ones (coverWithMonths). */
  async latencyByFeature(organizationId: string, period: DayRange) {
    const lm = aiUsageLatencyMonthlyRollups;
    const ld = aiUsageLatencyRollups;
    const parts = await this.monthsPlusMinus(
      period,
      (months) =>
        this.db
          .select({
            featureType: lm.featureType,
            bucket: lm.bucket,
            count: sql<number>`sum(${lm.count})::int`,
          })
          .from(lm)
          .where(
            and(eq(lm.organizationId, organizationId), gte(lm.month, months.from), lte(lm.month, months.to)),
          )
          .groupBy(lm.featureType, lm.bucket),
      (ranges) =>
        this.db
          .select({
            featureType: ld.featureType,
            bucket: ld.bucket,
            count: sql<number>`sum(${ld.count})::int`,
          })
          .from(ld)
          .where(and(eq(ld.organizationId, organizationId), this.anyOf(ld.day, ranges)))
          .groupBy(ld.featureType, ld.bucket),
    );
    const byFeature = new Map<FeatureType, Map<number, number>>();
    for (const [rows, sign] of parts) {
      for (const row of rows) {
        const buckets = byFeature.get(row.featureType) ?? new Map<number, number>();
        buckets.set(row.bucket, (buckets.get(row.bucket) ?? 0) + sign * row.count);
        byFeature.set(row.featureType, buckets);
      }
    }
    for (const [feature, buckets] of byFeature) {
      for (const [bucket, count] of buckets) if (count === 0) buckets.delete(bucket);
      if (buckets.size === 0) byFeature.delete(feature);
    }
    return byFeature;
  }

  /** All features' histograms merged. */
  private async latencyBuckets(organizationId: string, period: DayRange) {
    const merged = new Map<number, number>();
    for (const buckets of (await this.latencyByFeature(organizationId, period)).values()) {
      for (const [bucket, count] of buckets) merged.set(bucket, (merged.get(bucket) ?? 0) + count);
    }
    return merged;
  }

  /**
   * A period's rows as core's coverWithMonths reads it: the monthly query over its months, and
   * the daily query over the days to add and over the days to take away, each with its sign.
   */
  private async monthsPlusMinus<Row>(
    period: DayRange,
    monthly: (months: DayRange) => Promise<Row[]>,
    daily: (ranges: DayRange[]) => Promise<Row[]>,
  ): Promise<Array<[Row[], 1 | -1]>> {
    const { months, plus, minus } = coverWithMonths(period);
    const [m, added, taken] = await Promise.all([
      months ? monthly(months) : [],
      plus.length > 0 ? daily(plus) : [],
      minus.length > 0 ? daily(minus) : [],
    ]);
    return [
      [m, 1],
      [added, 1],
      [taken, -1],
    ];
  }

  /** `column` inside any of the day ranges (a few: the partial months' days, from coverWithMonths). */
  private anyOf(column: AnyPgColumn, ranges: DayRange[]): SQL | undefined {
    return or(...ranges.map((r) => and(gte(column, r.from), lte(column, r.to))));
  }

  /** The organization-level daily rollup's rows of an organization from one day to another. */
  private scope(organizationId: string, from: string, to: string): SQL | undefined {
    const r = aiUsageOrgDailyRollups;
    return and(eq(r.organizationId, organizationId), gte(r.day, from), lte(r.day, to));
  }
}
