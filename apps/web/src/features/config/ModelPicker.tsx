import { formatUsd } from "@wedsync/ui/format";
import type { Ref } from "react";
import {
  Button,
  ComboBox,
  FieldError,
  Input,
  Label,
  ListBox,
  ListBoxItem,
  Popover,
  Text,
} from "react-aria-components";
import type { PricedModel } from "./types";

const perMillion = (amount: string) => formatUsd(amount, "auto");

/**
 * The model, chosen from the priced ones (platform.models). Typing a name is allowed so the
 * refusal of an unpriced one can be explained, rather than the name silently not matching.
 */
export function ModelPicker({
  models,
  value,
  name,
  inputRef,
  onChange,
  onBlur,
  error,
}: {
  models: readonly PricedModel[] | null;
  value: string;
  name: string;
  inputRef: Ref<HTMLInputElement>;
  onChange: (value: string) => void;
  onBlur: () => void;
  error: string | undefined;
}) {
  return (
    <ComboBox
      className="field model-picker"
      name={name}
      allowsCustomValue
      inputValue={value}
      onInputChange={onChange}
      onBlur={onBlur}
      defaultItems={models ?? []}
      isInvalid={error !== undefined}
      validationBehavior="aria"
    >
      <Label>Model</Label>
      <div className="combo">
        <Input ref={inputRef} />
        <Button className="secondary combo-button" aria-label="Show models">
          <span aria-hidden="true">▾</span>
        </Button>
      </div>
      <Text slot="description" className="description">
        {models === null
          ? "Loading the models that have a price…"
          : models.length === 0
            ? "No model has a price yet, so none can be chosen: ask WedSync support to add prices."
            : "Only models with a price can be chosen, so every request can be billed."}
      </Text>
      <FieldError className="field-error">{error}</FieldError>
      <Popover className="popover">
        <ListBox<PricedModel> className="listbox">
          {(m) => (
            <ListBoxItem id={m.model} textValue={m.model} className="listbox-item">
              <span>{m.model}</span>{" "}
              <span className="muted small">
                {perMillion(m.inputPerMillion)} in, {perMillion(m.outputPerMillion)} out per million tokens
              </span>
            </ListBoxItem>
          )}
        </ListBox>
      </Popover>
    </ComboBox>
  );
}
