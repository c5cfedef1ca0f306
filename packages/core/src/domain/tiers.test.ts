import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { FEATURE_TYPES, type FeatureType, SUBSCRIPTION_TIERS, type SubscriptionTier } from "./codes";
import { featureAvailability, isFeatureAvailable, requiredTier, tierViolation } from "./tiers";

/** The product's tier ladder, lowest first, written out independently of the enum. */
const LADDER: SubscriptionTier[] = ["free", "professional", "enterprise"];
const rankOf = (t: SubscriptionTier) => LADDER.indexOf(t);

const EXPECTED: Record<SubscriptionTier, Record<FeatureType, boolean>> = {
  free: { field_extraction: true, pdf_analysis: false, smart_mapping: false },
  professional: { field_extraction: true, pdf_analysis: true, smart_mapping: false },
  enterprise: { field_extraction: true, pdf_analysis: true, smart_mapping: true },
};

const tierArb = fc.constantFrom(...SUBSCRIPTION_TIERS);
const featureArb = fc.constantFrom(...FEATURE_TYPES);

describe("tiers", () => {
  it("the enum lists the tiers lowest first (rank is taken from it)", () => {
    expect([...SUBSCRIPTION_TIERS]).toEqual(LADDER);
  });

  describe.each(LADDER)("%s", (tier) => {
    const expected = EXPECTED[tier];

    it.each(FEATURE_TYPES.map((f) => [f, expected[f]] as const))("%s available: %s", (feature, available) => {
      expect(isFeatureAvailable(tier, feature)).toBe(available);
      if (available) expect(tierViolation(tier, feature)).toBeNull();
      else expect(tierViolation(tier, feature)).toEqual(expect.any(String));
    });

    it("featureAvailability lists every feature exactly once, with availability and required tier", () => {
      const list = featureAvailability(tier);
      expect(list.map((a) => a.feature).sort()).toEqual([...FEATURE_TYPES].sort());
      for (const a of list) {
        expect(a.available).toBe(expected[a.feature]);
        expect(a.requiredTier).toBe(requiredTier(a.feature));
      }
    });
  });

  it.each([
    ["field_extraction", "free"],
    ["pdf_analysis", "professional"],
    ["smart_mapping", "enterprise"],
  ] as const)("%s requires %s", (feature, tier) => {
    expect(requiredTier(feature)).toBe(tier);
  });

  it.each([
    ["free", "pdf_analysis", "professional"],
    ["free", "smart_mapping", "enterprise"],
    ["professional", "smart_mapping", "enterprise"],
  ] as const)("on %s, enabling %s names the %s tier", (tier, feature, needed) => {
    const message = tierViolation(tier, feature);
    expect(message).not.toBeNull();
    expect(message).toContain(feature);
    expect(message).toContain(`requires the ${needed} tier`);
    expect(message).toContain(`on ${tier}`);
  });

  it("availability is monotonic in tier rank", () => {
    fc.assert(
      fc.property(tierArb, tierArb, featureArb, (a, b, feature) => {
        const [low, high] = rankOf(a) <= rankOf(b) ? [a, b] : [b, a];
        if (isFeatureAvailable(low, feature)) expect(isFeatureAvailable(high, feature)).toBe(true);
        if (!isFeatureAvailable(high, feature)) expect(isFeatureAvailable(low, feature)).toBe(false);
      }),
    );
  });

  it("a feature is available exactly from its required tier upwards, and tierViolation agrees", () => {
    fc.assert(
      fc.property(tierArb, featureArb, (tier, feature) => {
        const available = rankOf(tier) >= rankOf(requiredTier(feature));
        expect(isFeatureAvailable(tier, feature)).toBe(available);
        expect(tierViolation(tier, feature) === null).toBe(available);
      }),
    );
  });
});
