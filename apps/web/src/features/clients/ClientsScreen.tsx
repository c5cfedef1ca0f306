import { keepPreviousData, useQueryClient } from "@tanstack/react-query";
import { ApiErrorNotice } from "@wedsync/ui/ApiErrorNotice";
import { formatCount } from "@wedsync/ui/format";
import { EmptyState, Page } from "@wedsync/ui/Page";
import { Loading } from "@wedsync/ui/StatusViews";
import { trpc } from "@wedsync/ui/trpc";
import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import { Button, type Selection, Toolbar } from "react-aria-components";
import { LiveBadge, useUsageEvents } from "../../lib/live";
import { useOrg } from "../../lib/org";
import { type ApplyBulk, BulkConfigure } from "./BulkConfigure";
import { ClientFilters } from "./ClientFilters";
import { ClientsTable } from "./ClientsTable";
import type { ClientListSearch } from "./search";
import { STATUS_WORDS } from "./words";

export const PAGE_SIZE = 25;
/** The most clients one bulk change may touch (clients.config.bulkUpdate's limit). */
export const BULK_MAX = 200;

/**
 * The organization's clients: search and status filter in the address, a page at a time, each
 * client's effective settings and this month's usage; select several (or all matching) to
 * configure them together.
 */
export function ClientsScreen({
  search,
  onSearch,
  onOpen,
}: {
  search: ClientListSearch;
  onSearch: (next: ClientListSearch) => void;
  onOpen: (clientId: string) => void;
}) {
  const org = useOrg();
  const queryClient = useQueryClient();
  const pages = search.pages ?? [];
  const filter = { search: search.q, status: search.status };
  const platform = trpc.platform.config.get.useQuery({ organizationId: org.id });
  const list = trpc.clients.list.useQuery(
    { organizationId: org.id, ...filter, cursor: pages.at(-1), limit: PAGE_SIZE },
    { placeholderData: keepPreviousData },
  );

  const [selected, setSelected] = useState<Selection>(new Set());
  const [allMatching, setAllMatching] = useState(false);
  const [configuring, setConfiguring] = useState(false);
  // A new search, filter or page starts with nothing chosen.
  const listKey = JSON.stringify([search.q, search.status, pages.at(-1)]);
  useEffect(() => {
    setSelected(new Set());
    setAllMatching(false);
  }, [listKey]);

  const everyMatching = trpc.clients.list.useQuery(
    { organizationId: org.id, ...filter, limit: BULK_MAX },
    { enabled: allMatching },
  );
  const rows = list.data?.clients ?? [];
  const total = list.data?.total ?? 0;
  const selectedRows = useMemo(() => {
    if (allMatching) return everyMatching.data?.clients ?? [];
    return selected === "all" ? rows : rows.filter((r) => selected.has(r.id));
  }, [allMatching, everyMatching.data, selected, rows]);
  const pageAllSelected = rows.length > 0 && (selected === "all" || selected.size === rows.length);

  // Usage this month moves with every recorded request: refetch the page at most once a second.
  const usageRefresh = useRef<ReturnType<typeof setTimeout> | null>(null);
  useUsageEvents(() => {
    usageRefresh.current ??= setTimeout(() => {
      usageRefresh.current = null;
      void list.refetch();
    }, 1_000);
  });
  useEffect(
    () => () => {
      if (usageRefresh.current) clearTimeout(usageRefresh.current);
    },
    [],
  );

  const bulk = trpc.clients.config.bulkUpdate.useMutation();
  const refresh = useCallback(
    () => queryClient.invalidateQueries({ queryKey: [["clients"]] }),
    [queryClient],
  );
  const apply: ApplyBulk = async (featureType, changes) => {
    try {
      await bulk.mutateAsync({
        organizationId: org.id,
        featureType,
        changes: changes.map((c) => ({
          clientId: c.clientId,
          expectedVersion: c.expectedVersion,
          overrides: c.overrides,
        })),
      });
    } finally {
      await refresh();
    }
  };

  const setFilters = useCallback(
    (next: { q?: string | undefined; status?: ClientListSearch["status"] }) =>
      onSearch({ q: next.q, status: next.status }),
    [onSearch],
  );

  return (
    <Page
      title="Clients"
      lead="Each wedding's AI settings (inherited from the organization, or overridden for the couple) and its usage this month."
      actions={<LiveBadge />}
    >
      <ClientFilters q={search.q} status={search.status} onChange={setFilters} />
      {list.isPending || platform.isPending ? (
        <Loading label="Loading clients…" />
      ) : list.error ? (
        <ApiErrorNotice error={list.error} onRetry={() => void list.refetch()} />
      ) : platform.error ? (
        <ApiErrorNotice error={platform.error} onRetry={() => void platform.refetch()} />
      ) : total === 0 ? (
        <NoClients q={search.q} status={search.status} onClear={() => onSearch({})} />
      ) : (
        <>
          <p className="muted small" aria-live="polite">
            {rangeWords(pages.length, rows.length, total)}
            {list.isFetching && " · updating…"}
          </p>
          {(selectedRows.length > 0 || allMatching) && (
            <Toolbar className="toolbar cl-selection-bar" aria-label="Selected clients">
              <p className="cl-selection-count">
                {allMatching
                  ? everyMatching.isPending
                    ? "Selecting every matching client…"
                    : `All ${formatCount(selectedRows.length)} matching clients selected`
                  : `${selectedRows.length} selected`}
              </p>
              {pageAllSelected && !allMatching && total > rows.length && (
                <Button className="secondary" onPress={() => setAllMatching(true)}>
                  Select all {formatCount(Math.min(total, BULK_MAX))} matching this filter
                </Button>
              )}
              <Button
                className="primary"
                onPress={() => setConfiguring(true)}
                isDisabled={selectedRows.length === 0}
              >
                Configure selected…
              </Button>
              <Button
                className="secondary"
                onPress={() => {
                  setSelected(new Set());
                  setAllMatching(false);
                }}
              >
                Clear selection
              </Button>
              {allMatching && total > BULK_MAX && (
                <p className="small">
                  Only the first {BULK_MAX} of {formatCount(total)} can be changed at once; narrow the search
                  to reach the others.
                </p>
              )}
            </Toolbar>
          )}
          {configuring && selectedRows.length > 0 && platform.data && (
            <BulkConfigure
              targets={selectedRows}
              platform={platform.data.features}
              apply={apply}
              onApplied={() => {
                setConfiguring(false);
                setSelected(new Set());
                setAllMatching(false);
              }}
              onRefresh={() => void refresh()}
              onCancel={() => setConfiguring(false)}
            />
          )}
          <ClientsTable
            orgId={org.id}
            rows={rows}
            platform={platform.data?.features ?? []}
            selectedKeys={allMatching ? "all" : selected}
            onSelectionChange={(keys) => {
              setAllMatching(false);
              setSelected(keys);
            }}
            onOpen={onOpen}
          />
          {(pages.length > 0 || list.data?.nextCursor) && (
            <nav className="toolbar cl-pager" aria-label="Pages of clients">
              <Button
                className="secondary"
                isDisabled={pages.length === 0}
                onPress={() => onSearch({ ...search, pages: pages.slice(0, -1) })}
              >
                Previous page
              </Button>
              <Button
                className="secondary"
                isDisabled={!list.data?.nextCursor}
                onPress={() => onSearch({ ...search, pages: [...pages, list.data!.nextCursor!] })}
              >
                Next page
              </Button>
            </nav>
          )}
        </>
      )}
    </Page>
  );
}

