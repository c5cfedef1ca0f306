import { Link } from "@tanstack/react-router";
import { ApiErrorNotice } from "@wedsync/ui/ApiErrorNotice";
import { EmptyState, Page } from "@wedsync/ui/Page";
import { Loading } from "@wedsync/ui/StatusViews";
import { trpc } from "@wedsync/ui/trpc";
import { useEffect, useMemo, useState } from "react";
import { Input, Label, SearchField } from "react-aria-components";
import { useOrg } from "../../lib/org";
import { ApiNav } from "./ApiNav";
import { withRealIds } from "./ids";
import { ProcedureDetail } from "./ProcedureDetail";
import { ProcedureList } from "./ProcedureList";
import { groupProcedures } from "./reference";
import { LEVEL_WORDS } from "./words";

/**
 * Every procedure of the API, read from the API itself (reference.procedures): grouped,
 * searchable, each with its own address (?p=path) showing its input, an example with the
 * organization's ids, Try it and snippets.
 */
export function ReferenceScreen({
  query,
  selected,
  onQueryChange,
}: {
  query: string;
  selected: string | null;
  onQueryChange: (query: string) => void;
}) {
  const org = useOrg();
  // The reference only changes with a new server version: read once per page load.
  const reference = trpc.reference.procedures.useQuery(undefined, { staleTime: Number.POSITIVE_INFINITY });
  const firstClient = trpc.clients.list.useQuery({ organizationId: org.id, limit: 1 });
  const [typed, setTyped] = useState(query);
  useEffect(() => setTyped(query), [query]);
  const groups = useMemo(
    () => (reference.data ? groupProcedures(reference.data, typed) : []),
    [reference.data, typed],
  );
  const procedure = reference.data?.procedures.find((p) => p.path === selected) ?? null;
  const clientId = firstClient.data?.clients[0]?.id ?? null;
  const example = procedure ? withRealIds(procedure, { organizationId: org.id, clientId }) : null;

  return (
    <Page
      title="API reference"
      lead="Every procedure of the API, generated from the API itself: what it takes, who may call it, and a way to try it."
    >
      <ApiNav />
      <dl className="api-legend">
        {(["platform", "client"] as const).map((level) => (
          <div key={level}>
            <dt>
              <span className={`api-badge api-level-${level}`}>{LEVEL_WORDS[level].short}</span>
            </dt>
            <dd>{LEVEL_WORDS[level].long}</dd>
          </div>
        ))}
      </dl>
      {reference.isPending ? (
        <Loading label="Loading the reference…" />
      ) : reference.error ? (
        <ApiErrorNotice error={reference.error} onRetry={() => void reference.refetch()} />
      ) : (
        <div className={`api-reference${procedure ? " api-has-detail" : ""}`}>
          <div className="api-reference-list">
            <SearchField
              className="field"
              value={typed}
              onChange={(v) => {
                setTyped(v);
                onQueryChange(v);
              }}
            >
              <Label>Search procedures</Label>
              <Input placeholder="e.g. clients, invoice, mutation" />
            </SearchField>
            <p className="small muted" aria-live="polite">
              {groups.reduce((n, g) => n + g.procedures.length, 0)} of {reference.data.procedures.length}{" "}
              procedures
            </p>
            {groups.length === 0 ? (
              <EmptyState title="No procedure matches">
                <p>Try fewer words, or a router's name such as “clients” or “billing”.</p>
              </EmptyState>
            ) : (
              <ProcedureList
                groups={groups}
                selected={selected}
                renderLink={(p, current, children) => (
                  <Link
                    to="/o/$orgId/api/reference"
                    params={{ orgId: org.id }}
                    search={{ q: typed || undefined, p: p.path }}
                    aria-current={current ? "true" : undefined}
                    className={current ? "api-proc active" : "api-proc"}
                  >
                    {children}
                  </Link>
                )}
              />
            )}
          </div>
          <div className="api-reference-detail">
            {procedure ? (
              <ProcedureDetail procedure={procedure} example={example} origin={window.location.origin} />
            ) : selected ? (
              <EmptyState title={`No procedure is called “${selected}”`}>
                <p>It may have been renamed. Choose one from the list.</p>
              </EmptyState>
            ) : (
              <EmptyState title="Choose a procedure">
                <p>
                  Pick one from the list to see its input, an example with your organization’s ids, and to try
                  it with your own session or an API key.
                </p>
              </EmptyState>
            )}
          </div>
        </div>
      )}
    </Page>
  );
}
