import type { ClientOverride, OverridableField, PlatformLimits, Violation } from "./config-types";
import { compareAmounts } from "./money";

/**
 * Every way `override` breaks the platform's constraints, each naming its field.
 * An empty list means the override may be stored.
 */
export function validateClientOverride(platform: PlatformLimits, override: ClientOverride): Violation[] {
  const violations: Violation[] = [];
  if (override.isEnabled === true && !platform.isEnabled) {
    violations.push({
      field: "isEnabled",
      message: `${platform.featureType} is disabled at platform level; a client cannot enable it`,
    });
  }
  const numeric: Array<[OverridableField, number | null, number, string]> = [
    ["maxRequestsPerDay", override.maxRequestsPerDay, platform.maxRequestsPerDay, "requests a day"],
    ["rateLimitPerMinute", override.rateLimitPerMinute, platform.rateLimitPerMinute, "requests a minute"],
  ];
  for (const [field, own, limit, unit] of numeric) {
    if (own === null) continue;
    if (!Number.isInteger(own) || own < 0)
      violations.push({ field, message: "must be a whole number, zero or more" });
    else if (own > limit)
      violations.push({ field, message: `${own} exceeds the platform limit of ${limit} ${unit}` });
  }
  if (override.maxCostPerDay !== null) {
    if (compareAmounts(override.maxCostPerDay, "0") < 0) {
      violations.push({ field: "maxCostPerDay", message: "must be zero or more" });
    } else if (compareAmounts(override.maxCostPerDay, platform.maxCostPerDay) > 0) {
      violations.push({
        field: "maxCostPerDay",
        message: `$${override.maxCostPerDay} exceeds the platform limit of $${platform.maxCostPerDay} a day`,
      });
    }
  }
  return violations;
}

export interface ClampedOverride<T extends ClientOverride> {
  before: T;
  after: T;
  fields: OverridableField[];
}

/**
 * The cascade: after a platform change, the stored overrides that now exceed it, clamped to it.
 * Overrides still inside the new limits are not returned (nothing to write for them).
 */
export function clampOnPlatformChange<T extends ClientOverride>(
  newPlatform: PlatformLimits,
  overrides: readonly T[],
): ClampedOverride<T>[] {
  const out: ClampedOverride<T>[] = [];
  for (const before of overrides) {
    const after: T = { ...before };
    const fields: OverridableField[] = [];
    if (before.isEnabled === true && !newPlatform.isEnabled) {
      after.isEnabled = null;
      fields.push("isEnabled");
    }
    if (before.maxRequestsPerDay !== null && before.maxRequestsPerDay > newPlatform.maxRequestsPerDay) {
      after.maxRequestsPerDay = newPlatform.maxRequestsPerDay;
      fields.push("maxRequestsPerDay");
    }
    if (before.rateLimitPerMinute !== null && before.rateLimitPerMinute > newPlatform.rateLimitPerMinute) {
      after.rateLimitPerMinute = newPlatform.rateLimitPerMinute;
      fields.push("rateLimitPerMinute");
    }
    if (
      before.maxCostPerDay !== null &&
      compareAmounts(before.maxCostPerDay, newPlatform.maxCostPerDay) > 0
    ) {
      after.maxCostPerDay = newPlatform.maxCostPerDay;
      fields.push("maxCostPerDay");
    }
    if (fields.length > 0) out.push({ before, after, fields });
  }
  return out;
}
