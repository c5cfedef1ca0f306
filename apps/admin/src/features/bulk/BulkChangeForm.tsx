import { FEATURE_TYPES, type FeatureType } from "@wedsync/core/domain";
import { formatUsd } from "@wedsync/ui/format";
import { featureWords } from "@wedsync/ui/words";
import { useRef, useState } from "react";
import {
  Button,
  ComboBox,
  FieldError,
  Form,
  Input,
  Label,
  ListBox,
  ListBoxItem,
  Popover,
  Radio,
  RadioGroup,
  Text,
  TextField,
} from "react-aria-components";
import { ChoiceSelect } from "../organizations/ChoiceSelect";
import {
  type BulkChange,
  CHANGE_KINDS,
  type ChangeKind,
  type ChangeValues,
  DEFAULT_VALUES,
  needsValue,
  parseChange,
  VALUE_FIELDS,
} from "./change-form";

/** A model with its price in force (modelPrices.list). */
export interface PricedModel {
  model: string;
  inputPerMillion: string;
  outputPerMillion: string;
}

/**
 * The change to make: a feature, then switch it on or off or set one of its limits or its model.
 * The value is checked by the API's own schemas before anything is sent, the error naming the
 * field and its bounds; a valid change goes to the preview.
 */
export function BulkChangeForm({
  pricedModels,
  isDisabled = false,
  onPreview,
}: {
  /** Models with a price in force, or null while they load (the server checks the model then). */
  pricedModels: readonly PricedModel[] | null;
  /** No organization to change yet. */
  isDisabled?: boolean;
  onPreview: (change: BulkChange) => void;
}) {
  const [values, setValues] = useState<ChangeValues>(DEFAULT_VALUES);
  const [error, setError] = useState<string | null>(null);
  const valueRef = useRef<HTMLInputElement>(null);
  const set = (next: Partial<ChangeValues>) => {
    setValues((v) => ({ ...v, ...next }));
    setError(null);
  };
  const field = needsValue(values.kind) ? VALUE_FIELDS[values.kind] : null;

  return (
    <Form
      className="panel org-panel bulk-form"
      aria-labelledby="bulk-change-heading"
      validationBehavior="aria"
      onSubmit={(e) => {
        e.preventDefault();
        const parsed = parseChange(values, pricedModels?.map((m) => m.model) ?? null);
        if ("error" in parsed) {
          setError(parsed.error);
          valueRef.current?.focus();
          return;
        }
        onPreview(parsed.change);
      }}
    >
      <h2 id="bulk-change-heading">The change</h2>
      <div className="form-grid">
        <ChoiceSelect
          label="Feature"
          value={values.featureType}
          onChange={(v) => set({ featureType: v as FeatureType })}
          choices={FEATURE_TYPES.map((f) => ({ id: f, label: featureWords(f) }))}
          description="Organizations whose tier lacks it cannot switch it on; the preview names them."
        />
        <RadioGroup
          className="field bulk-radio-group"
          value={values.kind}
          onChange={(v) => set({ kind: v as ChangeKind, value: "" })}
        >
          <Label>Change</Label>
          {CHANGE_KINDS.map((k) => (
            <Radio key={k.id} value={k.id} className="bulk-radio">
              {k.label}
            </Radio>
          ))}
        </RadioGroup>
        {field && values.kind === "model" && (
          <ComboBox
            className="field"
            allowsCustomValue
            inputValue={values.value}
            onInputChange={(value) => set({ value })}
            defaultItems={pricedModels ?? []}
            isInvalid={error !== null}
            validationBehavior="aria"
          >
            <Label>{field.label}</Label>
            <div className="bulk-combo">
              <Input ref={valueRef} />
              <Button className="secondary" aria-label="Show models">
                <span aria-hidden="true">▾</span>
              </Button>
            </div>
            <Text slot="description" className="description">
              {pricedModels === null ? "Loading the models that have a price…" : field.description}
            </Text>
            <FieldError className="field-error">{error}</FieldError>
            <Popover className="popover">
              <ListBox<PricedModel> className="listbox">
                {(m) => (
                  <ListBoxItem id={m.model} textValue={m.model} className="listbox-item">
                    <span>{m.model}</span>{" "}
                    <span className="muted small">
                      {formatUsd(m.inputPerMillion, "auto")} in, {formatUsd(m.outputPerMillion, "auto")} out
                      per million tokens
                    </span>
                  </ListBoxItem>
                )}
              </ListBox>
            </Popover>
          </ComboBox>
        )}
        {field && values.kind !== "model" && (
          <TextField
            className="field"
            value={values.value}
            onChange={(value) => set({ value })}
            inputMode={field.inputMode}
            isInvalid={error !== null}
            validationBehavior="aria"
          >
            <Label>{field.label}</Label>
            {values.kind === "maxCostPerDay" ? (
              <div className="bulk-money">
                <span aria-hidden="true">$</span>
                <Input ref={valueRef} />
              </div>
            ) : (
              <Input ref={valueRef} />
            )}
            <Text slot="description" className="description">
              {field.description}
            </Text>
            <FieldError className="field-error">{error}</FieldError>
          </TextField>
        )}
      </div>
      <div className="toolbar">
        <Button type="submit" className="primary" isDisabled={isDisabled}>
          Preview the change…
        </Button>
      </div>
    </Form>
  );
}
