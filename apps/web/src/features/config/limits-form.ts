import { zodResolver } from "@hookform/resolvers/zod";
import {
  compareAmounts,
  dollarAmountSchema,
  LIMIT_BOUNDS,
  maxRequestsPerDaySchema,
  modelNameSchema,
  rateLimitPerMinuteSchema,
} from "@wedsync/core/domain";
import { formatCount, formatUsd } from "@wedsync/ui/format";
import type { FieldErrors, Resolver } from "react-hook-form";
import { z } from "zod";
import type { ConfigPatch, PlatformFeature } from "./types";

/** The four settings edited inline, as typed (text boxes hold strings). */
export interface LimitsValues {
  maxRequestsPerDay: string;
  maxCostPerDay: string;
  rateLimitPerMinute: string;
  model: string;
}
export type LimitsField = keyof LimitsValues;

/** The same settings parsed by the API's own schemas: what platform.config.update accepts. */
export interface Limits {
  maxRequestsPerDay: number;
  maxCostPerDay: string;
  rateLimitPerMinute: number;
  model: string;
}

export const LIMIT_FIELDS: readonly LimitsField[] = [
  "maxRequestsPerDay",
  "maxCostPerDay",
  "rateLimitPerMinute",
  "model",
];

/** "1,000" and "1000" are the same count; anything else that is not digits is not a whole number. */
const toWholeNumber = (v: unknown) => {
  const digits = String(v).trim().replace(/,/g, "");
  return /^\d+$/.test(digits) ? Number(digits) : Number.NaN;
};
/** "$1,250.5" is 1250.50 dollars: the symbol and separators people type are not part of the amount. */
const toAmount = (v: unknown) => String(v).trim().replace(/^\$/, "").replace(/,/g, "");

/**
 * The form's schema: each field parsed by the API's schema for it (so the form refuses exactly
 * what the server would), plus the model's price, checked against platform.models when known.
 */
export function limitsSchema(pricedModels: readonly string[] | null) {
  return z.object({
    maxRequestsPerDay: z.preprocess(toWholeNumber, maxRequestsPerDaySchema),
    maxCostPerDay: z.preprocess(toAmount, dollarAmountSchema),
    rateLimitPerMinute: z.preprocess(toWholeNumber, rateLimitPerMinuteSchema),
    model: z.preprocess(
      (v) => String(v).trim(),
      modelNameSchema.refine((m) => pricedModels === null || pricedModels.includes(m)),
    ),
  });
}

const MAX_REQUESTS = formatCount(LIMIT_BOUNDS.maxRequestsPerDay);
const MAX_RATE = formatCount(LIMIT_BOUNDS.rateLimitPerMinute);
const MAX_COST = formatUsd(LIMIT_BOUNDS.maxCostPerDay);

/** What is wrong with a field, in words that name it and its bounds, from the schema's issue code. */
export function limitMessage(field: LimitsField, code: string | undefined, value: string): string {
  switch (field) {
    case "maxRequestsPerDay":
      return code === "too_big"
        ? `Daily request cap can be at most ${MAX_REQUESTS} requests a day.`
        : `Daily request cap must be a whole number of requests, from 0 to ${MAX_REQUESTS}.`;
    case "rateLimitPerMinute":
      return code === "too_big"
        ? `Rate limit can be at most ${MAX_RATE} requests a minute.`
        : `Rate limit must be a whole number of requests a minute, from 0 to ${MAX_RATE}.`;
    case "maxCostPerDay":
      return `Daily cost cap must be an amount in dollars with at most 2 decimals, such as 25.00, from $0.00 to ${MAX_COST}.`;
    case "model":
      if (value.trim() === "") return "Model is required: choose one from the list.";
      if (code === "custom")
        return `Model “${value.trim()}” has no price, so its requests could not be billed: choose one from the list.`;
      return "Model names use only letters, digits and . _ : / - (at most 100 characters).";
  }
}

/** zodResolver with the API's schemas, its messages replaced by ones that name the field and its bounds. */
export function limitsResolver(
  pricedModels: readonly string[] | null,
): Resolver<LimitsValues, unknown, Limits> {
  const resolve = zodResolver(limitsSchema(pricedModels)) as unknown as Resolver<
    LimitsValues,
    unknown,
    Limits
  >;
  return async (values, context, options) => {
    const result = await resolve(values, context, options);
    const errors = result.errors as FieldErrors<LimitsValues>;
    for (const field of LIMIT_FIELDS) {
      const error = errors[field];
      if (error) error.message = limitMessage(field, error.type as string | undefined, values[field]);
    }
    return result;
  };
}

/** A feature's settings as the form shows them. */
export function valuesOf(feature: Pick<PlatformFeature, LimitsField>): LimitsValues {
  return {
    maxRequestsPerDay: String(feature.maxRequestsPerDay),
    maxCostPerDay: feature.maxCostPerDay,
    rateLimitPerMinute: String(feature.rateLimitPerMinute),
    model: feature.model,
  };
}

/** Only what differs from `base`: a save names exactly the settings the person changed. */
export function patchOf(base: Pick<PlatformFeature, LimitsField>, next: Limits): ConfigPatch {
  const patch: ConfigPatch = {};
  if (next.maxRequestsPerDay !== base.maxRequestsPerDay) patch.maxRequestsPerDay = next.maxRequestsPerDay;
  if (compareAmounts(next.maxCostPerDay, base.maxCostPerDay) !== 0) patch.maxCostPerDay = next.maxCostPerDay;
  if (next.rateLimitPerMinute !== base.rateLimitPerMinute) patch.rateLimitPerMinute = next.rateLimitPerMinute;
  if (next.model !== base.model) patch.model = next.model;
  return patch;
}

/** The patch that puts back what `patch` changed, from the settings before it. */
export function undoPatchOf(before: PlatformFeature, patch: ConfigPatch): ConfigPatch {
  const undo: ConfigPatch = {};
  for (const field of Object.keys(patch) as (keyof ConfigPatch)[]) {
    (undo as Record<string, unknown>)[field] = before[field];
  }
  return undo;
}
