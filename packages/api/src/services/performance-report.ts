import {
  AppError,
  aiApiMetrics,
  aiApiMetricsPlatform,
  DEFAULT_SLA,
  dayCount,
  dayInTimezone,
  endpointSlaCompliance,
  fromMicros,
  lastDays,
  organizations,
  percentileFromBuckets,
  toMicros,
} from "@wedsync/core";
import { and, eq, gte, lt, type SQL, sql } from "drizzle-orm";
import { type Database, rowsOf } from "../infra/database";
import type { Metrics } from "../infra/metrics";
import type { AnalyticsService } from "./analytics-service";

/** Days in the organization's timezone, both inclusive ("YYYY-MM-DD"). */
export interface ReportWindow {
  from: string;
  to: string;
}

export interface SlaWindow {
  /** The last this many hours, the current one included (default 24). */
  hours?: number;
  /** One organization's requests only (default: every organization's). */
  organizationId?: string | undefined;
}

const HOUR_MS = 3_600_000;
const DEFAULT_REPORT_DAYS = 7;
const MAX_REPORT_DAYS = 92;
export const MAX_SLA_HOURS = 24 * 31;

const round2 = (ms: number | null) => (ms === null ? null : Math.round(ms * 100) / 100);
const ratio = (part: number, whole: number) => (whole > 0 ? part / whole : null);

export function percentiles(buckets: Record<number, number> | undefined) {
  const counts = buckets ?? {};
  return {
    p50Ms: round2(percentileFromBuckets(counts, 0.5)),
    p95Ms: round2(percentileFromBuckets(counts, 0.95)),
    p99Ms: round2(percentileFromBuckets(counts, 0.99)),
  };
}

/** Bucket counts grouped by a key: `{ key -> { bucket -> count } }`. */
function histograms<K extends string>(rows: Array<{ key: K; bucket: number; count: number }>) {
  const out = new Map<K, Record<number, number>>();
  for (const r of rows) {
    const h = out.get(r.key) ?? {};
    h[r.bucket] = (h[r.bucket] ?? 0) + r.count;
    out.set(r.key, h);
  }
  return out;
}

/**
 * Per endpoint: counts, totals and the merged latency histogram of the rows `where` selects, from
 * the per-organization metrics or the platform-wide ones (the same columns).
 */
async function endpointFigures(
  db: Database,
  where: SQL | undefined,
  m: typeof aiApiMetrics | typeof aiApiMetricsPlatform = aiApiMetrics,
) {
  const [totals, buckets] = await Promise.all([
    db
      .select({
        endpoint: m.endpoint,
        requests: sql<number>`sum(${m.requests})::int`,
        clientErrors: sql<number>`sum(${m.clientErrors})::int`,
        serverErrors: sql<number>`sum(${m.serverErrors})::int`,
        durationMs: sql<string>`sum(${m.durationMsTotal})::text`,
        dbMs: sql<string>`sum(${m.dbMsTotal})::text`,
      })
      .from(m)
      .where(where)
      .groupBy(m.endpoint)
      .orderBy(m.endpoint),
    db.execute(sql`
      select ${m.endpoint} as key, b.key::int as bucket, sum(b.value::int)::int as count
        from ${m}, jsonb_each_text(${m.buckets}) b
       where ${where ?? sql`true`}
       group by ${m.endpoint}, b.key`),
  ]);
  const byEndpoint = histograms(rowsOf<{ key: string; bucket: number; count: number }>(buckets));
  return totals.map((t) => ({ ...t, buckets: byEndpoint.get(t.endpoint) ?? {} }));
}

/**
 * The organization's performance over a window of its own days: per endpoint (from the API
 * metrics) and per feature (from the usage rollups), cost per request by day, how the rate limit
 * and caps turned requests away, and the config cache's hit rate on this instance.
 */
