import { THRESHOLD_RANGES } from "@wedsync/core/domain";
import type { RouterOutputs } from "@wedsync/ui/trpc";
import { featureWords } from "@wedsync/ui/words";

export type AlertRule = RouterOutputs["alerts"]["rules"]["list"][number];
export type AlertItem = RouterOutputs["alerts"]["list"]["alerts"][number];
export type AlertKind = AlertRule["kind"];

/** Every kind, in the order the screen offers them. */
export const ALERT_KINDS = Object.keys(THRESHOLD_RANGES) as AlertKind[];

export const KIND_WORDS: Record<AlertKind, { name: string; description: string }> = {
  daily_cost: {
    name: "Daily spend per feature",
    description: "When a feature's spend today reaches a share of its daily cost cap.",
  },
  monthly_cost: {
    name: "Monthly spend",
    description: "When this month's spend reaches a share of your monthly credit limit.",
  },
  error_rate: {
    name: "Failed requests",
    description:
      "When the share of today's requests that fail reaches a level (judged after the day's first 20).",
  },
  p95_latency: {
    name: "Slow responses",
    description:
      "When 95% of today's requests take at least this long to process, in milliseconds (judged after the day's first 20).",
  },
};

/** The threshold's unit in words, for a field's label: "percent of the daily cost cap". */
export const unitWords = (kind: AlertKind) => THRESHOLD_RANGES[kind].unit;

const count = new Intl.NumberFormat("en-US");

/** "80%, 100%" or "1,500 ms". */
export function thresholdWords(kind: AlertKind, thresholds: readonly number[]): string {
  const one = (t: number) => (kind === "p95_latency" ? `${count.format(t)} ms` : `${t}%`);
  return thresholds.map(one).join(", ");
}

const FEATURE_CODE = /\b(pdf_analysis|field_extraction|smart_mapping)\b/g;

/** The API's alert message with feature codes and jargon in words. */
export function alertMessageWords(message: string): string {
  return message
    .replace(FEATURE_CODE, (code) => featureWords(code))
    .replace(/\bp95 processing time\b/, "95th-percentile processing time");
}

/** How the alert's webhook delivery stands, in words (`time` formats an instant for the reader). */
export function deliveryWords(delivery: AlertItem["delivery"], time: (d: Date) => string): string {
  if (delivery.deliveredAt) return `Sent to your webhook ${time(delivery.deliveredAt)}`;
  if (delivery.nextAttemptAt) {
    if (delivery.attempts === 0) return "Sending to your webhook…";
    return `Webhook attempt ${delivery.attempts} failed${delivery.error ? ` (${delivery.error})` : ""}; trying again ${time(delivery.nextAttemptAt)}`;
  }
  if (delivery.attempts > 0) {
    return `Webhook not delivered after ${delivery.attempts} attempts${delivery.error ? ` (${delivery.error})` : ""}`;
  }
  return "Shown here only (the rule had no webhook)";
}
