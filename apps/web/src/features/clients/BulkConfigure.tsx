import { zodResolver } from "@hookform/resolvers/zod";
import type { FeatureType } from "@wedsync/core/domain";
import { ConfirmModal } from "@wedsync/ui/ConfirmDialog";
import { notify } from "@wedsync/ui/Notifications";
import { featureWords } from "@wedsync/ui/words";
import { useState } from "react";
import { Button, FieldError, Form, Label, Radio, RadioGroup } from "react-aria-components";
import { Controller, type Resolver, useForm } from "react-hook-form";
import { BulkConfirmation, type BulkProblem } from "./BulkConfirmation";
import { type BulkChange, type BulkErrorLike, describeBulkError, type PlannedClient, planBulk } from "./bulk";
import { ChoiceSelect, FormTextField } from "./fields";
import { readableIssue } from "./formIssues";
import { type BulkFormValues, bulkFormSchema } from "./overrideSchema";
import type { ClientRow, PlatformFeature } from "./types";
import { fieldValue } from "./words";

export type BulkTargetRow = Pick<ClientRow, "id" | "coupleNames" | "features">;
export type ApplyBulk = (
  featureType: FeatureType,
  changes: ReadonlyArray<Pick<PlannedClient, "clientId" | "expectedVersion" | "overrides">>,
) => Promise<unknown>;

const KINDS: ReadonlyArray<{ id: BulkFormValues["kind"]; label: string }> = [
  { id: "enable", label: "Switch on" },
  { id: "disable", label: "Switch off" },
  { id: "caps", label: "Set daily caps" },
  { id: "reset", label: "Reset to inherited (the organization's settings)" },
];

/**
 * Bulk configuration of the chosen clients: a feature and a change, checked against the
 * platform's limits in the form; then a confirmation listing every client and every value that
 * changes; then one all-or-nothing request. Refusals are named by client.
 */
