import { dayInTimezone } from "./calendar";
import type { FeatureType, SubscriptionTier } from "./codes";
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
  /** An emergency throttle set by platform staff (checked first, before everything above). */
  "throttled",
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

/**
 * Seconds until the next midnight in the organization's timezone, when daily caps reset. Days
 * with a clock change are 23 or 25 hours long, so the naive "24 h minus the time of day" is
 * corrected by checking where the calendar day actually turns.
 */
export function secondsUntilNextDay(now: Date, timeZone: string): number {
  const parts = new Intl.DateTimeFormat("en-GB", {
    timeZone,
    hour: "2-digit",
    minute: "2-digit",
    second: "2-digit",
    hourCycle: "h23",
  }).formatToParts(now);
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value ?? 0);
  const naive = 86_400 - (get("hour") * 3600 + get("minute") * 60 + get("second"));
  const today = dayInTimezone(now, timeZone);
  const turnsAt = (s: number) =>
    dayInTimezone(new Date(now.getTime() + s * 1000), timeZone) !== today &&
    dayInTimezone(new Date(now.getTime() + (s - 1) * 1000), timeZone) === today;
  const found = [naive, naive - 3600, naive + 3600].find((s) => s > 0 && turnsAt(s));
  return Math.max(1, found ?? naive);
}

export type CreditStatus = "ok" | "warning" | "exceeded";

/** Where an organization stands against its monthly credit limit: a warning from 80%, exceeded at 100%. */
export function creditStatus(usedMicros: bigint, limitMicros: bigint): CreditStatus {
  if (usedMicros >= limitMicros) return "exceeded";
  if (usedMicros * 10n >= limitMicros * 8n) return "warning";
  return "ok";
}
