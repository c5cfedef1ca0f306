import type { FeatureType, ThrottleMode, ThrottleScope } from "@wedsync/core/domain";
import { formatCount } from "@wedsync/ui/format";
import type { RouterOutputs } from "@wedsync/ui/trpc";
import { featureWords } from "@wedsync/ui/words";
import { whenWords } from "../../lib/when";

export type ThrottleItem = RouterOutputs["throttles"]["list"]["items"][number];

/** What a throttle is about, as the screens and the confirmation describe it. */
export interface ThrottleShape {
  scope: ThrottleScope;
  organizationName?: string | null;
  featureType?: FeatureType | null;
  mode: ThrottleMode;
  perMinute?: number | null;
  expiresAt?: Date | null;
}

/** "PDF analysis" stays as it is mid-sentence; "Field extraction" becomes "field extraction". */
function featureInSentence(f: string): string {
  const words = featureWords(f);
  return /^[A-Z]{2}/.test(words) ? words : words.charAt(0).toLowerCase() + words.slice(1);
}

/** Whom it reaches: "Evermore Wedding Planners", "Field extraction, every organization", "The whole platform". */
export function scopeWords(t: Pick<ThrottleShape, "scope" | "organizationName" | "featureType">): string {
  switch (t.scope) {
    case "organization":
      return t.organizationName ?? "An organization that no longer exists";
    case "feature":
      return `${t.featureType ? featureWords(t.featureType) : "One feature"}, every organization`;
    case "platform":
      return "The whole platform";
  }
}

/** "AI requests refused", or "Limited to 20 a minute". */
export function modeWords(t: Pick<ThrottleShape, "mode" | "perMinute">): string {
  return t.mode === "refuse" ? "AI requests refused" : `Limited to ${formatCount(t.perMinute ?? 0)} a minute`;
}

export function expiryWords(expiresAt: Date | null | undefined, now: Date): string {
  return expiresAt ? whenWords(expiresAt, now) : "Until lifted by hand";
}

/** How a throttle in the history ended, and who ended it. */
export function endWords(t: Pick<ThrottleItem, "status" | "liftedAt" | "liftedBy" | "expiresAt">, now: Date) {
  if (t.status === "lifted" && t.liftedAt) {
    return `Lifted by ${t.liftedBy?.name ?? "platform staff"}, ${whenWords(t.liftedAt, now)}`;
  }
  if (t.status === "expired" && t.expiresAt) return `Ended by itself, ${whenWords(t.expiresAt, now)}`;
  return "In force";
}

/** What lifting a throttle does, for its confirmation. */
export function liftWords(t: Pick<ThrottleShape, "scope" | "organizationName" | "featureType">): string {
  const requests =
    t.scope === "organization"
      ? `AI requests from ${t.organizationName ?? "the organization"}`
      : t.scope === "feature"
        ? `${featureWords(t.featureType ?? "")} requests from every organization`
        : "AI requests from every organization";
  return `${requests} are admitted again at once, within each organization's own limits.`;
}

const capital = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/**
 * Exactly what a throttle will do, for the confirmation: which requests are refused or limited,
 * for whom, until when, what the callers are told and who sees it.
 */
export function consequenceWords(t: ThrottleShape, now: Date): string[] {
  const until = t.expiresAt ? `until ${whenWords(t.expiresAt, now)}` : "until it is lifted by hand";
  const requests =
    t.scope === "organization"
      ? `new AI requests from ${t.organizationName ?? "the organization"} (every feature, from the supplier app and through API keys)`
      : t.scope === "feature"
        ? `new ${featureInSentence(t.featureType ?? "")} requests from every organization`
        : "new AI requests from every organization on the platform (every feature)";
  const what =
    t.mode === "refuse"
      ? `${capital(requests)} will all be refused ${until}, answered “service unavailable” with when to try again.`
      : `${capital(requests)} will be limited to ${formatCount(t.perMinute ?? 0)} a minute${
          t.scope === "organization" ? "" : " in total, shared by every organization,"
        } ${until}; the rest are refused with “too many requests”.`;
  const who =
    t.scope === "organization"
      ? `${t.organizationName ?? "The organization"} sees it on a banner in the supplier app, with your reason.`
      : "Every organization sees it on a banner in the supplier app, with your reason.";
  return [what, "Requests already running finish. Refused requests are not charged.", who];
}
