import { now as zonedNow } from "@internationalized/date";
import { useMemo } from "react";
import {
  Button,
  FieldError,
  Input,
  Label,
  ListBox,
  ListBoxItem,
  Popover,
  Select,
  SelectValue,
  Text,
  TextField,
} from "react-aria-components";
import { type Control, Controller, useForm } from "react-hook-form";
import { DateTimeField } from "../../components/DateTimeField";
import { localTimeZone } from "../../lib/when";
import {
  earliestMinute,
  PRICE_FIELDS,
  PRICE_LABELS,
  type PriceFigure,
  type PriceProposal,
  type PriceValues,
  priceResolver,
} from "./price-form";
import { type ModelEntry, modelKey, perMillion, priceInForce } from "./words";

export type PriceFormKind = "schedule" | "add";

/** Midnight at the start of tomorrow, in the staff member's zone: where a price change usually starts. */
function tomorrowMidnight() {
  return zonedNow(localTimeZone()).add({ days: 1 }).set({ hour: 0, minute: 0, second: 0, millisecond: 0 });
}

function defaults(kind: PriceFormKind, entry: ModelEntry | null): PriceValues {
  const base = kind === "schedule" && entry ? priceInForce(entry) : null;
  return {
    provider: kind === "schedule" ? (entry?.provider ?? "") : "",
    model: kind === "schedule" ? (entry?.model ?? "") : "",
    inputPerMillion: base ? trimZeros(base.inputPerMillion) : "",
    cachedInputPerMillion: base ? trimZeros(base.cachedInputPerMillion) : "",
    outputPerMillion: base ? trimZeros(base.outputPerMillion) : "",
    effectiveFrom: tomorrowMidnight(),
  };
}

/** "2.500000" → "2.50": what a person would type. */
function trimZeros(amount: string): string {
  return amount.replace(/(\.\d\d\d*?)0+$/, "$1");
}

/**
 * Add a model to the price table, or schedule a new price for one, from a start that is not in
 * the past. Checked by the API's own schemas as staff type; a valid form goes to `onReview`
 * (the confirmation with the example request's cost), never straight to the server.
 */
export function PriceForm({
  kind,
  models,
  providers,
  preset = null,
  now = () => new Date(),
  onReview,
}: {
  kind: PriceFormKind;
  models: readonly ModelEntry[];
  providers: readonly string[];
  /** The model to reprice, chosen in the table. */
  preset?: ModelEntry | null;
  now?: () => Date;
  onReview: (proposal: PriceProposal) => void;
}) {
  const resolver = useMemo(() => priceResolver(now), [now]);
  const { control, handleSubmit, watch, getValues, reset } = useForm<PriceValues, unknown, PriceProposal>({
    defaultValues: defaults(kind, preset),
    resolver,
    mode: "onTouched",
  });
  const [provider, model] = watch(["provider", "model"]);
  const chosen = models.find((m) => m.provider === provider && m.model === model) ?? null;
  const current = chosen && priceInForce(chosen);
  const label = kind === "schedule" ? "Schedule a new price" : "Add a model";

  return (
    <form className="pr-form" aria-label={label} noValidate onSubmit={handleSubmit(onReview)}>
      {kind === "schedule" ? (
        <Controller
          control={control}
          name="model"
          render={({ field, fieldState }) => (
            <Select
              className="field"
              selectedKey={chosen ? modelKey(chosen) : null}
              onSelectionChange={(key) => {
                const entry = models.find((m) => modelKey(m) === key);
                if (!entry) return;
                // A new model to reprice starts from its own price.
                reset({ ...defaults("schedule", entry), effectiveFrom: getValues("effectiveFrom") });
              }}
              onBlur={field.onBlur}
              isInvalid={fieldState.invalid}
              validationBehavior="aria"
              placeholder="Choose a model"
            >
              <Label>Model</Label>
              <Button className="secondary select-button">
                <SelectValue />
                <span aria-hidden="true"> ▾</span>
              </Button>
              <Text slot="description" className="description">
                {current
                  ? `In force now: ${perMillion(current.inputPerMillion)} input, ${perMillion(current.cachedInputPerMillion)} cached input, ${perMillion(current.outputPerMillion)} output per million tokens.`
                  : "The model whose price changes."}
              </Text>
              <FieldError className="field-error">
                {fieldState.error && "Model: choose the model whose price changes."}
              </FieldError>
              <Popover className="popover">
                <ListBox className="listbox" items={models.map((m) => ({ id: modelKey(m), entry: m }))}>
                  {({ id, entry }) => (
                    <ListBoxItem
                      id={id}
                      textValue={`${entry.model} (${entry.provider})`}
                      className="listbox-item"
                    >
                      {entry.model} <span className="muted small">({entry.provider})</span>
                    </ListBoxItem>
                  )}
                </ListBox>
              </Popover>
            </Select>
          )}
        />
      ) : (
        <div className="form-grid">
          <NameField
            control={control}
            name="provider"
            label="Provider"
            description={
              providers.length > 0
                ? `As the provider chain names it; this server sends requests to ${providers.join(", ")}.`
                : "As the provider chain names it, such as openai."
            }
          />
          <NameField
            control={control}
            name="model"
            label="Model"
            description={
              chosen
                ? `${chosen.model} is already in the table: this schedules a new price for it.`
                : "As the provider names it, such as gpt-4o-mini."
            }
          />
        </div>
      )}
      <fieldset className="pr-fieldset">
        <legend>Price per million tokens, in US dollars</legend>
        <div className="pr-prices">
          {PRICE_FIELDS.map((f) => (
            <PriceText key={f} control={control} name={f} />
          ))}
        </div>
      </fieldset>
      <Controller
        control={control}
        name="effectiveFrom"
        render={({ field, fieldState }) => (
          <DateTimeField
            label="Starts"
            description="Your time zone. Not in the past: requests already charged keep their price."
            name={field.name}
            value={field.value}
            onChange={field.onChange}
            onBlur={field.onBlur}
            error={fieldState.error?.message}
            notBefore={earliestMinute(now())}
          />
        )}
      />
      <div className="th-actions">
        <Button type="submit" className="primary">
          Review the price
        </Button>
      </div>
    </form>
  );
}

function NameField({
  control,
  name,
  label,
  description,
}: {
  control: Control<PriceValues, unknown, PriceProposal>;
  name: "provider" | "model";
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
          isInvalid={fieldState.invalid}
          validationBehavior="aria"
          autoComplete="off"
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

function PriceText({
  control,
  name,
}: {
  control: Control<PriceValues, unknown, PriceProposal>;
  name: PriceFigure;
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
          inputMode="decimal"
          isInvalid={fieldState.invalid}
          validationBehavior="aria"
        >
          <Label>{PRICE_LABELS[name]}</Label>
          <div className="th-combo">
            <span aria-hidden="true">$</span>
            <Input ref={field.ref} />
          </div>
          <FieldError className="field-error">{fieldState.error?.message}</FieldError>
        </TextField>
      )}
    />
  );
}
