import { SUBSCRIPTION_TIERS, type SubscriptionTier } from "@wedsync/core/domain";

/** The list's sortable columns, as admin.organizations.list names them. */
export const ORGANIZATION_SORTS = ["name", "tier", "clients", "monthSpend"] as const;
export type OrganizationSort = (typeof ORGANIZATION_SORTS)[number];

export const PAGE_SIZE = 25;
/** The API's page limit for a search (admin.organizations.list's `search`). */
const SEARCH_MAX = 100;
const PAGE_MAX = 40_000;

/**
 * The list's address: search words, tier, sort and page, so a link shows the same list and Back
 * returns to the previous one. Defaults are left out (a plain /admin/organizations is the first
 * page by name); a malformed value is dropped rather than failing the screen.
 */
export interface OrganizationListSearch {
  q?: string | undefined;
  tier?: SubscriptionTier | undefined;
  sort?: OrganizationSort | undefined;
  dir?: "asc" | "desc" | undefined;
  /** 1-based; absent is the first. */
  page?: number | undefined;
}

const oneOf = <T extends string>(values: readonly T[], v: unknown): T | undefined =>
  typeof v === "string" && (values as readonly string[]).includes(v) ? (v as T) : undefined;

/** The route's validateSearch: what the address says, each value checked, the rest dropped. */
export function parseOrganizationListSearch(raw: Record<string, unknown>): OrganizationListSearch {
  const q = typeof raw.q === "string" ? raw.q.trim().slice(0, SEARCH_MAX) : "";
  const page = typeof raw.page === "number" ? raw.page : Number(raw.page);
  const sort = oneOf(ORGANIZATION_SORTS, raw.sort);
  const dir = oneOf(["asc", "desc"] as const, raw.dir);
  return {
    q: q || undefined,
    tier: oneOf(SUBSCRIPTION_TIERS, raw.tier),
    sort: sort === "name" ? undefined : sort,
    dir: dir === "desc" ? dir : undefined,
    page: Number.isInteger(page) && page > 1 && page <= PAGE_MAX ? page : undefined,
  };
}

/** admin.organizations.list's input for what the address says. */
export function listInput(search: OrganizationListSearch) {
  return {
    search: search.q,
    tier: search.tier,
    sort: search.sort ?? "name",
    direction: search.dir ?? "asc",
    limit: PAGE_SIZE,
    offset: ((search.page ?? 1) - 1) * PAGE_SIZE,
  } as const;
}
