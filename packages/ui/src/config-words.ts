import { formatCount, formatUsd } from "./format";
import { featureWords } from "./words";

/** The settings of a feature's platform configuration a change (or a rollback) may carry. */
export const PATCH_FIELDS = [
  "isEnabled",
  "maxRequestsPerDay",
  "maxCostPerDay",
  "rateLimitPerMinute",
  "model",
  "priorityLevel",
] as const;
export type PatchField = (typeof PATCH_FIELDS)[number];

/** Each setting's name on screen. */
export const FIELD_WORDS: Record<PatchField, string> = {
  isEnabled: "Status",
  maxRequestsPerDay: "Daily request cap",
  maxCostPerDay: "Daily cost cap",
  rateLimitPerMinute: "Rate limit",
  model: "Model",
  priorityLevel: "Priority",
};

/** An emergency throttle's settings, as its audit entries record them. */
const THROTTLE_FIELD_WORDS: Record<string, string> = {
  scope: "Applies to",
  mode: "Throttle",
  perMinute: "Requests allowed",
  reason: "Reason",
  expiresAt: "Ends",
  liftedAt: "Lifted",
};

const SCOPE_WORDS: Record<string, string> = {
  organization: "One organization",
  feature: "One feature, every organization",
  platform: "The whole platform",
};

const MODE_WORDS: Record<string, string> = {
  refuse: "New AI requests refused",
  cap: "AI requests limited",
};

const INSTANT = new Intl.DateTimeFormat("en-GB", {
  dateStyle: "medium",
  timeStyle: "short",
  timeZone: "UTC",
});

/** A setting's value in words ("$25.00 a day", "60 requests a minute"); null is a client's "inherited". */
export function valueWords(field: string, value: unknown): string {
  if (field === "expiresAt" && value === null) return "when lifted by hand";
  if (field === "liftedAt" && value === null) return "not lifted";
  if (field === "perMinute" && value === null) return "none";
  if (value === null || value === undefined) return "inherited from the organization";
  switch (field) {
    case "isEnabled":
      return value ? "On" : "Off";
    case "maxRequestsPerDay":
      return `${formatCount(Number(value))} requests a day`;
    case "maxCostPerDay":
      return `${formatUsd(String(value))} a day`;
    case "rateLimitPerMinute":
    case "perMinute":
      return `${formatCount(Number(value))} requests a minute`;
    case "priorityLevel":
      return `Level ${String(value)}`;
    case "scope":
      return SCOPE_WORDS[String(value)] ?? String(value);
    case "mode":
      return MODE_WORDS[String(value)] ?? String(value);
    case "featureType":
      return featureWords(String(value));
    case "expiresAt":
    case "liftedAt": {
      const at = new Date(String(value));
      return Number.isNaN(at.getTime()) ? String(value) : `${INSTANT.format(at)} UTC`;
    }
    default:
      return String(value);
  }
}

/** A setting's name on screen; an unknown one is spelt out from its code ("glossaryTerms" → "Glossary terms"). */
export function fieldWords(field: string): string {
  const known = (FIELD_WORDS as Record<string, string>)[field] ?? THROTTLE_FIELD_WORDS[field];
  if (known) return known;
  const words = field.replace(/([A-Z])/g, " $1").toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}
