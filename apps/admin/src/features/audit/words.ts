import type { AuditEntityKind } from "@wedsync/core/domain";
import type { RouterOutputs } from "@wedsync/ui/trpc";

/** One entry of the audit across organizations (admin.audit.list). */
export type AdminAuditEntry = RouterOutputs["admin"]["audit"]["list"]["entries"][number];

/** The kinds of change, as the filter offers them. */
export const KIND_WORDS: Record<AuditEntityKind, string> = {
  platform_config: "Organization settings",
  client_config: "Client settings",
  throttle: "Emergency throttles",
};

/** Who made a change: a person (and whether platform staff), an API key by name, or someone since removed. */
export function whoWords(actor: AdminAuditEntry["actor"]): { name: string; staff: boolean } {
  switch (actor.kind) {
    case "user":
      return { name: actor.name ?? "A person since removed", staff: actor.isPlatformStaff };
    case "apiKey":
      return { name: actor.name ? `API key “${actor.name}”` : "An API key since revoked", staff: false };
    default:
      return { name: "Someone since removed", staff: false };
  }
}

/** "7 Dec 2026, 14:05" in the given zone. */
export function whenWords(at: Date, timeZone: string): string {
  return new Intl.DateTimeFormat("en-GB", { dateStyle: "medium", timeStyle: "short", timeZone }).format(at);
}
