import { featureWords } from "@wedsync/ui/words";
import { useEffect, useMemo, useState } from "react";
import { Button, FieldError, Input, Label, Text, TextField } from "react-aria-components";
import { Controller, useForm } from "react-hook-form";
import { type Limits, type LimitsValues, limitsResolver, patchOf, valuesOf } from "./limits-form";
import { ModelPicker } from "./ModelPicker";
import type { ConfigPatch, PlatformFeature, PricedModel } from "./types";

/** How a save ended, as the card that ran it reports back: the form resets only after "saved". */
export type SaveOutcome = { status: "saved"; config: PlatformFeature } | { status: "kept" };

/**
 * The inline editor of one feature's caps, rate limit and model, validated as you type by the
 * API's own schemas. It edits from a `base` (the configuration it started from): while nothing is
 * typed it follows live changes; once something is, it keeps its base, so a save sends the
 * version it was based on and a change made meanwhile comes back as a conflict, not lost.
 */
export function LimitsForm({
  feature,
  pricedModels,
  blocked = false,
  ownToggle = null,
  onSave,
}: {
  feature: PlatformFeature;
  /** Priced models (platform.models), or null while they load. */
  pricedModels: readonly PricedModel[] | null;
  /** A conflict is open above the form: saving again waits for it. */
  blocked?: boolean;
  /** The switch just changed by this person (from that version to this config): not someone else's change. */
  ownToggle?: { from: number; config: PlatformFeature } | null;
  onSave: (patch: ConfigPatch, base: PlatformFeature) => Promise<SaveOutcome>;
}) {
  const [base, setBase] = useState(feature);
  const names = useMemo(() => pricedModels?.map((m) => m.model) ?? null, [pricedModels]);
  const resolver = useMemo(() => limitsResolver(names), [names]);
  const form = useForm<LimitsValues, unknown, Limits>({
    defaultValues: valuesOf(feature),
    resolver,
    mode: "onChange",
  });
  const { control, handleSubmit, reset, formState, trigger } = form;
  const name = featureWords(feature.featureType);

  // Follow changes made elsewhere while nothing is typed here.
  useEffect(() => {
    if (!formState.isDirty && feature.version !== base.version) {
      setBase(feature);
      reset(valuesOf(feature));
    }
  }, [feature, base.version, formState.isDirty, reset]);

  useEffect(() => {
    if (ownToggle && base.version === ownToggle.from) setBase(ownToggle.config);
  }, [ownToggle, base.version]);

  // Prices arriving after typing: check the model again against them.
  useEffect(() => {
    if (names && formState.dirtyFields.model) void trigger("model");
  }, [names, formState.dirtyFields.model, trigger]);

  const submit = handleSubmit(async (limits) => {
    const patch = patchOf(base, limits);
    if (Object.keys(patch).length === 0) {
      reset(valuesOf(base));
      return;
    }
    const outcome = await onSave(patch, base);
    if (outcome.status === "saved") {
      setBase(outcome.config);
      reset(valuesOf(outcome.config));
    }
  });

  const changedElsewhere = formState.isDirty && feature.version !== base.version;
  return (
    <form className="limits-form" aria-label={`${name} limits`} noValidate onSubmit={submit}>
      <div className="form-grid">
        <NumberText
          control={control}
          name="maxRequestsPerDay"
          label="Daily request cap"
          description="Requests a day across all clients; 0 stops them."
        />
        <Controller
          control={control}
          name="maxCostPerDay"
          render={({ field, fieldState }) => (
            <TextField
              className="field"
              name={field.name}
              value={field.value}
              onChange={field.onChange}
              onBlur={field.onBlur}
              inputMode="decimal"
              isInvalid={fieldState.invalid}
              validationBehavior="aria"
            >
              <Label>Daily cost cap</Label>
              <div className="money-input">
                <span aria-hidden="true">$</span>
                <Input ref={field.ref} />
              </div>
              <Text slot="description" className="description">
                US dollars a day across all clients, such as 25.00.
              </Text>
              <FieldError className="field-error">{fieldState.error?.message}</FieldError>
            </TextField>
          )}
        />
        <NumberText
          control={control}
          name="rateLimitPerMinute"
          label="Rate limit"
          description="Requests a minute across all clients."
        />
        <Controller
          control={control}
          name="model"
          render={({ field, fieldState }) => (
            <ModelPicker
              models={pricedModels}
              value={field.value}
              name={field.name}
              inputRef={field.ref}
              onChange={field.onChange}
              onBlur={field.onBlur}
              error={fieldState.error?.message}
            />
          )}
        />
      </div>
      {changedElsewhere && (
        <p className="notice notice-warning" role="status">
          Someone else changed {name} while you were editing. When you save, you will see their change and can
          apply yours on top of it.
        </p>
      )}
      <div className="form-actions">
        <Button
          type="submit"
          className="primary"
          isDisabled={!formState.isDirty || blocked}
          isPending={formState.isSubmitting}
        >
          {formState.isSubmitting ? "Saving…" : `Save ${name} limits`}
        </Button>
        <Button
          className="secondary"
          isDisabled={!formState.isDirty || formState.isSubmitting}
          onPress={() => {
            setBase(feature);
            reset(valuesOf(feature));
          }}
        >
          Discard changes
        </Button>
      </div>
    </form>
  );
}

function NumberText({
  control,
  name,
  label,
  description,
}: {
  control: ReturnType<typeof useForm<LimitsValues, unknown, Limits>>["control"];
  name: "maxRequestsPerDay" | "rateLimitPerMinute";
  label: string;
  description: string;
}) {
  return (
    <Controller
      control={control}
      name={name}
      render={({ field, fieldState }) => (
        <TextField
          className="field"
          name={field.name}
          value={field.value}
          onChange={field.onChange}
          onBlur={field.onBlur}
          inputMode="numeric"
          isInvalid={fieldState.invalid}
          validationBehavior="aria"
        >
          <Label>{label}</Label>
          <Input ref={field.ref} />
          <Text slot="description" className="description">
            {description}
          </Text>
          <FieldError className="field-error">{fieldState.error?.message}</FieldError>
        </TextField>
      )}
    />
  );
}
