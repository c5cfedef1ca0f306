import { ApiErrorNotice } from "@wedsync/ui/ApiErrorNotice";
import { ConfirmModal } from "@wedsync/ui/ConfirmDialog";
import { type ApiError, errorCode, fieldError } from "@wedsync/ui/errors";
import { notify } from "@wedsync/ui/Notifications";
import { Page } from "@wedsync/ui/Page";
import { Loading } from "@wedsync/ui/StatusViews";
import { trpc } from "@wedsync/ui/trpc";
import { useRef, useState } from "react";
import { ActiveThrottles } from "./ActiveThrottles";
import { ThrottleForm } from "./ThrottleForm";
import { ThrottleHistory } from "./ThrottleHistory";
import { shapeOf, ThrottleReview } from "./ThrottleReview";
import type { ThrottleProposal } from "./throttle-form";
import { useExpiryClock } from "./useExpiryClock";
import { modeWords, scopeWords, type ThrottleItem } from "./words";

/** Other staff may set or lift throttles meanwhile; there is no staff-wide live stream, so look again now and then. */
const REFRESH_MS = 15_000;
const HISTORY_PAGE = 20;

/** A refused throttle in words that say what to do, where the server's own message would name a field. */
function setProblem(err: ApiError): string | null {
  if (fieldError(err, "expiresAt")) {
    return "The end time is no longer in the future (time passed while you reviewed). Cancel, choose a later end, and review again.";
  }
  if (errorCode(err) === "NOT_FOUND") {
    return "That organization no longer exists. Cancel and choose another.";
  }
  return null;
}

/**
 * Emergency throttling: what is in force (each liftable), a form to set a throttle behind a
 * confirmation that says exactly what will be refused for whom, and the history.
 */
export function ThrottlingScreen({ organizationId }: { organizationId?: string | undefined }) {
  const utils = trpc.useUtils();
  const active = trpc.throttles.list.useQuery({ active: true, limit: 200 }, { refetchInterval: REFRESH_MS });
  const history = trpc.throttles.list.useInfiniteQuery(
    { active: false, limit: HISTORY_PAGE },
    { getNextPageParam: (page) => page.nextCursor ?? undefined, refetchInterval: REFRESH_MS },
  );
  const preset = trpc.admin.organizations.get.useQuery(
    { organizationId: organizationId ?? "" },
    { enabled: organizationId !== undefined },
  );
  const set = trpc.throttles.set.useMutation();
  const lift = trpc.throttles.lift.useMutation();
  const [proposal, setProposal] = useState<ThrottleProposal | null>(null);
  const [setError, setSetError] = useState<ApiError | null>(null);
  const [formKey, setFormKey] = useState(0);
  // After a throttle is set the form starts afresh: keyboard users continue from the list it joined.
  const activeHeading = useRef<HTMLHeadingElement>(null);

  const refresh = () => utils.throttles.list.invalidate();
  const items = active.data?.items ?? [];
  const now = useExpiryClock(
    items,
    (ended) => {
      for (const t of ended) {
        notify({ title: "A throttle ended by itself", description: `${scopeWords(t)}: ${modeWords(t)}.` });
      }
      void refresh();
    },
    active.dataUpdatedAt,
  );

  const onLift = async (t: ThrottleItem) => {
    try {
      await lift.mutateAsync({ id: t.id });
      notify({
        title: "Throttle lifted",
        description: `${scopeWords(t)}: AI requests are admitted again.`,
        tone: "success",
      });
    } finally {
      void refresh();
    }
  };

  const onSet = async () => {
    if (!proposal) return;
    setSetError(null);
    try {
      await set.mutateAsync(proposal.input);
    } catch (err) {
      setSetError(err as ApiError);
      throw err;
    }
    const shape = shapeOf(proposal);
    notify({
      title: "Throttle set",
      description: `${scopeWords(shape)}: ${modeWords(shape)}. It is in force on every server now.`,
      tone: "success",
    });
    setProposal(null);
    setFormKey((k) => k + 1);
    void refresh();
    activeHeading.current?.focus();
  };

  const initialOrganization = preset.data ? { id: preset.data.id, name: preset.data.name } : null;
  const problem = setError && setProblem(setError);
  return (
    <Page
      title="Throttling"
      lead="Refuse or limit AI requests in an emergency: for one organization, one feature everywhere, or the whole platform."
    >
      <section className="th-section" aria-labelledby="th-active">
        <h2 id="th-active" ref={activeHeading} tabIndex={-1}>
          In force
        </h2>
        {active.isPending ? (
          <Loading label="Loading the throttles in force…" />
        ) : active.error ? (
          <ApiErrorNotice error={active.error} onRetry={() => void active.refetch()} />
        ) : (
          <ActiveThrottles throttles={items} now={now} onLift={onLift} />
        )}
      </section>

      <section className="th-section panel" aria-labelledby="th-set">
        <h2 id="th-set">Set a throttle</h2>
        {organizationId !== undefined && preset.isPending ? (
          <Loading label="Loading the organization…" />
        ) : (
          <ThrottleForm
            key={`${formKey}:${initialOrganization?.id ?? ""}`}
            initialOrganization={initialOrganization}
            onReview={(p) => {
              setSetError(null);
              setProposal(p);
            }}
          />
        )}
      </section>

      <section className="th-section" aria-labelledby="th-history">
        <h2 id="th-history">History</h2>
        {history.isPending ? (
          <Loading label="Loading the history…" />
        ) : history.error ? (
          <ApiErrorNotice error={history.error} onRetry={() => void history.refetch()} />
        ) : (
          <ThrottleHistory
            throttles={history.data.pages.flatMap((p) => p.items)}
            now={now}
            hasMore={history.hasNextPage}
            loadingMore={history.isFetchingNextPage}
            onLoadMore={() => void history.fetchNextPage()}
          />
        )}
      </section>

      {proposal && (
        <ConfirmModal
          isOpen
          onOpenChange={(open) => {
            if (!open) setProposal(null);
          }}
          title={proposal.input.mode === "refuse" ? "Refuse these AI requests?" : "Limit these AI requests?"}
          confirmLabel={proposal.input.mode === "refuse" ? "Refuse requests now" : "Limit requests now"}
          destructive={proposal.input.mode === "refuse"}
          pending={set.isPending}
          onConfirm={onSet}
        >
          <ThrottleReview proposal={proposal} now={new Date()} />
          {setError &&
            (problem ? (
              <p className="notice notice-error" role="alert">
                {problem}
              </p>
            ) : (
              <ApiErrorNotice error={setError} />
            ))}
        </ConfirmModal>
      )}
    </Page>
  );
}
