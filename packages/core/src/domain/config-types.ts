import type { FeatureType } from "./codes";

/** The platform-level values inheritance reads (a subset of an ai_platform_configs row). */
export interface PlatformLimits {
  featureType: FeatureType;
  isEnabled: boolean;
  maxRequestsPerDay: number;
  /** Exact dollars, e.g. "50.00". */
  maxCostPerDay: string;
  rateLimitPerMinute: number;
  priorityLevel: number;
  model: string;
}

/** A client's overrides of the platform limits; null = inherit. */
export interface ClientOverride {
  isEnabled: boolean | null;
  maxRequestsPerDay: number | null;
  maxCostPerDay: string | null;
  rateLimitPerMinute: number | null;
}

export const OVERRIDABLE_FIELDS = [
  "isEnabled",
  "maxRequestsPerDay",
  "maxCostPerDay",
  "rateLimitPerMinute",
] as const;
export type OverridableField = (typeof OVERRIDABLE_FIELDS)[number];

export const NO_OVERRIDE: ClientOverride = {
  isEnabled: null,
  maxRequestsPerDay: null,
  maxCostPerDay: null,
  rateLimitPerMinute: null,
};

export interface EffectiveConfig {
  featureType: FeatureType;
  isEnabled: boolean;
  maxRequestsPerDay: number;
  maxCostPerDay: string;
  rateLimitPerMinute: number;
  priorityLevel: number;
  model: string;
  /** true where the value came from the platform config rather than the client's override. */
  inherited: Record<OverridableField, boolean>;
  /** Why the feature is off for this client, when it is. */
  disabledBy: "platform" | "client" | null;
}

export interface Violation {
  field: OverridableField;
  message: string;
}
