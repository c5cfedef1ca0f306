import {
  type ClientOverride,
  dollarAmountSchema,
  FEATURE_TYPES,
  type FeatureType,
  maxRequestsPerDaySchema,
  type OverridableField,
  type PlatformLimits,
  rateLimitPerMinuteSchema,
} from "@wedsync/core/domain";
import { compareAmounts } from "@wedsync/core/money";
import { formatCount, formatUsd } from "@wedsync/ui/format";
import { featureWords } from "@wedsync/ui/words";
import { z } from "zod";
import type { BulkChange } from "./bulk";

/** What the form holds: text as typed, "" for "use the organization's value". */
export interface OverrideFormValues {
  isEnabled: "inherit" | "on" | "off";
  maxRequestsPerDay: string;
  maxCostPerDay: string;
  rateLimitPerMinute: string;
}

/** The message every field uses when a value is above what the organization allows. */
export const platformLimitMessage = (limit: string) => `at most ${limit}, the platform limit`;

/** "" → null (inherit); otherwise a whole number no larger than `limit`, then the API's own schema. */
export function wholeNumberUpTo(limit: number, apiSchema: typeof maxRequestsPerDaySchema) {
  return z
    .string()
    .trim()
    .refine((v) => v === "" || /^\d+$/.test(v.replace(/,/g, "")), "a whole number, zero or more")
    .transform((v) => (v === "" ? null : Number(v.replace(/,/g, ""))))
    .refine((n) => n === null || n <= limit, platformLimitMessage(formatCount(limit)))
    .pipe(apiSchema.nullable());
}

// The API's dollar schema takes a string or a number; the form only ever gives it text.
const dollars = dollarAmountSchema as unknown as z.ZodType<string, string>;

/** "" → null (inherit); otherwise dollars (the API's dollarAmountSchema) no more than `limit`. */
export function dollarsUpTo(limit: string) {
  return z
    .string()
    .trim()
    .transform((v) => v.replace(/^\$/, "").replace(/,/g, ""))
    .pipe(z.union([z.literal("").transform(() => null), dollars]))
    .refine((v) => v === null || compareAmounts(v, limit) <= 0, platformLimitMessage(formatUsd(limit)));
}

/**
 * The override form's schema for one feature: the API's schemas for each value, and the
 * platform's limits checked here, so an override above them is refused before any request with
 * the limit named.
 */
export function overrideFormSchema(platform: PlatformLimits) {
  return z.object({
    isEnabled: z
      .enum(["inherit", "on", "off"])
      .refine(
        (v) => v !== "on" || platform.isEnabled,
        `${featureWords(platform.featureType)} is switched off for the organization, so it cannot be switched on for one client; an owner or admin can switch it on in AI configuration`,
      )
      .transform((v) => (v === "inherit" ? null : v === "on")),
    maxRequestsPerDay: wholeNumberUpTo(platform.maxRequestsPerDay, maxRequestsPerDaySchema),
    maxCostPerDay: dollarsUpTo(platform.maxCostPerDay),
    rateLimitPerMinute: wholeNumberUpTo(platform.rateLimitPerMinute, rateLimitPerMinuteSchema),
  });
}

/** The form's starting values from the stored override (null: everything inherited). */
export function overrideFormValues(override: ClientOverride | null): OverrideFormValues {
  const text = (v: number | string | null | undefined) => (v === null || v === undefined ? "" : String(v));
  return {
    isEnabled: override?.isEnabled == null ? "inherit" : override.isEnabled ? "on" : "off",
    maxRequestsPerDay: text(override?.maxRequestsPerDay),
    maxCostPerDay: text(override?.maxCostPerDay),
    rateLimitPerMinute: text(override?.rateLimitPerMinute),
  };
}

/** Only the fields that differ from the stored override: what a save sends. */
export function changedOverrides(
  stored: ClientOverride | null,
  next: ClientOverride,
): Partial<ClientOverride> {
  const out: Record<string, unknown> = {};
  for (const field of Object.keys(next) as OverridableField[]) {
    if ((stored?.[field] ?? null) !== next[field]) out[field] = next[field];
  }
  return out as Partial<ClientOverride>;
}

/** The bulk form as typed: the feature, the kind of change, and the caps (empty: leave as is). */
export interface BulkFormValues {
  featureType: FeatureType;
  kind: "enable" | "disable" | "caps" | "reset";
  maxRequestsPerDay: string;
  maxCostPerDay: string;
  rateLimitPerMinute: string;
}

/** The bulk form against the chosen feature's platform limits (the same checks as one client's form). */
export function bulkFormSchema(platform: PlatformLimits) {
  return z
    .object({
      featureType: z.enum(FEATURE_TYPES),
      kind: z
        .enum(["enable", "disable", "caps", "reset"])
        .refine(
          (k) => k !== "enable" || platform.isEnabled,
          `${featureWords(platform.featureType)} is switched off for the organization, so it cannot be switched on for clients; an owner or admin can switch it on in AI configuration`,
        ),
      maxRequestsPerDay: wholeNumberUpTo(platform.maxRequestsPerDay, maxRequestsPerDaySchema),
      maxCostPerDay: dollarsUpTo(platform.maxCostPerDay),
      rateLimitPerMinute: wholeNumberUpTo(platform.rateLimitPerMinute, rateLimitPerMinuteSchema),
    })
    .superRefine((v, ctx) => {
      if (
        v.kind === "caps" &&
        v.maxRequestsPerDay === null &&
        v.maxCostPerDay === null &&
        v.rateLimitPerMinute === null
      ) {
        ctx.addIssue({
          code: "custom",
          path: ["maxRequestsPerDay"],
          message: "enter at least one cap to set",
        });
      }
    })
    .transform((v): BulkChange => {
      if (v.kind !== "caps") return { kind: v.kind };
      return {
        kind: "caps",
        maxRequestsPerDay: v.maxRequestsPerDay ?? undefined,
        maxCostPerDay: v.maxCostPerDay ?? undefined,
        rateLimitPerMinute: v.rateLimitPerMinute ?? undefined,
      };
    });
}
