import { ApiErrorNotice } from "@wedsync/ui/ApiErrorNotice";
import { actorWords } from "@wedsync/ui/audit";
import { EmptyState } from "@wedsync/ui/Page";
import { Loading } from "@wedsync/ui/StatusViews";
import { trpc } from "@wedsync/ui/trpc";
import { useMemo } from "react";
import { Button } from "react-aria-components";
import { AuditEntry } from "./AuditEntry";
import { AUDIT_PAGE } from "./audit-page";
import type { PlatformFeature } from "./types";

/**
 * The organization's change history, newest first, a page at a time (owners and admins). Live:
 * a configuration change refetches it (the live provider invalidates ["platform","audit"]).
 */
export function AuditTrail({
  organizationId,
  myUserId,
  timeZone,
  features,
  onRollback,
}: {
  organizationId: string;
  myUserId: string;
  timeZone: string;
  features: readonly PlatformFeature[];
  onRollback: (auditId: number, expectedVersion: number) => Promise<unknown>;
}) {
  const audit = trpc.platform.audit.list.useInfiniteQuery(
    { organizationId, limit: AUDIT_PAGE },
    { getNextPageParam: (page) => page.nextCursor ?? undefined },
  );
  const byFeature = useMemo(() => new Map(features.map((f) => [f.featureType, f])), [features]);

  let body: React.ReactNode;
  if (audit.isPending) body = <Loading label="Loading the change history…" />;
  else if (audit.error) body = <ApiErrorNotice error={audit.error} onRetry={() => void audit.refetch()} />;
  else {
    const entries = audit.data.pages.flatMap((p) => p.entries);
    body =
      entries.length === 0 ? (
        <EmptyState title="No changes yet">
          Every change to these settings (a switch, a cap, a model, a client's override) will be listed here,
          with who made it and when, and a way to roll back to it.
        </EmptyState>
      ) : (
        <>
          <ol className="audit-list">
            {entries.map((entry) => {
              const feature = (entry.after as { featureType?: string }).featureType;
              return (
                <AuditEntry
                  key={entry.id}
                  entry={entry}
                  who={actorWords(entry, myUserId)}
                  timeZone={timeZone}
                  current={feature ? byFeature.get(feature as PlatformFeature["featureType"]) : undefined}
                  canRollback
                  onRollback={onRollback}
                />
              );
            })}
          </ol>
          {audit.hasNextPage && (
            <Button
              className="secondary"
              isPending={audit.isFetchingNextPage}
              onPress={() => void audit.fetchNextPage()}
            >
              {audit.isFetchingNextPage ? "Loading older changes…" : "Show older changes"}
            </Button>
          )}
        </>
      );
  }

  return (
    <section className="audit" aria-labelledby="audit-heading">
      <h2 id="audit-heading">Change history</h2>
      <p className="muted">
        Every change to the organization's AI settings and to clients' own settings, newest first. Roll back
        restores the organization's settings as they were after that change.
      </p>
      {body}
    </section>
  );
}
