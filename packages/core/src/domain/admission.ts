import type { FeatureType, SubscriptionTier } from "../schema/enums";
import type { EffectiveConfig } from "./config-types";
import { tierViolation } from "./tiers";

/** Why a request was turned away, as recorded on its usage row. */
export const REJECTION_REASONS = [
  "feature_disabled",
  "tier",
  "rate_limited",
  "daily_request_cap",
  "daily_cost_cap",
  "credit_limit",
] as const;
export type RejectionReason = (typeof REJECTION_REASONS)[number];

/**
 * Step 1 of admission: may this client use this feature at all? Returns the reason and a message
 * for the caller, or null when the effective configuration allows it.
 */
export function configRejection(
  tier: SubscriptionTier,
  featureType: FeatureType,
  effective: EffectiveConfig,
): { reason: RejectionReason; message: string } | null {
  const tierMessage = tierViolation(tier, featureType);
  if (tierMessage) return { reason: "tier", message: tierMessage };
  if (effective.disabledBy === "platform") {
    return { reason: "feature_disabled", message: `${featureType} is disabled for this organization` };
  }
  if (effective.disabledBy === "client") {
    return { reason: "feature_disabled", message: `${featureType} is disabled for this client` };
  }
  return null;
}

/** What is left of a daily cap after a request: the tighter of the organization's and the client's. */
export function remainingToday(
  counters: Array<{ used: number; max: number; usedMicros: bigint; maxMicros: bigint } | null>,
): { requests: number; micros: bigint } {
  let requests = Number.POSITIVE_INFINITY;
  let micros: bigint | null = null;
  for (const c of counters) {
    if (!c) continue;
    requests = Math.min(requests, Math.max(0, c.max - c.used));
    const left = c.maxMicros > c.usedMicros ? c.maxMicros - c.usedMicros : 0n;
    micros = micros === null || left < micros ? left : micros;
  }
  return { requests: Number.isFinite(requests) ? requests : 0, micros: micros ?? 0n };
}

/** Seconds until the next midnight in the organization's timezone: when daily caps reset. */
export function secondsUntilNextDay(now: Date, timeZone: string): number {
  const parts = new Intl.DateTimeFormat("en-GB", {
    timeZone,
    hour: "2-digit",
    minute: "2-digit",
    second: "2-digit",
    hourCycle: "h23",
  }).formatToParts(now);
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value ?? 0);
  const elapsed = get("hour") * 3600 + get("minute") * 60 + get("second");
  return Math.max(1, 86_400 - elapsed);
}

export type CreditStatus = "ok" | "warning" | "exceeded";

/** Where an organization stands against its monthly credit limit: a warning from 80%, exceeded at 100%. */
export function creditStatus(usedMicros: bigint, limitMicros: bigint): CreditStatus {
  if (usedMicros >= limitMicros) return "exceeded";
  if (usedMicros * 10n >= limitMicros * 8n) return "warning";
  return "ok";
}
