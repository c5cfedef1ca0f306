import { formatCount, formatUsd } from "@wedsync/ui/format";
import type { PatchField } from "./types";

/** Each setting's name on screen. */
export const FIELD_WORDS: Record<PatchField, string> = {
  isEnabled: "Status",
  maxRequestsPerDay: "Daily request cap",
  maxCostPerDay: "Daily cost cap",
  rateLimitPerMinute: "Rate limit",
  model: "Model",
  priorityLevel: "Priority",
};

/** A setting's value in words ("$25.00 a day", "60 requests a minute"); null is a client's "inherited". */
export function valueWords(field: string, value: unknown): string {
  if (value === null || value === undefined) return "inherited from the organization";
  switch (field) {
    case "isEnabled":
      return value ? "On" : "Off";
    case "maxRequestsPerDay":
      return `${formatCount(Number(value))} requests a day`;
    case "maxCostPerDay":
      return `${formatUsd(String(value))} a day`;
    case "rateLimitPerMinute":
      return `${formatCount(Number(value))} requests a minute`;
    case "priorityLevel":
      return `Level ${String(value)}`;
    default:
      return String(value);
  }
}

export function fieldWords(field: string): string {
  const known = (FIELD_WORDS as Record<string, string>)[field];
  if (known) return known;
  const words = field.replace(/([A-Z])/g, " $1").toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}
