import {
  Button,
  type Key,
  Label,
  ListBox,
  ListBoxItem,
  Popover,
  Select,
  SelectValue,
} from "react-aria-components";

export interface Choice {
  id: string;
  label: string;
}

/** One choice from a short list (React Aria Select): a filter whose value lives in the address. */
export function ChoiceSelect({
  label,
  value,
  choices,
  onChange,
  className = "field",
}: {
  label: string;
  value: string;
  choices: readonly Choice[];
  onChange: (id: string) => void;
  className?: string;
}) {
  return (
    <Select
      className={className}
      selectedKey={value}
      onSelectionChange={(key: Key | null) => {
        if (key !== null) onChange(String(key));
      }}
    >
      <Label>{label}</Label>
      <Button className="secondary select-button">
        <SelectValue />
        <span aria-hidden="true"> ▾</span>
      </Button>
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