export async function readPerformanceReport(
  db: Database,
  analytics: AnalyticsService,
  metrics: Metrics,
  organizationId: string,
  requested: Partial<ReportWindow> = {},
) {
  const [org] = await db
    .select({ timezone: organizations.timezone })
    .from(organizations)
    .where(eq(organizations.id, organizationId));
  if (!org) throw new AppError("NOT_FOUND", "Organization not found");
  const window = resolveWindow(requested, org.timezone);
  const tz = org.timezone;
  const m = aiApiMetrics;
  // The window's days are the organization's: its first midnight to the midnight after its last day.
  const inWindow = and(
    eq(m.organizationId, organizationId),
    gte(m.hour, sql`(${window.from}::date)::timestamp at time zone ${tz}`),
    lt(m.hour, sql`(${window.to}::date + 1)::timestamp at time zone ${tz}`),
  );
  const [endpoints, featureHistograms, breakdown, cache] = await Promise.all([
    endpointFigures(db, inWindow),
    analytics.latencyByFeature(organizationId, window),
    analytics.organizationGroups(organizationId, window),
    cacheFigures(metrics),
  ]);
  const endpointRows = endpoints.map((e) => ({
    endpoint: e.endpoint,
    requests: e.requests,
    clientErrors: e.clientErrors,
    serverErrors: e.serverErrors,
    /** 5xx answers / requests (4xx are the caller's mistakes, not the platform's). */
    errorRate: ratio(e.serverErrors, e.requests),
    ...percentiles(e.buckets),
    meanMs: round2(ratio(Number(e.durationMs), e.requests)),
    meanDbMs: round2(ratio(Number(e.dbMs), e.requests)),
  }));
  const sla = endpointSlaCompliance(
    endpointRows.map((e) => ({
      endpoint: e.endpoint,
      p95Ms: e.p95Ms,
      requests: e.requests,
      successes: e.requests - e.serverErrors,
    })),
  );
  const totals = breakdown.totals;
  return {
    organizationId,
    window,
    timezone: tz,
    endpoints: endpointRows.map((e, i) => ({ ...e, sla: sla.endpoints[i]! })),
    features: breakdown.byFeature.map((f) => ({
      featureType: f.featureType,
      requests: f.requests,
      succeeded: f.succeeded,
      failed: f.failed,
      /** Failed / completed requests (rejections never reached a provider). */
      errorRate: ratio(f.failed, f.requests),
      ...percentiles(Object.fromEntries(featureHistograms.get(f.featureType) ?? [])),
    })),
    /** Per day: cost / completed requests, exact to the micro-dollar (rounded down). */
    costPerRequest: breakdown.byDay.map((d) => {
      const cost = toMicros(d.costUsd);
      return {
        day: d.day,
        requests: d.requests,
        costUsd: fromMicros(cost, 6),
        costPerRequestUsd: d.requests > 0 ? fromMicros(cost / BigInt(d.requests), 6) : null,
      };
    }),
    rateLimiting: {
      /** Requests let through every check (completed, succeeded or failed). */
      admitted: totals.requests,
      rejected: totals.rejected,
      rejectedByReason: totals.rejectedByReason,
      rejectionRate: ratio(totals.rejected, totals.requests + totals.rejected),
    },
    configCache: cache,
    sla: {
      policy: DEFAULT_SLA,
      compliant: sla.breachedCount === 0,
      breachedEndpoints: sla.endpoints.filter((e) => !e.compliant).map((e) => e.endpoint),
    },
  };
}

/** Which endpoints break the SLA over the last `hours` (5xx answers count as failures). */
export async function readSlaCompliance(db: Database, window: SlaWindow, now = new Date()) {
  const hours = window.hours ?? 24;
  const to = new Date(Math.floor(now.getTime() / HOUR_MS) * HOUR_MS + HOUR_MS);
  const from = new Date(to.getTime() - hours * HOUR_MS);
  // One organization's rows, or the platform-wide ones (every organization together).
  const rows = window.organizationId
    ? await endpointFigures(
        db,
        and(
          gte(aiApiMetrics.hour, from),
          lt(aiApiMetrics.hour, to),
          eq(aiApiMetrics.organizationId, window.organizationId),
        ),
      )
    : await endpointFigures(
        db,
        and(gte(aiApiMetricsPlatform.hour, from), lt(aiApiMetricsPlatform.hour, to)),
        aiApiMetricsPlatform,
      );
  const summaries = rows.map((e) => ({
    endpoint: e.endpoint,
    p95Ms: round2(percentileFromBuckets(e.buckets, 0.95)),
    requests: e.requests,
    successes: e.requests - e.serverErrors,
  }));
  const report = endpointSlaCompliance(summaries);
  const endpoints = report.endpoints.map((e, i) => ({
    ...e,
    requests: summaries[i]!.requests,
    p95Ms: summaries[i]!.p95Ms,
  }));
  return {
    window: {
      hours,
      from: from.toISOString(),
      to: to.toISOString(),
      organizationId: window.organizationId ?? null,
    },
    policy: DEFAULT_SLA,
    compliant: report.breachedCount === 0,
    complianceRatio: report.complianceRatio,
    endpoints,
    breaches: endpoints.filter((e) => !e.compliant),
  };
}

/** The effective-config cache on this instance (its counters are per process, not per organization). */
export async function cacheFigures(metrics: Metrics) {
  const { values } = await metrics.configCacheLookups.get();
  const count = (result: string) => values.find((v) => v.labels.result === result)?.value ?? 0;
  const hits = count("hit");
  const sharedHits = count("shared_hit");
  const misses = count("miss");
  return {
    scope: "instance" as const,
    hits,
    sharedHits,
    misses,
    hitRate: ratio(hits + sharedHits, hits + sharedHits + misses),
  };
}

function resolveWindow(requested: Partial<ReportWindow>, timezone: string): ReportWindow {
  const to = requested.to ?? dayInTimezone(new Date(), timezone);
  const from = requested.from ?? lastDays(to, DEFAULT_REPORT_DAYS).from;
  const days = dayCount({ from, to });
  if (!(days >= 1 && days <= MAX_REPORT_DAYS)) {
    throw new AppError(
      "BAD_REQUEST",
      `the window must run forward and span at most ${MAX_REPORT_DAYS} days`,
      {
        fieldErrors: [
          { field: "to", message: `must be on or after from, at most ${MAX_REPORT_DAYS} days later` },
        ],
      },
    );
  }
  return { from, to };
}
