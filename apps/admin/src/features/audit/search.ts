import { AUDIT_ENTITY_KINDS, FEATURE_TYPES } from "@wedsync/core/domain";
import { z } from "zod";

const isoDay = z.iso.date();

/**
 * The audit screen's address: which organization, who, which feature, what kind of change and
 * which days. A malformed value is dropped (an edited or old link still opens the screen).
 */
export const auditSearchSchema = z.object({
  org: z.uuid().optional().catch(undefined),
  actor: z.string().trim().min(1).max(200).optional().catch(undefined),
  feature: z.enum(FEATURE_TYPES).optional().catch(undefined),
  kind: z.enum(AUDIT_ENTITY_KINDS).optional().catch(undefined),
  from: isoDay.optional().catch(undefined),
  to: isoDay.optional().catch(undefined),
});
export type AuditSearch = z.infer<typeof auditSearchSchema>;

/** Entries per page; "Load older" asks for the next this many. */
export const AUDIT_PAGE = 25;

/** Why a range of days cannot be used, in words; null when it can (no range at all is fine). */
export function daysProblem(range: { from: string; to: string } | null): string | null {
  if (range && range.to < range.from) return "The end date must be on or after the start date.";
  return null;
}

/** The IANA zone the browser runs in, the one the day filters and times use; UTC if it has none. */
export function browserTimeZone(): string {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC";
  } catch {
    return "UTC";
  }
}

/** admin.audit.list's input for a search (a backwards range is left out: the form refuses it first). */
export function auditQueryInput(search: AuditSearch, timeZone: string) {
  const range = search.from && search.to && daysProblem(search as { from: string; to: string });
  return {
    organizationId: search.org,
    actor: search.actor,
    featureType: search.feature,
    entityKind: search.kind,
    from: range ? undefined : search.from,
    to: range ? undefined : search.to,
    timeZone,
    limit: AUDIT_PAGE,
  };
}

export const hasFilters = (s: AuditSearch) => Object.values(s).some((v) => v !== undefined);
