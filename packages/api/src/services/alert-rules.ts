import type { AlertRow, AlertRuleRow } from "@wedsync/core";

// The threshold rules live in core (domain/alerts.ts); the routers' input schemas read them here.
export { MAX_THRESHOLDS, THRESHOLD_RANGES } from "@wedsync/core";

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
