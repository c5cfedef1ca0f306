import { MAX_BULK_ORGANIZATIONS, SUBSCRIPTION_TIERS, type SubscriptionTier } from "@wedsync/core/domain";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Bulk changes' address: the organizations chosen in the list (`orgs`, ids separated by commas),
 * or a filter (tier and search words) when none are. A reload or a shared link keeps the choice.
 */
export interface BulkSearch {
  orgs?: string | undefined;
  tier?: SubscriptionTier | undefined;
  q?: string | undefined;
}

/** The ids in `orgs`: well-formed, each once, at most as many as one change may touch. */
export function chosenIds(orgs: string | undefined): string[] {
  if (!orgs) return [];
  const ids = orgs
    .split(",")
    .map((s) => s.trim().toLowerCase())
    .filter((s) => UUID.test(s));
  return [...new Set(ids)].slice(0, MAX_BULK_ORGANIZATIONS);
}

/** The route's validateSearch: what the address says, each value checked, the rest dropped. */
export function parseBulkSearch(raw: Record<string, unknown>): BulkSearch {
  const ids = chosenIds(typeof raw.orgs === "string" ? raw.orgs : undefined);
  const q = typeof raw.q === "string" ? raw.q.trim().slice(0, 100) : "";
  const tier =
    typeof raw.tier === "string" && (SUBSCRIPTION_TIERS as readonly string[]).includes(raw.tier)
      ? (raw.tier as SubscriptionTier)
      : undefined;
  if (ids.length > 0) return { orgs: ids.join(",") };
  return { tier, q: q || undefined };
}

export type OrganizationSelection =
  | { organizationIds: string[] }
  | { filter: { tier?: SubscriptionTier; search?: string } };

/** What admin.bulk.preview and update are told: the chosen ids, or the filter. */
export function selectionOf(search: BulkSearch): OrganizationSelection {
  const ids = chosenIds(search.orgs);
  if (ids.length > 0) return { organizationIds: ids };
  return {
    filter: {
      ...(search.tier && { tier: search.tier }),
      ...(search.q && { search: search.q }),
    },
  };
}
