import type { RouterOutputs } from "@wedsync/ui/trpc";
import { featureWords } from "@wedsync/ui/words";

/**
 * A throttle in force reaching an organization, as admin.organizations.list and get give it on
 * each row (its own, a feature's, the platform's; strictest first).
 */
export type RowThrottle =
  RouterOutputs["admin"]["organizations"]["list"]["rows"][number]["throttles"][number];
type Described = Pick<RowThrottle, "scope" | "featureType" | "mode" | "perMinute">;

/** Where a throttle reaches, in words, seen from one organization. */
export function reachWords(t: Pick<Described, "scope" | "featureType">): string {
  switch (t.scope) {
    case "organization":
      return "this organization";
    case "feature":
      return `${featureWords(t.featureType ?? "")} on every organization`;
    case "platform":
      return "the whole platform";
  }
}

/** "Paused" or "Capped at 10 requests a minute". */
export function modeWords(t: Pick<Described, "mode" | "perMinute">): string {
  return t.mode === "refuse" ? "Paused" : `Capped at ${t.perMinute ?? 0} requests a minute`;
}

/** One throttle in a sentence: "Paused for the whole platform". */
export function throttleWords(t: Described): string {
  return `${modeWords(t)} for ${reachWords(t)}`;
}

const until = new Intl.DateTimeFormat("en-GB", { dateStyle: "medium", timeStyle: "short" });

/** "until 25 Jun 2026, 14:30" (the reader's time), or "until lifted". */
export function endWords(expiresAt: Date | null): string {
  return expiresAt ? `until ${until.format(expiresAt)}` : "until lifted";
}
