import {
  type AlertKind,
  aiDailyCounters,
  aiMonthlySpend,
  aiPlatformConfigs,
  aiUsageDailyRollups,
  aiUsageLatencyRollups,
  aiUsageOrgDailyRollups,
  type CostMeasurements,
  costAlertWindow,
  dayInTimezone,
  monthInTimezone,
  organizations,
  type PerformanceMeasurement,
  percentileFromBuckets,
  toMicros,
} from "@wedsync/core";
import { and, eq, gt, inArray, sql } from "drizzle-orm";
import type { Database } from "../infra/database";

/** What the organization's rules compare against, read from the counters and rollups (small, indexed reads). */
export async function measure(
  db: Database,
  organizationId: string,
  kinds: ReadonlySet<AlertKind>,
  now: Date,
) {
  const [org] = await db
    .select({ timezone: organizations.timezone, creditLimit: organizations.monthlyCreditLimit })
    .from(organizations)
    .where(eq(organizations.id, organizationId));
  if (!org) return null;
  const today = dayInTimezone(now, org.timezone);
  const { days, months } = costAlertWindow(today);
  const c = aiDailyCounters;
  const p = aiPlatformConfigs;
  const r = aiUsageDailyRollups;
  const l = aiUsageLatencyRollups;
  const o = aiUsageOrgDailyRollups;
  const [daily, capped, monthly, day, latency] = await Promise.all([
    kinds.has("daily_cost")
      ? db
          .select({
            featureType: c.featureType,
            day: c.day,
            spentMicros: c.spentMicros,
            cap: p.maxCostPerDay,
          })
          .from(c)
          .innerJoin(p, and(eq(p.organizationId, c.organizationId), eq(p.featureType, c.featureType)))
          .where(and(eq(c.organizationId, organizationId), eq(c.scope, "org"), inArray(c.day, days)))
      : [],
    kinds.has("daily_cost")
      ? db
          .select({
            featureType: o.featureType,
            day: o.day,
            turnedAway: sql<number>`sum(${o.rejectedDailyCostCap})::int`,
          })
          .from(o)
          .where(
            and(eq(o.organizationId, organizationId), inArray(o.day, days), gt(o.rejectedDailyCostCap, 0)),
          )
          .groupBy(o.featureType, o.day)
      : [],
    kinds.has("monthly_cost")
      ? db
          .select({ month: aiMonthlySpend.month, spentMicros: aiMonthlySpend.spentMicros })
          .from(aiMonthlySpend)
          .where(
            and(eq(aiMonthlySpend.organizationId, organizationId), inArray(aiMonthlySpend.month, months)),
          )
      : [],
    kinds.has("error_rate") || kinds.has("p95_latency")
      ? db
          .select({
            requests: sql<number>`coalesce(sum(${r.requests}), 0)::int`,
            failed: sql<number>`coalesce(sum(${r.failed}), 0)::int`,
          })
          .from(r)
          .where(and(eq(r.organizationId, organizationId), eq(r.day, today)))
      : [],
    kinds.has("p95_latency")
      ? db
          .select({ bucket: l.bucket, count: sql<number>`sum(${l.count})::int` })
          .from(l)
          .where(and(eq(l.organizationId, organizationId), eq(l.day, today)))
          .groupBy(l.bucket)
      : [],
  ]);
  const cost: CostMeasurements = {
    daily: daily.map((d) => ({
      featureType: d.featureType,
      day: d.day,
      spentMicros: d.spentMicros,
      capMicros: toMicros(d.cap),
      turnedAway: capped.find((x) => x.featureType === d.featureType && x.day === d.day)?.turnedAway ?? 0,
    })),
    monthly: monthly.map((m) => ({
      month: m.month,
      spentMicros: m.spentMicros,
      limitMicros: toMicros(org.creditLimit),
    })),
  };
  const performance: PerformanceMeasurement = {
    organizationId,
    period: today,
    requests: day[0]?.requests ?? 0,
    failed: day[0]?.failed ?? 0,
    p95Ms: percentileFromBuckets(Object.fromEntries(latency.map((b) => [b.bucket, b.count])), 0.95),
  };
  return { cost, performance, month: monthInTimezone(now, org.timezone) };
}
