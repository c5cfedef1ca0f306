import type { RouterOutputs } from "@wedsync/ui/trpc";

/** One feature's platform configuration, as platform.config.get answers it. */
export type PlatformFeature = RouterOutputs["platform"]["config"]["get"]["features"][number];
/** A model a configuration may name (it has a price), from platform.models. */
export type PricedModel = RouterOutputs["platform"]["models"]["models"][number];
/** One entry of the change history (platform.audit.list). */
export type AuditRow = RouterOutputs["platform"]["audit"]["list"]["entries"][number];

/** The settings a platform.config.update patch may carry that this screen changes (PATCH_FIELDS in @wedsync/ui/config-words). */
export interface ConfigPatch {
  isEnabled?: boolean;
  maxRequestsPerDay?: number;
  maxCostPerDay?: string;
  rateLimitPerMinute?: number;
  model?: string;
  priorityLevel?: number;
}

/** What a save resolves to: the stored configuration and how many client overrides were lowered to fit it. */
export interface SaveResult {
  config: PlatformFeature;
  cascadedClientConfigs: number;
}
