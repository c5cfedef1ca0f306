import type { ReactNode } from "react";
import {
  Button,
  FieldError,
  Input,
  type Key,
  Label,
  ListBox,
  ListBoxItem,
  Popover,
  Select,
  SelectValue,
  Text,
  TextArea,
  TextField,
} from "react-aria-components";
import { type Control, Controller, type FieldPath, type FieldValues } from "react-hook-form";

/** A field's error as the person reads it: the field's name, then what is allowed. */
const errorWords = (label: string, message: string | undefined) => (message ? `${label}: ${message}` : null);

/** A text field bound to react-hook-form, with its description and error read out with it. */
export function FormTextField<T extends FieldValues, O = T>({
  control,
  name,
  label,
  description,
  inputMode,
  multiline = false,
  isDisabled = false,
}: {
  control: Control<T, unknown, O>;
  name: FieldPath<T>;
  label: string;
  description?: ReactNode;
  inputMode?: "numeric" | "decimal" | "text";
  multiline?: boolean;
  isDisabled?: boolean;
}) {
  return (
    <Controller
      control={control}
      name={name}
      render={({ field, fieldState }) => (
        <TextField
          className="field"
          name={field.name}
          value={field.value ?? ""}
          onChange={field.onChange}
          onBlur={field.onBlur}
          isInvalid={Boolean(fieldState.error)}
          isDisabled={isDisabled}
          validationBehavior="aria"
        >
          <Label>{label}</Label>
          {multiline ? (
            <TextArea ref={field.ref} rows={4} />
          ) : (
            <Input ref={field.ref} inputMode={inputMode} />
          )}
          {description && (
            <Text slot="description" className="description">
              {description}
            </Text>
          )}
          <FieldError className="field-error">{errorWords(label, fieldState.error?.message)}</FieldError>
        </TextField>
      )}
    />
  );
}

export interface Choice {
  id: string;
  label: string;
  isDisabled?: boolean;
}

/** A choice from a short list (React Aria Select), bound to react-hook-form. */
export function FormSelect<T extends FieldValues, O = T>({
  control,
  name,
  label,
  choices,
  description,
}: {
  control: Control<T, unknown, O>;
  name: FieldPath<T>;
  label: string;
  choices: readonly Choice[];
  description?: ReactNode;
}) {
  return (
    <Controller
      control={control}
      name={name}
      render={({ field, fieldState }) => (
        <ChoiceSelect
          label={label}
          value={field.value}
          onChange={field.onChange}
          onBlur={field.onBlur}
          choices={choices}
          description={description}
          error={errorWords(label, fieldState.error?.message)}
        />
      )}
    />
  );
}

/** The Select itself, for forms and for filters alike. */
export function ChoiceSelect({
  label,
  value,
  onChange,
  onBlur,
  choices,
  description,
  error,
  className = "field",
}: {
  label: string;
  value: string;
  onChange: (value: string) => void;
  onBlur?: () => void;
  choices: readonly Choice[];
  description?: ReactNode;
  error?: string | null;
  className?: string;
}) {
  return (
    <Select
      className={className}
      value={value}
      onChange={(key: Key | null) => {
        if (key !== null) onChange(String(key));
      }}
      onBlur={onBlur}
      isInvalid={Boolean(error)}
      disabledKeys={choices.filter((c) => c.isDisabled).map((c) => c.id)}
      validationBehavior="aria"
    >
      <Label>{label}</Label>
      <Button className="secondary select-button">
        <SelectValue />
        <span aria-hidden="true"> ▾</span>
      </Button>
      {description && (
        <Text slot="description" className="description">
          {description}
        </Text>
      )}
      <FieldError className="field-error">{error}</FieldError>
      <Popover className="popover">
        <ListBox className="listbox" items={choices}>
          {(c) => (
            <ListBoxItem id={c.id} textValue={c.label} className="listbox-item">
              {c.label}
            </ListBoxItem>
          )}
        </ListBox>
      </Popover>
    </Select>
  );
}
