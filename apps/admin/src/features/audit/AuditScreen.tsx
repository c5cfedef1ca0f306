import { ApiErrorNotice } from "@wedsync/ui/ApiErrorNotice";
import { EmptyState, Page } from "@wedsync/ui/Page";
import { Loading } from "@wedsync/ui/StatusViews";
import { trpc } from "@wedsync/ui/trpc";
import { useState } from "react";
import { Button } from "react-aria-components";
import { AuditEntryCard } from "./AuditEntryCard";
import { AuditFilters } from "./AuditFilters";
import { RollbackDialog } from "./RollbackDialog";
import { type AuditSearch, auditQueryInput, hasFilters } from "./search";
import type { AdminAuditEntry } from "./words";

/**
 * Every configuration change across organizations, newest first, filtered by the address, a
 * page at a time ("Load older"); each entry's diff, and rollback of an organization's settings
 * through a confirmation that lists what it changes.
 */
export function AuditScreen({
  search,
  timeZone,
  onSearch,
}: {
  search: AuditSearch;
  timeZone: string;
  onSearch: (next: AuditSearch) => void;
}) {
  const audit = trpc.admin.audit.list.useInfiniteQuery(auditQueryInput(search, timeZone), {
    getNextPageParam: (page) => page.nextCursor ?? undefined,
  });
  const [rollingBack, setRollingBack] = useState<AdminAuditEntry | null>(null);

  let body: React.ReactNode;
  if (audit.isPending) body = <Loading label="Loading changes…" />;
  else if (audit.error) body = <ApiErrorNotice error={audit.error} onRetry={() => void audit.refetch()} />;
  else {
    const entries = audit.data.pages.flatMap((p) => p.entries);
    body =
      entries.length === 0 ? (
        hasFilters(search) ? (
          <EmptyState title="No change matches these filters">
            Widen the dates, choose another organization or person, or clear every filter.
          </EmptyState>
        ) : (
          <EmptyState title="No changes yet">
            Every change to an organization's AI settings, a client's own settings or an emergency throttle
            will be listed here, with who made it and when.
          </EmptyState>
        )
      ) : (
        <>
          <ol className="audit-list" aria-label="Changes, newest first">
            {entries.map((entry) => (
              <AuditEntryCard key={entry.id} entry={entry} timeZone={timeZone} onRollback={setRollingBack} />
            ))}
          </ol>
          {audit.hasNextPage ? (
            <Button
              className="secondary"
              isDisabled={audit.isFetchingNextPage}
              onPress={() => void audit.fetchNextPage()}
            >
              {audit.isFetchingNextPage ? "Loading older changes…" : "Load older changes"}
            </Button>
          ) : (
            <p className="muted small">That is every change that matches.</p>
          )}
        </>
      );
  }

  return (
    <Page
      title="Audit"
      lead={`Every configuration change across organizations, newest first. Times in ${timeZone}.`}
    >
      <AuditFilters search={search} timeZone={timeZone} onChange={onSearch} />
      {body}
      <RollbackDialog entry={rollingBack} onClose={() => setRollingBack(null)} />
    </Page>
  );
}