export function BulkConfigure({
  targets,
  platform,
  apply,
  onApplied,
  onRefresh,
  onCancel,
}: {
  targets: readonly BulkTargetRow[];
  platform: readonly PlatformFeature[];
  apply: ApplyBulk;
  onApplied: () => void;
  onRefresh: () => void;
  onCancel: () => void;
}) {
  const available = platform.filter((p) => p.availableOnTier);
  const first = available[0]?.featureType ?? "field_extraction";
  const limitsOf = (f: FeatureType) => platform.find((p) => p.featureType === f)!;
  // The chosen feature decides the limits the caps are checked against.
  const resolver: Resolver<BulkFormValues, unknown, BulkChange> = (values, context, options) =>
    zodResolver(bulkFormSchema(limitsOf(values.featureType)), { error: readableIssue })(
      values,
      context,
      options,
    );
  const form = useForm<BulkFormValues, unknown, BulkChange>({
    resolver,
    defaultValues: {
      featureType: first,
      kind: "disable",
      maxRequestsPerDay: "",
      maxCostPerDay: "",
      rateLimitPerMinute: "",
    },
  });
  const featureType = form.watch("featureType");
  const kind = form.watch("kind");
  const limits = limitsOf(featureType);
  const feature = featureWords(featureType);

  const [review, setReview] = useState<{ featureType: FeatureType; change: BulkChange } | null>(null);
  const [problem, setProblem] = useState<BulkProblem | null>(null);
  const [pending, setPending] = useState(false);

  // Derived from the latest data while the dialog is open: a refresh shows the current versions.
  const plan = review
    ? planBulk(
        targets.flatMap((t) => {
          const f = t.features.find((x) => x.featureType === review.featureType);
          return f ? [{ id: t.id, coupleNames: t.coupleNames, feature: f }] : [];
        }),
        limitsOf(review.featureType),
        review.change,
      )
    : [];
  const toSend = plan.filter((p) => p.changes.length > 0);

  const onSubmit = form.handleSubmit((change) => {
    setProblem(null);
    setReview({ featureType, change });
  });

  async function confirm() {
    if (!review) return;
    const reviewed = featureWords(review.featureType);
    if (toSend.length === 0) {
      notify({
        title: "Nothing changed",
        description: `These clients already had that ${reviewed} setting.`,
      });
      return;
    }
    setPending(true);
    try {
      await apply(review.featureType, toSend);
      notify({
        title: `${reviewed} changed for ${toSend.length} ${toSend.length === 1 ? "client" : "clients"}`,
        description: toSend.map((p) => p.name).join(", "),
        tone: "success",
      });
      setReview(null);
      onApplied();
    } catch (err) {
      const described = describeBulkError(err as BulkErrorLike, toSend);
      setProblem({ ...described, canRefresh: (err as BulkErrorLike).data?.code === "CONFLICT" });
      throw err;
    } finally {
      setPending(false);
    }
  }

  const capHint = (field: "maxRequestsPerDay" | "maxCostPerDay" | "rateLimitPerMinute") =>
    `Platform limit ${fieldValue(field, limits[field])}. Leave empty to keep each client's.`;

  return (
    <section className="panel cl-bulk-panel cl-section" aria-labelledby="bulk-heading">
      <h2 id="bulk-heading">
        Configure {targets.length} {targets.length === 1 ? "client" : "clients"}
      </h2>
      <Form onSubmit={onSubmit} aria-labelledby="bulk-heading">
        <div className="form-grid">
          <Controller
            control={form.control}
            name="featureType"
            render={({ field }) => (
              <ChoiceSelect
                label="Feature"
                value={field.value}
                onChange={(v) => {
                  field.onChange(v);
                  void form.trigger();
                }}
                choices={platform.map((p) => ({
                  id: p.featureType,
                  label: p.availableOnTier
                    ? featureWords(p.featureType)
                    : `${featureWords(p.featureType)} (locked)`,
                  isDisabled: !p.availableOnTier,
                }))}
              />
            )}
          />
          <Controller
            control={form.control}
            name="kind"
            render={({ field, fieldState }) => (
              <RadioGroup
                className="field cl-radio-group"
                value={field.value}
                onChange={field.onChange}
                isInvalid={Boolean(fieldState.error)}
                validationBehavior="aria"
              >
                <Label>Change</Label>
                {KINDS.map((k) => (
                  <Radio key={k.id} value={k.id} className="cl-radio">
                    {k.label}
                  </Radio>
                ))}
                <FieldError className="field-error">
                  {fieldState.error && `Change: ${fieldState.error.message}`}
                </FieldError>
              </RadioGroup>
            )}
          />
        </div>
        {kind === "caps" && (
          <div className="form-grid">
            <FormTextField
              control={form.control}
              name="maxRequestsPerDay"
              label="Requests a day"
              inputMode="numeric"
              description={capHint("maxRequestsPerDay")}
            />
            <FormTextField
              control={form.control}
              name="maxCostPerDay"
              label="Spend a day"
              inputMode="decimal"
              description={capHint("maxCostPerDay")}
            />
            <FormTextField
              control={form.control}
              name="rateLimitPerMinute"
              label="Requests a minute"
              inputMode="numeric"
              description={capHint("rateLimitPerMinute")}
            />
          </div>
        )}
        <div className="toolbar">
          <Button type="submit" className="primary">
            Review changes…
          </Button>
          <Button className="secondary" onPress={onCancel}>
            Cancel
          </Button>
        </div>
      </Form>
      <ConfirmModal
        isOpen={review !== null}
        onOpenChange={(open) => {
          if (!open) setReview(null);
        }}
        title={`Change ${review ? featureWords(review.featureType) : feature} for ${plan.length} ${plan.length === 1 ? "client" : "clients"}?`}
        confirmLabel={
          toSend.length === 0
            ? "Close"
            : `Apply to ${toSend.length} ${toSend.length === 1 ? "client" : "clients"}`
        }
        pending={pending}
        onConfirm={confirm}
      >
        <BulkConfirmation
          feature={review ? featureWords(review.featureType) : feature}
          plan={plan}
          problem={problem}
          onRefresh={() => {
            setProblem(null);
            onRefresh();
          }}
        />
      </ConfirmModal>
    </section>
  );
}
