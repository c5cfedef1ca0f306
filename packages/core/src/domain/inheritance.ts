import { type ClientOverride, type EffectiveConfig, NO_OVERRIDE, type PlatformLimits } from "./config-types";
import { compareAmounts } from "./money";

/**
 * The inheritance rule, and the only place it lives: a client's effective configuration is the
 * platform's, with each override applied only where it tightens. A feature the platform disables
 * stays disabled; a limit above the platform's is ignored in favour of the platform's.
 */
export function resolveEffectiveConfig(
  platform: PlatformLimits,
  override: ClientOverride | null = null,
): EffectiveConfig {
  const o = override ?? NO_OVERRIDE;

  const clientDisables = o.isEnabled === false;
  const isEnabled = platform.isEnabled && !clientDisables;

  const tighter = (own: number | null, inherited: number) => own !== null && own < inherited;
  const useRequests = tighter(o.maxRequestsPerDay, platform.maxRequestsPerDay);
  const useRate = tighter(o.rateLimitPerMinute, platform.rateLimitPerMinute);
  const useCost = o.maxCostPerDay !== null && compareAmounts(o.maxCostPerDay, platform.maxCostPerDay) < 0;
  // An override equal to the platform's value is still the client's own choice: it holds if the platform loosens later.
  const equalRequests = o.maxRequestsPerDay !== null && o.maxRequestsPerDay === platform.maxRequestsPerDay;
  const equalRate = o.rateLimitPerMinute !== null && o.rateLimitPerMinute === platform.rateLimitPerMinute;
  const equalCost = o.maxCostPerDay !== null && compareAmounts(o.maxCostPerDay, platform.maxCostPerDay) === 0;

  return {
    featureType: platform.featureType,
    isEnabled,
    maxRequestsPerDay: useRequests ? o.maxRequestsPerDay! : platform.maxRequestsPerDay,
    maxCostPerDay: useCost ? o.maxCostPerDay! : platform.maxCostPerDay,
    rateLimitPerMinute: useRate ? o.rateLimitPerMinute! : platform.rateLimitPerMinute,
    priorityLevel: platform.priorityLevel,
    model: platform.model,
    inherited: {
      // The client's explicit choice counts as its own unless the platform's "off" overrules it.
      isEnabled: o.isEnabled === null || !platform.isEnabled,
      maxRequestsPerDay: !(useRequests || equalRequests),
      maxCostPerDay: !(useCost || equalCost),
      rateLimitPerMinute: !(useRate || equalRate),
    },
    disabledBy: !platform.isEnabled ? "platform" : clientDisables ? "client" : null,
  };
}
