import {
  type AlertKind,
  type AlertRuleRow,
  aiDailyCounters,
  aiMonthlySpend,
  aiPlatformConfigs,
  aiUsageDailyRollups,
  aiUsageLatencyRollups,
  aiUsageOrgDailyRollups,
  dayInTimezone,
  type FeatureType,
  fromMicros,
  monthInTimezone,
  organizations,
  percentileFromBuckets,
  toMicros,
} from "@wedsync/core";
import { and, eq, gt, inArray, sql } from "drizzle-orm";
import type { Database } from "../infra/database";

/** A threshold a measurement has reached: one alert row (organization, kind, threshold, period). */
export interface Crossing {
  rule: AlertRuleRow;
  kind: AlertKind;
  threshold: number;
  /** "2027-06-12/field_extraction" (daily cost, per feature), "2027-06" (monthly), "2027-06-12" (rates). */
  period: string;
  value: string;
  message: string;
}

/** The organization's day so far, for error-rate and p95 rules (the brief's alertOnPerformanceIssues input). */
export interface PerformanceMeasurement {
  organizationId: string;
  /** The organization's day. */
  period: string;
  /** Completed requests (succeeded + failed). */
  requests: number;
  failed: number;
  /** Processing-time p95 of the day's completed requests (null without any). */
  p95Ms: number | null;
}

export interface CostMeasurements {
  /** Per feature and day (today and yesterday, so a crossing just before midnight is not missed). */
  daily: Array<{
    featureType: FeatureType;
    day: string;
    spentMicros: bigint;
    capMicros: bigint;
    /** Requests the daily cost cap turned away that day. */
    turnedAway: number;
  }>;
  monthly: Array<{ month: string; spentMicros: bigint; limitMicros: bigint }>;
}

const DAY_MS = 86_400_000;
const previousDay = (day: string) => new Date(Date.parse(day) - DAY_MS).toISOString().slice(0, 10);

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
  const days = [previousDay(today), today];
  const months = [...new Set(days.map((d) => d.slice(0, 7)))];
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

/** Whole percent, rounded down: what a message shows (the comparison itself is exact). */
const percentOf = (part: bigint, whole: bigint) => (whole > 0n ? (part * 100n) / whole : 0n);

/** Cost thresholds reached: spent × 100 ≥ cap × threshold, in integer micro-dollars (never a float). */
export function costCrossings(rules: readonly AlertRuleRow[], m: CostMeasurements): Crossing[] {
  const out: Crossing[] = [];
  for (const rule of rules) {
    if (rule.kind === "daily_cost") {
      for (const d of m.daily) {
        if (d.capMicros <= 0n) continue; // a zero cap admits nothing: there is no share of it to report
        for (const t of rule.thresholds) {
          const spent = fromMicros(d.spentMicros, 6);
          const share = `${percentOf(d.spentMicros, d.capMicros)}% of its $${fromMicros(d.capMicros, 2)} daily cost cap`;
          const reached = d.spentMicros * 100n >= d.capMicros * BigInt(t);
          // Admission reserves each request's worst case, so spend stops short of the cap: the cap
          // is also reached when it turns a request away.
          const capped = !reached && t === 100 && d.turnedAway > 0;
          if (!reached && !capped) continue;
          out.push({
            rule,
            kind: rule.kind,
            threshold: t,
            period: `${d.day}/${d.featureType}`,
            value: spent,
            message: capped
              ? `${d.featureType} reached its daily cost cap on ${d.day}: ${d.turnedAway} request${d.turnedAway === 1 ? "" : "s"} turned away at $${spent} spent, ${share} (alert at ${t}%)`
              : `${d.featureType} spent $${spent} on ${d.day}: ${share} (alert at ${t}%)`,
          });
        }
      }
    }
    if (rule.kind === "monthly_cost") {
      for (const mo of m.monthly) {
        if (mo.limitMicros <= 0n) continue;
        for (const t of rule.thresholds) {
          if (mo.spentMicros * 100n < mo.limitMicros * BigInt(t)) continue;
          out.push({
            rule,
            kind: rule.kind,
            threshold: t,
            period: mo.month,
            value: fromMicros(mo.spentMicros, 6),
            message: `Spent $${fromMicros(mo.spentMicros, 6)} in ${mo.month}: ${percentOf(mo.spentMicros, mo.limitMicros)}% of the $${fromMicros(mo.limitMicros, 2)} monthly credit limit (alert at ${t}%)`,
          });
        }
      }
    }
  }
  return out;
}

/**
 * Error-rate and p95 thresholds the day so far has reached, once it has `minRequests` completed
 * requests (three failures among the day's first five are not a 60% error rate worth waking anyone for).
 */
export function performanceCrossings(
  rules: readonly AlertRuleRow[],
  m: PerformanceMeasurement,
  minRequests: number,
): Crossing[] {
  if (m.requests < minRequests || m.requests === 0) return [];
  const out: Crossing[] = [];
  for (const rule of rules) {
    for (const t of rule.thresholds) {
      if (rule.kind === "error_rate" && m.failed * 100 >= t * m.requests) {
        const rate = ((m.failed * 100) / m.requests).toFixed(2);
        out.push({
          rule,
          kind: rule.kind,
          threshold: t,
          period: m.period,
          value: rate,
          message: `${m.failed} of ${m.requests} requests failed on ${m.period}: ${rate}% (alert at ${t}%)`,
        });
      }
      if (rule.kind === "p95_latency" && m.p95Ms !== null && m.p95Ms >= t) {
        const p95 = String(Math.round(m.p95Ms));
        out.push({
          rule,
          kind: rule.kind,
          threshold: t,
          period: m.period,
          value: p95,
          message: `p95 processing time on ${m.period} is ${p95} ms over ${m.requests} requests (alert at ${t} ms)`,
        });
      }
    }
  }
  return out;
}
