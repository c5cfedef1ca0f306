import { FEATURE_TYPES, SUBSCRIPTION_TIERS } from "@wedsync/core/domain";
import { formatCount, formatUsd } from "@wedsync/ui/format";
import { featureWords, tierWords } from "@wedsync/ui/words";
import type { BulkChange } from "./change-form";

/** Each setting's name on screen. */
const FIELD_WORDS: Record<string, string> = {
  isEnabled: "Status",
  maxRequestsPerDay: "Daily request cap",
  maxCostPerDay: "Daily cost cap",
  rateLimitPerMinute: "Rate limit",
  model: "Model",
};

export function fieldWords(field: string): string {
  const known = FIELD_WORDS[field];
  if (known) return known;
  const words = field.replace(/([A-Z])/g, " $1").toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** A setting's value in words; null is a client's "inherited from the organization". */
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
    default:
      return String(value);
  }
}

/** "Status: On → Off". */
export function changeWords(c: { field: string; from: unknown; to: unknown }): string {
  return `${fieldWords(c.field)}: ${valueWords(c.field, c.from)} → ${valueWords(c.field, c.to)}`;
}

/** "Switch off PDF analysis" / "Set PDF analysis's daily cost cap to $20.00 a day". */
export function changeTitle(change: BulkChange): string {
  const feature = featureWords(change.featureType);
  const [field, value] = Object.entries(change.patch).find(([, v]) => v !== undefined) ?? ["", undefined];
  if (field === "isEnabled") return `${value ? "Switch on" : "Switch off"} ${feature}`;
  return `Set ${feature}'s ${fieldWords(field).toLowerCase()} to ${valueWords(field, value)}`;
}

/** "Switched off PDF analysis" for the announcement of a change made. */
export function changeDoneWords(change: BulkChange): string {
  return changeTitle(change).replace(/^Switch (on|off)/, "Switched $1");
}

const CODES = new RegExp(`\\b(${[...FEATURE_TYPES, ...SUBSCRIPTION_TIERS].join("|")})\\b`, "g");

/** The API's messages name features and tiers by code; people read their names. */
export function productWords(message: string): string {
  return message.replace(CODES, (code) =>
    (FEATURE_TYPES as readonly string[]).includes(code) ? featureWords(code) : tierWords(code),
  );
}
