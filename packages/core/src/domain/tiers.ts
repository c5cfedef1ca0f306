import { FEATURE_TYPES, type FeatureType, SUBSCRIPTION_TIERS, type SubscriptionTier } from "./codes";

/** The lowest tier that may enable each feature. */
const REQUIRED_TIER: Record<FeatureType, SubscriptionTier> = {
  field_extraction: "free",
  pdf_analysis: "professional",
  smart_mapping: "enterprise",
};

const rank = (tier: SubscriptionTier) => SUBSCRIPTION_TIERS.indexOf(tier);

export function requiredTier(feature: FeatureType): SubscriptionTier {
  return REQUIRED_TIER[feature];
}

export function isFeatureAvailable(tier: SubscriptionTier, feature: FeatureType): boolean {
  return rank(tier) >= rank(REQUIRED_TIER[feature]);
}

export interface FeatureAvailability {
  feature: FeatureType;
  available: boolean;
  requiredTier: SubscriptionTier;
}

/** Which features an organization on `tier` may enable. */
export function featureAvailability(tier: SubscriptionTier): FeatureAvailability[] {
  return FEATURE_TYPES.map((feature) => ({
    feature,
    available: isFeatureAvailable(tier, feature),
    requiredTier: REQUIRED_TIER[feature],
  }));
}

/** The message a user sees when enabling a feature above their tier, or null when allowed. */
export function tierViolation(tier: SubscriptionTier, feature: FeatureType): string | null {
  if (isFeatureAvailable(tier, feature)) return null;
  return `${feature} requires the ${REQUIRED_TIER[feature]} tier or higher (this organization is on ${tier})`;
}
