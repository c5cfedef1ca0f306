import type { ReactNode } from "react";
import {
  Button,
  FieldError,
  type Key,
  Label,
  ListBox,
  ListBoxItem,
  Popover,
  Select,
  SelectValue,
  Text,
} from "react-aria-components";

export interface Choice {
  id: string;
  label: string;
  isDisabled?: boolean;
}

/** A choice from a short list (React Aria Select), for filters and forms alike. */
export function ChoiceSelect({
  label,
  value,
  onChange,
  choices,
  description,
  error,
  className = "field",
}: {
  label: string;
  value: string;
  onChange: (value: string) => void;
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
