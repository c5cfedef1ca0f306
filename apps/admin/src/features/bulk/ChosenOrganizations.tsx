import { Link } from "@tanstack/react-router";
import { MAX_BULK_ORGANIZATIONS, type SubscriptionTier } from "@wedsync/core/domain";
import { ApiErrorNotice } from "@wedsync/ui/ApiErrorNotice";
import { Loading } from "@wedsync/ui/StatusViews";
import { trpc } from "@wedsync/ui/trpc";
import type { ReactNode } from "react";
import { OrganizationFilters } from "../organizations/OrganizationFilters";
import { matchingWords } from "../organizations/OrganizationsScreen";
import { plural } from "../organizations/words";
import { type BulkSearch, chosenIds } from "./search";

/** Names are looked up a page at a time; one page covers any change (at most MAX_BULK_ORGANIZATIONS). */
const LOOKUP = { sort: "name", direction: "asc", limit: MAX_BULK_ORGANIZATIONS, offset: 0 } as const;

/** admin.organizations.list's input naming the chosen organizations (or the filter's matches). */
export function lookupInput(search: BulkSearch) {
  return chosenIds(search.orgs).length > 0 ? LOOKUP : { ...LOOKUP, tier: search.tier, search: search.q };
}

/** Whether a filter's matches cannot be changed together (none, or more than one change may reach). */
export function unreachable(search: BulkSearch, matches: number | undefined): boolean {
  if (chosenIds(search.orgs).length > 0 || matches === undefined) return false;
  return matches === 0 || matches > MAX_BULK_ORGANIZATIONS;
}

/**
 * Which organizations the change is for: those chosen in the list (by name), or every one
 * matching a tier and search, counted and named as they are now (the server resolves the filter
 * again when the change applies).
 */
export function ChosenOrganizations({
  search,
  onFilter,
}: {
  search: BulkSearch;
  onFilter: (next: { tier?: SubscriptionTier | undefined; q?: string | undefined }) => void;
}) {
  const ids = chosenIds(search.orgs);
  const byIds = ids.length > 0;
  const lookup = trpc.admin.organizations.list.useQuery(lookupInput(search));

  let names: ReactNode;
  if (lookup.isPending) names = <Loading label="Finding the organizations…" />;
  else if (lookup.error)
    names = <ApiErrorNotice error={lookup.error} onRetry={() => void lookup.refetch()} />;
  else if (byIds) {
    const found = lookup.data.rows.filter((r) => ids.includes(r.id));
    const others = ids.length - found.length;
    names = (
      <p aria-live="polite">
        {plural(ids.length, "organization")} chosen in the list: {found.map((r) => r.name).join(", ")}
        {others > 0 && `${found.length > 0 ? ", and " : ""}${plural(others, "other")} (named in the preview)`}
        .
      </p>
    );
  } else {
    const { total, rows } = lookup.data;
    names = (
      <p
        aria-live="polite"
        className={total === 0 || total > MAX_BULK_ORGANIZATIONS ? "field-error" : undefined}
      >
        {total === 0
          ? "No organization matches: change the tier or the search."
          : total > MAX_BULK_ORGANIZATIONS
            ? `${plural(total, "organization")} match, more than the ${MAX_BULK_ORGANIZATIONS} one change may reach: narrow the filter and change them in parts.`
            : `Matches ${plural(total, "organization")} now: ${rows.map((r) => r.name).join(", ")}.`}
      </p>
    );
  }

  return (
    <section className="panel org-panel" aria-labelledby="bulk-who-heading">
      <h2 id="bulk-who-heading">Organizations</h2>
      {byIds ? (
        <>
          {names}
          <p className="small">
            <Link to="/organizations">Choose others in the list of organizations</Link>, or{" "}
            <Link to="/bulk" search={{}}>
              choose by tier or name instead
            </Link>
            .
          </p>
        </>
      ) : (
        <>
          <p className="muted small">
            Every organization matching: {matchingWords(search)}. Or choose them one by one in the{" "}
            <Link to="/organizations" search={{ tier: search.tier, q: search.q }}>
              list of organizations
            </Link>
            .
          </p>
          <OrganizationFilters
            q={search.q}
            tier={search.tier}
            onChange={onFilter}
            label="Choose organizations by tier or name"
          />
          {names}
        </>
      )}
    </section>
  );
}
