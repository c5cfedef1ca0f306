import type { AlertKind, AlertRow, AlertRuleRow, FieldError } from "@wedsync/core";

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

/** A rule as callers see it: the webhook secret is write-only, so only whether one is set. */
export function alertRuleView(row: AlertRuleRow) {
  return {
    id: row.id,
    kind: row.kind,
    thresholds: row.thresholds,
    webhookUrl: row.webhookUrl,
    hasWebhookSecret: row.webhookSecret !== null,
    enabled: row.enabled,
    createdAt: row.createdAt,
  };
}
export type AlertRuleView = ReturnType<typeof alertRuleView>;

export function alertView(row: AlertRow) {
  return {
    id: row.id,
    organizationId: row.organizationId,
    ruleId: row.ruleId,
    kind: row.kind,
    threshold: row.threshold,
    period: row.period,
    value: row.value,
    message: row.message,
    createdAt: row.createdAt,
    delivery: {
      attempts: row.deliveryAttempts,
      deliveredAt: row.deliveredAt,
      error: row.deliveryError,
      /** When the next attempt is due; null when nothing is left to send. */
      nextAttemptAt: row.nextAttemptAt,
    },
  };
}
export type AlertView = ReturnType<typeof alertView>;
