import {
  type BulkChangePatch,
  dollarAmountSchema,
  FEATURE_TYPES,
  type FeatureType,
  LIMIT_BOUNDS,
  maxRequestsPerDaySchema,
  modelNameSchema,
  rateLimitPerMinuteSchema,
} from "@wedsync/core/domain";
import { formatCount, formatUsd } from "@wedsync/ui/format";

/** What a change across organizations does to the chosen feature. */
export const CHANGE_KINDS = [
  { id: "enable", label: "Switch it on" },
  { id: "disable", label: "Switch it off" },
  { id: "maxRequestsPerDay", label: "Set the daily request cap" },
  { id: "maxCostPerDay", label: "Set the daily cost cap" },
  { id: "rateLimitPerMinute", label: "Set the rate limit" },
  { id: "model", label: "Set the model" },
] as const;
export type ChangeKind = (typeof CHANGE_KINDS)[number]["id"];
export type ValueKind = Exclude<ChangeKind, "enable" | "disable">;

export const needsValue = (kind: ChangeKind): kind is ValueKind => kind !== "enable" && kind !== "disable";

/** The form as typed (a text box holds a string). */
export interface ChangeValues {
  featureType: FeatureType;
  kind: ChangeKind;
  value: string;
}

/** The change as the API takes it: one feature, one field of its platform configuration. */
export interface BulkChange {
  featureType: FeatureType;
  patch: BulkChangePatch;
}

export const DEFAULT_VALUES: ChangeValues = { featureType: FEATURE_TYPES[0], kind: "disable", value: "" };

/** The value field's label and what it means, per kind. */
export const VALUE_FIELDS: Record<
  ValueKind,
  { label: string; description: string; inputMode?: "numeric" | "decimal" }
> = {
  maxRequestsPerDay: {
    label: "Daily request cap",
    description: `Requests a day across all of an organization's clients, 0 to ${formatCount(LIMIT_BOUNDS.maxRequestsPerDay)}; 0 stops them. Clients' own caps above it are lowered to it.`,
    inputMode: "numeric",
  },
  maxCostPerDay: {
    label: "Daily cost cap",
    description:
      "US dollars a day across all of an organization's clients, such as 25.00. Clients' own caps above it are lowered to it.",
    inputMode: "decimal",
  },
  rateLimitPerMinute: {
    label: "Rate limit",
    description: `Requests a minute across all of an organization's clients, 0 to ${formatCount(LIMIT_BOUNDS.rateLimitPerMinute)}. Clients' own limits above it are lowered to it.`,
    inputMode: "numeric",
  },
  model: {
    label: "Model",
    description: "Only models with a price can be chosen, so every request can be billed.",
  },
};

/** "1,000" and "1000" are the same count; anything else that is not digits is not a whole number. */
const toWholeNumber = (v: string) => {
  const digits = v.trim().replace(/,/g, "");
  return /^\d+$/.test(digits) ? Number(digits) : Number.NaN;
};
/** "$1,250.5" is 1250.50 dollars: the symbol and separators people type are not part of the amount. */
const toAmount = (v: string) => v.trim().replace(/^\$/, "").replace(/,/g, "");

const MAX_REQUESTS = formatCount(LIMIT_BOUNDS.maxRequestsPerDay);
const MAX_RATE = formatCount(LIMIT_BOUNDS.rateLimitPerMinute);
const MAX_COST = formatUsd(LIMIT_BOUNDS.maxCostPerDay);

/**
 * The change the form describes, each value parsed by the API's own schema for it (core's), so
 * the form refuses exactly what the server would; or what is wrong, naming the field and its
 * bounds. `pricedModels` (null while unknown) narrows the model to those with a price.
 */
export function parseChange(
  values: ChangeValues,
  pricedModels: readonly string[] | null,
): { change: BulkChange } | { error: string } {
  const { featureType, kind } = values;
  const value = values.value.trim();
  switch (kind) {
    case "enable":
    case "disable":
      return { change: { featureType, patch: { isEnabled: kind === "enable" } } };
    case "maxRequestsPerDay":
    case "rateLimitPerMinute": {
      const requests = kind === "maxRequestsPerDay";
      const [name, max, unit] = requests
        ? ["Daily request cap", MAX_REQUESTS, "requests a day"]
        : ["Rate limit", MAX_RATE, "requests a minute"];
      if (value === "") return { error: `${name} is required: a whole number of ${unit}, from 0 to ${max}.` };
      const parsed = (requests ? maxRequestsPerDaySchema : rateLimitPerMinuteSchema).safeParse(
        toWholeNumber(value),
      );
      if (!parsed.success) {
        return parsed.error.issues[0]?.code === "too_big"
          ? { error: `${name} can be at most ${max} ${unit}.` }
          : { error: `${name} must be a whole number of ${unit}, from 0 to ${max}.` };
      }
      return { change: { featureType, patch: { [kind]: parsed.data } } };
    }
    case "maxCostPerDay": {
      const parsed = dollarAmountSchema.safeParse(toAmount(value));
      if (!parsed.success || value === "") {
        return {
          error: `Daily cost cap must be an amount in dollars with at most 2 decimals, such as 25.00, from $0.00 to ${MAX_COST}.`,
        };
      }
      return { change: { featureType, patch: { maxCostPerDay: parsed.data } } };
    }
    case "model": {
      if (value === "") return { error: "Model is required: choose one from the list." };
      const parsed = modelNameSchema.safeParse(value);
      if (!parsed.success)
        return { error: "Model names use only letters, digits and . _ : / - (at most 100 characters)." };
      if (pricedModels !== null && !pricedModels.includes(parsed.data))
        return {
          error: `Model “${parsed.data}” has no price, so its requests could not be billed: choose one from the list.`,
        };
      return { change: { featureType, patch: { model: parsed.data } } };
    }
  }
}
