import { ApiErrorNotice } from "@wedsync/ui/ApiErrorNotice";
import { ConfirmModal } from "@wedsync/ui/ConfirmDialog";
import { type ApiError, errorCode, fieldError } from "@wedsync/ui/errors";
import { notify } from "@wedsync/ui/Notifications";
import { Page } from "@wedsync/ui/Page";
import { Loading } from "@wedsync/ui/StatusViews";
import { trpc } from "@wedsync/ui/trpc";
import { useRef, useState } from "react";
import { Tab, TabList, TabPanel, Tabs } from "react-aria-components";
import { whenWords } from "../../lib/when";
import { PriceForm, type PriceFormKind } from "./PriceForm";
import { PriceReview } from "./PriceReview";
import { PriceHistory, PriceTable } from "./PriceTable";
import type { PriceProposal } from "./price-form";
import { type ModelEntry, modelKey, perMillion } from "./words";

/** A price scheduled meanwhile comes into force by itself: look again now and then. */
const REFRESH_MS = 60_000;

/** Why the server refused a proposal, in words that say what to do (null: its own message will do). */
function scheduleProblem(err: ApiError, p: PriceProposal): string | null {
  if (errorCode(err) === "CONFLICT") {
    return `${p.model} (${p.provider}) already has a price starting at exactly ${whenWords(p.effectiveFrom)}. Two prices cannot start at the same instant: cancel, choose another start time, and review again.`;
  }
  if (fieldError(err, "effectiveFrom")) {
    return "The start is no longer far enough ahead (time passed while you reviewed). Cancel, choose a later start, and review again.";
  }
  return null;
}

/**
 * The model price table with each model's history; schedule a new price or add a model, behind a
 * confirmation showing the old and new prices and an example request's cost under each.
 */
export function PricesScreen({
  model,
  form = "schedule",
  onChoose,
}: {
  /** The model to reprice (provider/model), from the address. */
  model?: string | undefined;
  form?: PriceFormKind | undefined;
  onChoose: (choice: { model?: string | undefined; form?: PriceFormKind | undefined }) => void;
}) {
  const utils = trpc.useUtils();
  const list = trpc.modelPrices.list.useQuery(undefined, { refetchInterval: REFRESH_MS });
  const schedule = trpc.modelPrices.schedule.useMutation();
  const [proposal, setProposal] = useState<PriceProposal | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [formKey, setFormKey] = useState(0);
  const formHeading = useRef<HTMLHeadingElement>(null);

  const models = list.data?.models ?? [];
  const preset = models.find((m) => modelKey(m) === model) ?? null;
  const now = new Date(list.dataUpdatedAt || Date.now());
  const existing =
    proposal && models.some((m) => m.provider === proposal.provider && m.model === proposal.model);

  const onSchedule = (entry: ModelEntry) => {
    onChoose({ model: modelKey(entry), form: "schedule" });
    // Focus scrolls the form into view: keyboard and screen-reader users continue there.
    formHeading.current?.focus();
  };

  const onConfirm = async () => {
    if (!proposal) return;
    setError(null);
    try {
      await schedule.mutateAsync(proposal);
    } catch (err) {
      setError(err as ApiError);
      throw err;
    }
    notify({
      title: existing ? "New price scheduled" : "Model added",
      description: `${proposal.model} (${proposal.provider}) from ${whenWords(proposal.effectiveFrom)}: ${perMillion(proposal.inputPerMillion)} input, ${perMillion(proposal.cachedInputPerMillion)} cached input, ${perMillion(proposal.outputPerMillion)} output per million tokens.`,
      tone: "success",
    });
    setProposal(null);
    setFormKey((k) => k + 1);
    void utils.modelPrices.list.invalidate();
  };

  const problem = error && proposal && scheduleProblem(error, proposal);
  return (
    <Page
      title="Model prices"
      lead="What each AI model costs per million tokens, and its history. Prices change only from a future moment: requests already charged keep their price."
    >
      <section className="th-section" aria-labelledby="pr-table">
        <h2 id="pr-table">Price table</h2>
        {list.isPending ? (
          <Loading label="Loading the price table…" />
        ) : list.error ? (
          <ApiErrorNotice error={list.error} onRetry={() => void list.refetch()} />
        ) : (
          <>
            <PriceTable models={models} now={now} onSchedule={onSchedule} />
            {models.length > 0 && (
              <>
                <h3>History</h3>
                <PriceHistory models={models} now={now} />
              </>
            )}
          </>
        )}
      </section>

      <section className="th-section panel" aria-labelledby="pr-change">
        <h2 id="pr-change" ref={formHeading} tabIndex={-1}>
          Change the price table
        </h2>
        {list.data && (
          <Tabs
            className="tabs"
            selectedKey={form}
            onSelectionChange={(key) => onChoose({ model, form: key as PriceFormKind })}
          >
            <TabList aria-label="Change the price table">
              <Tab id="schedule" className="tab">
                Schedule a new price
              </Tab>
              <Tab id="add" className="tab">
                Add a model
              </Tab>
            </TabList>
            <TabPanel id="schedule">
              <PriceForm
                key={`schedule:${formKey}:${preset ? modelKey(preset) : ""}`}
                kind="schedule"
                models={models}
                providers={list.data.providers}
                preset={preset}
                onReview={(p) => {
                  setError(null);
                  setProposal(p);
                }}
              />
            </TabPanel>
            <TabPanel id="add">
              <PriceForm
                key={`add:${formKey}`}
                kind="add"
                models={models}
                providers={list.data.providers}
                onReview={(p) => {
                  setError(null);
                  setProposal(p);
                }}
              />
            </TabPanel>
          </Tabs>
        )}
      </section>

      {proposal && (
        <ConfirmModal
          isOpen
          onOpenChange={(open) => {
            if (!open) setProposal(null);
          }}
          title={
            existing
              ? `Schedule a new price for ${proposal.model}?`
              : `Add ${proposal.model} to the price table?`
          }
          confirmLabel={existing ? "Schedule the price" : "Add the model"}
          pending={schedule.isPending}
          onConfirm={onConfirm}
        >
          <PriceReview proposal={proposal} />
          {error &&
            (problem ? (
              <p className="notice notice-error" role="alert">
                {problem}
              </p>
            ) : (
              <ApiErrorNotice error={error} />
            ))}
        </ConfirmModal>
      )}
    </Page>
  );
}
