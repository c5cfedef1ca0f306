import {
  AppError,
  aiDailyCounters,
  aiUsageLogs,
  dayCount,
  dayInTimezone,
  FEATURE_TYPES,
  type FeatureType,
  fromMicros,
  organizations,
  percentileFromBuckets,
} from "@wedsync/core";
import { and, eq, gte, lte, sql } from "drizzle-orm";
import type { Database } from "../infra/database";
import type { AnalyticsService } from "./analytics-service";

export interface UsageByFeatureQuery {
  /** First day, "YYYY-MM-DD", in the organization's timezone. */
  from: string;
  /** Last day, inclusive. */
  to: string;
  /** One row per feature and day, or per feature and month ("YYYY-MM"). */
  by: "day" | "month";
}

/** Day by day up to the usage report's own limit; month by month, three years and a month (a seasonal index's history). */
export const MAX_USAGE_BY_FEATURE_DAYS = { day: 400, month: 1_131 } as const;

const round2 = (ms: number | null) => (ms === null ? null : Math.round(ms * 100) / 100);

function checkQuery(q: UsageByFeatureQuery) {
  const days = dayCount(q);
  const max = MAX_USAGE_BY_FEATURE_DAYS[q.by];
  if (!(days >= 1 && days <= max)) {
    throw new AppError("BAD_REQUEST", `the period must run forward and span at most ${max} days`, {
      fieldErrors: [{ field: "to", message: `must be on or after from, at most ${max} days later` }],
    });
  }
}

/**
 * Requests and spend per feature over a period, from the daily counters admission checks the
 * daily caps against (organization-wide rows): the figures a quota meter must show to agree with
 * what the next request will be told. `requests` counts admitted requests (in flight included),
 * `spentUsd` the settled cost, `reservedUsd` what requests in flight hold back. Response times per
 * feature come from the latency histograms. `lastEventSeq` is the newest usage event already
 * counted: a live event with a higher seq is not in these figures yet, so a screen can add it
 * without counting it twice.
 */
export async function readUsageByFeature(
  db: Database,
  analytics: AnalyticsService,
  organizationId: string,
  query: UsageByFeatureQuery,
  now = new Date(),
) {
  checkQuery(query);
  const [org] = await db
    .select({ timezone: organizations.timezone })
    .from(organizations)
    .where(eq(organizations.id, organizationId));
  if (!org) throw new AppError("NOT_FOUND", "Organization not found");

  const c = aiDailyCounters;
  const period = query.by === "day" ? sql<string>`${c.day}::text` : sql<string>`to_char(${c.day}, 'YYYY-MM')`;
  // One snapshot: a completion moves its counters and takes its event number in one statement,
  // so the counters read here hold exactly the events up to lastEventSeq.
  const [rows, [latest]] = await db.transaction(
    (tx) =>
      Promise.all([
        tx
          .select({
            period,
            featureType: c.featureType,
            requests: sql<number>`sum(${c.requests})::int`,
            spentMicros: sql<string>`sum(${c.spentMicros})::text`,
            reservedMicros: sql<string>`sum(${c.reservedMicros})::text`,
          })
          .from(c)
          .where(
            and(
              eq(c.organizationId, organizationId),
              eq(c.scope, "org"),
              gte(c.day, query.from),
              lte(c.day, query.to),
            ),
          )
          .groupBy(period, c.featureType)
          .orderBy(period, c.featureType),
        tx
          .select({ seq: sql<number>`coalesce(max(${aiUsageLogs.eventSeq}), 0)::bigint` })
          .from(aiUsageLogs)
          .where(eq(aiUsageLogs.organizationId, organizationId)),
      ]),
    { isolationLevel: "repeatable read", accessMode: "read only" },
  );
  const latency = await analytics.latencyByFeature(organizationId, query);

  const used = rows.filter((r) => r.requests !== 0 || r.spentMicros !== "0" || r.reservedMicros !== "0");
  const totals = new Map<FeatureType, { requests: number; spent: bigint; reserved: bigint }>();
  for (const r of used) {
    const t = totals.get(r.featureType) ?? { requests: 0, spent: 0n, reserved: 0n };
    t.requests += r.requests;
    t.spent += BigInt(r.spentMicros);
    t.reserved += BigInt(r.reservedMicros);
    totals.set(r.featureType, t);
  }
  return {
    period: { from: query.from, to: query.to },
    by: query.by,
    timezone: org.timezone,
    /** The organization's today, "YYYY-MM-DD". */
    today: dayInTimezone(now, org.timezone),
    lastEventSeq: Number(latest?.seq ?? 0),
    /** Every feature over the whole period (zeros included), with its response times. */
    features: FEATURE_TYPES.map((featureType) => {
      const t = totals.get(featureType) ?? { requests: 0, spent: 0n, reserved: 0n };
      const buckets = Object.fromEntries(latency.get(featureType) ?? []);
      return {
        featureType,
        requests: t.requests,
        spentUsd: fromMicros(t.spent, 6),
        reservedUsd: fromMicros(t.reserved, 6),
        p50Ms: round2(percentileFromBuckets(buckets, 0.5)),
        p95Ms: round2(percentileFromBuckets(buckets, 0.95)),
        p99Ms: round2(percentileFromBuckets(buckets, 0.99)),
      };
    }),
    /** Days (or months) with any use, in order, each feature apart. */
    rows: used.map((r) => ({
      period: r.period,
      featureType: r.featureType,
      requests: r.requests,
      spentUsd: fromMicros(BigInt(r.spentMicros), 6),
      reservedUsd: fromMicros(BigInt(r.reservedMicros), 6),
    })),
  };
}
