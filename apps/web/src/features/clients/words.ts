import type { ClientStatus, OverridableField } from "@wedsync/core/domain";
import { formatCount, formatUsd } from "@wedsync/ui/format";

/** A client's status as the supplier says it. */
export const STATUS_WORDS: Record<ClientStatus, string> = {
  inquiry: "Inquiry",
  booked: "Booked",
  completed: "Completed",
  archived: "Archived",
};

/** The overridable settings, by name. */
export const FIELD_WORDS: Record<OverridableField, string> = {
  isEnabled: "Switched on",
  maxRequestsPerDay: "Requests a day",
  maxCostPerDay: "Spend a day",
  rateLimitPerMinute: "Requests a minute",
};

/** The caps, in the order they are shown. */
export const CAP_FIELDS = ["maxRequestsPerDay", "maxCostPerDay", "rateLimitPerMinute"] as const;
export type CapField = (typeof CAP_FIELDS)[number];

/** One setting's value in words: "On", "1,000", "$50.00". */
export function fieldValue(field: OverridableField, value: boolean | number | string): string {
  if (field === "isEnabled") return value ? "On" : "Off";
  if (field === "maxCostPerDay") return formatUsd(String(value));
  return formatCount(Number(value));
}

/** A cap with its unit: "1,000 requests a day", "$50.00 a day", "60 requests a minute". */
export function capWithUnit(field: CapField, value: number | string): string {
  if (field === "maxCostPerDay") return `${formatUsd(String(value))} a day`;
  return `${formatCount(Number(value))} ${field === "maxRequestsPerDay" ? "requests a day" : "requests a minute"}`;
}

const DATE = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeZone: "UTC" });

/** "2027-06-26" → "Jun 26, 2027" (a calendar day: no timezone moves it). */
export function weddingDateWords(day: string | null): string {
  if (!day) return "No date yet";
  const at = Date.parse(`${day}T00:00:00Z`);
  return Number.isNaN(at) ? day : DATE.format(at);
}

/** The wedding fields field extraction returns, as the supplier reads them (the API's keys). */
export const WEDDING_FIELD_WORDS: Record<string, string> = {
  coupleNames: "Couple names",
  weddingDate: "Wedding date",
  ceremonyVenue: "Ceremony venue",
  receptionVenue: "Reception venue",
  guestCount: "Guest count",
  email: "Email",
  phone: "Phone",
  budget: "Budget",
  ceremonyTime: "Ceremony time",
  theme: "Theme",
};
