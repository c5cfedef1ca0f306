import { skipToken, useQueryClient } from "@tanstack/react-query";
import { Link } from "@tanstack/react-router";
import type { SubscriptionTier } from "@wedsync/core/domain";
import { notify } from "@wedsync/ui/Notifications";
import { Page } from "@wedsync/ui/Page";
import { trpc } from "@wedsync/ui/trpc";
import { useCallback, useMemo, useState } from "react";
import { plural } from "../organizations/words";
import { BulkChangeForm, type PricedModel } from "./BulkChangeForm";
import { BulkDialog, type ExpectedVersions } from "./BulkDialog";
import type { Preview } from "./BulkPreview";
import { ChosenOrganizations, lookupInput, unreachable } from "./ChosenOrganizations";
import type { BulkChange } from "./change-form";
import { type BulkSearch, selectionOf } from "./search";
import { changeDoneWords } from "./words";

interface Done {
  title: string;
  organizations: Array<{ id: string; name: string }>;
  clampedClients: number;
}

/**
 * Bulk changes: choose organizations (from the list, or by tier and name), choose the change,
 * confirm the API's dry run listing every organization and value that changes, and apply it to
 * all of them or none.
 */
export function BulkScreen({
  search,
  onSearch,
}: {
  search: BulkSearch;
  onSearch: (next: BulkSearch) => void;
}) {
  const queryClient = useQueryClient();
  const selection = useMemo(() => selectionOf(search), [search]);
  const [change, setChange] = useState<BulkChange | null>(null);
  const [done, setDone] = useState<Done | null>(null);
  const lookup = trpc.admin.organizations.list.useQuery(lookupInput(search));
  const prices = trpc.modelPrices.list.useQuery();
  const pricedModels: PricedModel[] | null = useMemo(
    () =>
      prices.data?.models.flatMap((m) =>
        m.current
          ? [
              {
                model: m.model,
                inputPerMillion: m.current.inputPerMillion,
                outputPerMillion: m.current.outputPerMillion,
              },
            ]
          : [],
      ) ?? null,
    [prices.data],
  );

  // Always fresh: the dialog must show the organizations as they are when it opens.
  const preview = trpc.admin.bulk.preview.useQuery(change ? { selection, ...change } : skipToken, {
    staleTime: 0,
    gcTime: 0,
    retry: false,
    refetchOnWindowFocus: false,
  });
  const update = trpc.admin.bulk.update.useMutation();

  const apply = async (expectedVersions: ExpectedVersions) => {
    if (!change) return;
    try {
      await update.mutateAsync({ selection, ...change, expectedVersions });
    } finally {
      await queryClient.invalidateQueries({ queryKey: [["admin", "organizations"]] });
    }
  };

  const onApplied = (reviewed: Preview) => {
    if (!change) return;
    const changed = reviewed.organizations.filter((o) => o.changes.length > 0);
    const result: Done = {
      title: `${changeDoneWords(change)} for ${plural(changed.length, "organization")}`,
      organizations: changed.map((o) => ({ id: o.organizationId, name: o.name })),
      clampedClients: reviewed.totals.clampedClients,
    };
    notify({
      title: result.title,
      description: result.organizations.map((o) => o.name).join(", "),
      tone: "success",
    });
    setDone(result);
    setChange(null);
  };

  const onFilter = useCallback(
    (next: { tier?: SubscriptionTier | undefined; q?: string | undefined }) => onSearch(next),
    [onSearch],
  );

  return (
    <Page
      title="Bulk changes"
      lead="Switch a feature on or off, or set one of its limits, in many organizations at once: all of them or none."
    >
      <ChosenOrganizations search={search} onFilter={onFilter} />
      <BulkChangeForm
        pricedModels={pricedModels}
        isDisabled={unreachable(search, lookup.data?.total)}
        onPreview={(next) => {
          setDone(null);
          setChange(next);
        }}
      />
      {done && (
        <section className="panel org-panel bulk-done" aria-labelledby="bulk-done-heading">
          <h2 id="bulk-done-heading">Done</h2>
          <p>
            {done.title}
            {done.clampedClients > 0 &&
              `; ${plural(done.clampedClients, "client")}' own settings lowered to fit`}
            . Each change is in the organization's history under your name.
          </p>
          <ul className="link-list">
            {done.organizations.map((o) => (
              <li key={o.id}>
                <Link to="/organizations/$orgId" params={{ orgId: o.id }}>
                  {o.name}
                </Link>
              </li>
            ))}
          </ul>
        </section>
      )}
      {change && (
        <BulkDialog
          change={change}
          preview={preview.isFetching ? undefined : preview.data}
          previewError={preview.isFetching ? null : preview.error}
          onPreviewAgain={() => void preview.refetch()}
          apply={apply}
          onApplied={onApplied}
          onClose={() => setChange(null)}
        />
      )}
    </Page>
  );
}