function rangeWords(pageIndex: number, shown: number, total: number): string {
  const from = pageIndex * PAGE_SIZE + 1;
  const to = pageIndex * PAGE_SIZE + shown;
  return total <= shown && pageIndex === 0
    ? `${formatCount(total)} ${total === 1 ? "client" : "clients"}`
    : `Clients ${formatCount(from)}–${formatCount(to)} of ${formatCount(total)}`;
}

/** Nothing to show: either nothing matches (and how to widen it) or there are no clients yet. */
export function NoClients({
  q,
  status,
  onClear,
}: {
  q: string | undefined;
  status: ClientListSearch["status"];
  onClear: () => void;
}) {
  if (!q && !status) {
    return (
      <EmptyState title="No clients yet">
        <p>
          Clients (weddings) appear here once they are added to your WedSync account, each with the
          organization's AI settings until you override them.
        </p>
      </EmptyState>
    );
  }
  const what = [q && `“${q}”`, status && `the status ${STATUS_WORDS[status]}`].filter(Boolean).join(" with ");
  return (
    <EmptyState title={`No clients match ${what}`}>
      <p>Check the spelling or search for one of the two names.</p>
      <Button className="secondary" onPress={onClear}>
        Clear the search
      </Button>
    </EmptyState>
  );
}
