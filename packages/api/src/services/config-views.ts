import {
  type ClientConfigRow,
  type ClientOverride,
  isFeatureAvailable,
  type PlatformConfigRow,
  type PlatformLimits,
  requiredTier,
  type SubscriptionTier,
} from "@wedsync/core";

/** What callers see of a platform config row. */
export function platformConfigView(row: PlatformConfigRow, tier: SubscriptionTier) {
  return {
    id: row.id,
    organizationId: row.organizationId,
    featureType: row.featureType,
    isEnabled: row.isEnabled,
    maxRequestsPerDay: row.maxRequestsPerDay,
    maxCostPerDay: row.maxCostPerDay,
    priorityLevel: row.priorityLevel,
    rateLimitPerMinute: row.rateLimitPerMinute,
    model: row.model,
    version: row.version,
    updatedAt: row.updatedAt,
    availableOnTier: isFeatureAvailable(tier, row.featureType),
    requiredTier: requiredTier(row.featureType),
  };
}
export type PlatformConfigView = ReturnType<typeof platformConfigView>;

export function platformLimitsOf(row: PlatformConfigRow): PlatformLimits {
  return {
    featureType: row.featureType,
    isEnabled: row.isEnabled,
    maxRequestsPerDay: row.maxRequestsPerDay,
    maxCostPerDay: row.maxCostPerDay,
    rateLimitPerMinute: row.rateLimitPerMinute,
    priorityLevel: row.priorityLevel,
    model: row.model,
  };
}

/** The audited state of a platform config: exactly the fields a rollback restores. */
export function platformSnapshot(row: PlatformConfigRow) {
  return {
    featureType: row.featureType,
    isEnabled: row.isEnabled,
    maxRequestsPerDay: row.maxRequestsPerDay,
    maxCostPerDay: row.maxCostPerDay,
    priorityLevel: row.priorityLevel,
    rateLimitPerMinute: row.rateLimitPerMinute,
    model: row.model,
  };
}

export function clientOverrideOf(row: ClientConfigRow): ClientOverride {
  return {
    isEnabled: row.isEnabledOverride,
    maxRequestsPerDay: row.maxRequestsPerDayOverride,
    maxCostPerDay: row.maxCostPerDayOverride,
    rateLimitPerMinute: row.rateLimitPerMinuteOverride,
  };
}

export function clientConfigView(row: ClientConfigRow) {
  return {
    id: row.id,
    clientId: row.clientId,
    platformConfigId: row.platformConfigId,
    overrides: clientOverrideOf(row),
    featureSettings: row.featureSettings,
    customPrompts: row.customPrompts,
    processingPreferences: row.processingPreferences,
    version: row.version,
    updatedAt: row.updatedAt,
  };
}
export type ClientConfigView = ReturnType<typeof clientConfigView>;

export function clientSnapshot(row: ClientConfigRow) {
  const { id: _id, platformConfigId: _p, version: _v, updatedAt: _u, ...rest } = clientConfigView(row);
  return rest;
}
