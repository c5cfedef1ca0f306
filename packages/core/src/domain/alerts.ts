/**
 * Budget and performance alerts: which thresholds a rule may hold, which of them a measurement has
 * reached, and which of those are not yet recorded. Pure: the API reads the measurements and
 * records and delivers the alerts.
 *
 * A crossing is identified by (kind, threshold, period): the organization's alert table has that
 * as its unique key, so each is raised once however often it is evaluated, on whichever instance.
 * The period is "2027-06-12/field_extraction" for daily cost (a feature's day), "2027-06" for
 * monthly cost, and "2027-06-12" (the organization's day so far) for error rate and p95.
 */
import type { AlertKind, AlertRuleRow } from "../schema/analytics";
import { addDays } from "./calendar";
import type { FeatureType } from "./codes";
import type { FieldError } from "./errors";
import { fromMicros } from "./money";

// ---- rules --------------------------------------------------------------------------------------

/** Thresholds a rule of each kind may hold: cost rules in percent of the cap, error rate in percent, p95 in ms. */
export const THRESHOLD_RANGES: Record<AlertKind, { min: number; max: number; unit: string }> = {
  daily_cost: { min: 1, max: 100, unit: "percent of the daily cost cap" },
  monthly_cost: { min: 1, max: 100, unit: "percent of the monthly credit limit" },
  error_rate: { min: 1, max: 100, unit: "percent of completed requests failing" },
  p95_latency: { min: 1, max: 600_000, unit: "milliseconds" },
};

export const MAX_THRESHOLDS = 10;

/** Field errors for thresholds that do not fit the rule's kind (none when they do). */
export function thresholdProblems(kind: AlertKind, thresholds: readonly number[]): FieldError[] {
  const { min, max, unit } = THRESHOLD_RANGES[kind];
  const problems: FieldError[] = [];
  thresholds.forEach((t, i) => {
    if (!Number.isSafeInteger(t) || t < min || t > max) {
      problems.push({
        field: `thresholds.${i}`,
        message: `must be a whole number from ${min} to ${max} (${unit})`,
      });
    }
  });
  if (new Set(thresholds).size !== thresholds.length) {
    problems.push({ field: "thresholds", message: "must not repeat a value" });
  }
  return problems;
}

/** Thresholds as a rule stores them: ascending. */
export function sortedThresholds(thresholds: readonly number[]): number[] {
  return [...thresholds].sort((a, b) => a - b);
}

// ---- measurements -------------------------------------------------------------------------------

/** What a rule needs of its row to be evaluated; the API passes whole rows and gets them back. */
export type AlertRuleLike = Pick<AlertRuleRow, "kind" | "thresholds">;

/** A threshold a measurement has reached: one alert row (organization, kind, threshold, period). */
export interface Crossing<R extends AlertRuleLike = AlertRuleRow> {
  rule: R;
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

/**
 * The days and months cost rules look at, for the organization's day `today`: yesterday and
 * today (a crossing just before midnight is still seen after it), and their months.
 */
export function costAlertWindow(today: string): { days: string[]; months: string[] } {
  const days = [addDays(today, -1), today];
  return { days, months: [...new Set(days.map((d) => d.slice(0, 7)))] };
}

// ---- crossings ----------------------------------------------------------------------------------

/** Whole percent, rounded down: what a message shows (the comparison itself is exact). */
const percentOf = (part: bigint, whole: bigint) => (whole > 0n ? (part * 100n) / whole : 0n);

/** Cost thresholds reached: spent × 100 ≥ cap × threshold, in integer micro-dollars (never a float). */
export function costCrossings<R extends AlertRuleLike>(
  rules: readonly R[],
  m: CostMeasurements,
): Crossing<R>[] {
  const out: Crossing<R>[] = [];
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
export function performanceCrossings<R extends AlertRuleLike>(
  rules: readonly R[],
  m: PerformanceMeasurement,
  minRequests: number,
): Crossing<R>[] {
  if (m.requests < minRequests || m.requests === 0) return [];
  const out: Crossing<R>[] = [];
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

type CrossingKey = Pick<Crossing<AlertRuleLike>, "kind" | "threshold" | "period">;

/** The periods the crossings name, each once: the alerts already recorded for them are all that matter. */
export function crossingPeriods(crossings: readonly CrossingKey[]): string[] {
  return [...new Set(crossings.map((c) => c.period))];
}

/** The crossings not among the alerts already recorded (matched on kind, threshold and period). */
export function unrecordedCrossings<C extends CrossingKey>(
  crossings: readonly C[],
  recorded: readonly CrossingKey[],
): C[] {
  const key = (c: CrossingKey) => `${c.kind}|${c.threshold}|${c.period}`;
  const seen = new Set(recorded.map(key));
  return crossings.filter((c) => !seen.has(key(c)));
}
