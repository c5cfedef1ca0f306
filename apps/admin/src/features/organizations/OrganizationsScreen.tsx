import { keepPreviousData } from "@tanstack/react-query";
import { Link } from "@tanstack/react-router";
import { MAX_BULK_ORGANIZATIONS } from "@wedsync/core/domain";
import { ApiErrorNotice } from "@wedsync/ui/ApiErrorNotice";
import { formatCount } from "@wedsync/ui/format";
import { EmptyState, Page } from "@wedsync/ui/Page";
import { Loading } from "@wedsync/ui/StatusViews";
import { trpc } from "@wedsync/ui/trpc";
import { tierWords } from "@wedsync/ui/words";
import { type ReactNode, useCallback, useState } from "react";
import { Button, type Selection, type SortDescriptor, Toolbar } from "react-aria-components";
import { OrganizationFilters } from "./OrganizationFilters";
import { OrganizationTable } from "./OrganizationTable";
import { listInput, type OrganizationListSearch, type OrganizationSort, PAGE_SIZE } from "./search";
import { plural } from "./words";

/** Spend, credit and alerts move with every request: the list reads them again this often. */
export const LIST_REFRESH_MS = 15_000;

/**
 * Every organization on the platform: search, tier, sort and page in the address; per row its
 * tier, clients, this month's spend, credit, active alerts and throttle state (the throttles in
 * force reaching it, which the list's rows carry).
 * Rows chosen here (on any page or search) go to Bulk changes.
 */
export function OrganizationsScreen({
  search,
  onSearch,
  onOpen,
  onBulk,
}: {
  search: OrganizationListSearch;
  onSearch: (next: OrganizationListSearch) => void;
  onOpen: (organizationId: string) => void;
  /** Open Bulk changes for these organizations (ids). */
  onBulk: (organizationIds: string[]) => void;
}) {
  const list = trpc.admin.organizations.list.useQuery(listInput(search), {
    placeholderData: keepPreviousData,
    refetchInterval: LIST_REFRESH_MS,
  });
  // Chosen rows, by id with their names, kept across pages and searches until cleared.
  const [chosen, setChosen] = useState<ReadonlyMap<string, string>>(new Map());

  const rows = list.data?.rows ?? [];
  const total = list.data?.total ?? 0;
  const page = search.page ?? 1;
  const pages = Math.max(1, Math.ceil(total / PAGE_SIZE));
  const pageIds = rows.map((r) => r.id);

  const onSelectionChange = (keys: Selection) => {
    // In the order they were chosen; rows of other pages and searches stay chosen.
    const next = new Map(chosen);
    for (const r of rows) {
      if (keys === "all" || keys.has(r.id)) {
        if (!next.has(r.id)) next.set(r.id, r.name);
      } else next.delete(r.id);
    }
    setChosen(next);
  };
  const setFilters = useCallback(
    (next: Pick<OrganizationListSearch, "q" | "tier">) =>
      onSearch({ ...next, sort: search.sort, dir: search.dir }),
    [onSearch, search.sort, search.dir],
  );
  const sortDescriptor: SortDescriptor = {
    column: search.sort ?? "name",
    direction: search.dir === "desc" ? "descending" : "ascending",
  };
  const onSortChange = (d: SortDescriptor) =>
    onSearch({
      q: search.q,
      tier: search.tier,
      sort: d.column === "name" ? undefined : (d.column as OrganizationSort),
      dir: d.direction === "descending" ? "desc" : undefined,
    });

  let body: ReactNode;
  if (list.isPending) body = <Loading label="Loading organizations…" />;
  else if (list.error) body = <ApiErrorNotice error={list.error} onRetry={() => void list.refetch()} />;
  else if (total === 0) body = <NoOrganizations search={search} onClear={() => onSearch({})} />;
  else
    body = (
      <>
        <p className="muted small" aria-live="polite">
          {total <= rows.length && page === 1
            ? plural(total, "organization")
            : `Organizations ${formatCount((page - 1) * PAGE_SIZE + 1)}–${formatCount((page - 1) * PAGE_SIZE + rows.length)} of ${formatCount(total)}`}
          {list.isFetching && " · updating…"}
        </p>
        <OrganizationTable
          rows={rows}
          selectedKeys={new Set(pageIds.filter((id) => chosen.has(id)))}
          onSelectionChange={onSelectionChange}
          sortDescriptor={sortDescriptor}
          onSortChange={onSortChange}
          onOpen={onOpen}
        />
        {pages > 1 && (
          <nav className="toolbar org-pager" aria-label="Pages of organizations">
            <Button
              className="secondary"
              isDisabled={page <= 1}
              onPress={() => onSearch({ ...search, page: page - 1 > 1 ? page - 1 : undefined })}
            >
              Previous page
            </Button>
            <span>
              Page {formatCount(page)} of {formatCount(pages)}
            </span>
            <Button
              className="secondary"
              isDisabled={page >= pages}
              onPress={() => onSearch({ ...search, page: page + 1 })}
            >
              Next page
            </Button>
          </nav>
        )}
      </>
    );

  return (
    <Page
      title="Organizations"
      lead="Every wedding business on the platform. Open one to see and act on it; choose several to change them together."
    >
      <OrganizationFilters q={search.q} tier={search.tier} onChange={setFilters} />
      {chosen.size > 0 && (
        <Toolbar className="toolbar org-selection-bar" aria-label="Chosen organizations">
          <p className="org-selection-count">
            {plural(chosen.size, "organization")} chosen: {[...chosen.values()].join(", ")}
          </p>
          <Button
            className="primary"
            isDisabled={chosen.size > MAX_BULK_ORGANIZATIONS}
            onPress={() => onBulk([...chosen.keys()])}
          >
            Change the chosen in bulk…
          </Button>
          <Button className="secondary" onPress={() => setChosen(new Map())}>
            Clear the choice
          </Button>
          {chosen.size > MAX_BULK_ORGANIZATIONS && (
            <p className="small">
              At most {MAX_BULK_ORGANIZATIONS} organizations change together: clear some and change them in
              parts.
            </p>
          )}
        </Toolbar>
      )}
      {body}
      {total > 0 && (
        <p className="small">
          <Link to="/bulk" search={{ tier: search.tier, q: search.q }}>
            Change {search.q || search.tier ? "every matching organization" : "every organization"} in bulk
          </Link>{" "}
          <span className="muted">
            ({matchingWords(search)}
            {total > MAX_BULK_ORGANIZATIONS && `; at most ${MAX_BULK_ORGANIZATIONS} at once`})
          </span>
        </p>
      )}
    </Page>
  );
}

/** "Free tier, names containing “rose”" or "all of them". */
export function matchingWords(search: Pick<OrganizationListSearch, "q" | "tier">): string {
  const parts = [
    search.tier && `${tierWords(search.tier)} tier`,
    search.q && `names containing “${search.q}”`,
  ].filter(Boolean);
  return parts.length > 0 ? parts.join(", ") : "all of them";
}

/** Nothing to show: nothing matches (and how to widen it), or there are no organizations yet. */
function NoOrganizations({ search, onClear }: { search: OrganizationListSearch; onClear: () => void }) {
  if (!search.q && !search.tier) {
    return (
      <EmptyState title="No organizations yet">
        <p>Organizations appear here as soon as a wedding business signs up for WedSync.</p>
      </EmptyState>
    );
  }
  return (
    <EmptyState title={`No organizations match: ${matchingWords(search)}`}>
      <p>Check the spelling, search for part of the name, or choose another tier.</p>
      <Button className="secondary" onPress={onClear}>
        Clear the search
      </Button>
    </EmptyState>
  );
}
