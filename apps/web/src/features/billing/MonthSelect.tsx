import { monthLabel } from "@wedsync/ui/months";
import {
  Button,
  type Key,
  Label,
  ListBox,
  ListBoxItem,
  Popover,
  Select,
  SelectValue,
  Text,
} from "react-aria-components";

/** A month chosen from a given list ("YYYY-MM" keys, shown as "March 2026"). */
export function MonthSelect({
  label,
  months,
  selected,
  onChange,
  description,
}: {
  label: string;
  months: readonly string[];
  selected: string | null;
  onChange: (month: string) => void;
  description?: string;
}) {
  return (
    <Select
      className="field month-select"
      selectedKey={selected}
      onSelectionChange={(key: Key | null) => {
        if (typeof key === "string") onChange(key);
      }}
      isDisabled={months.length === 0}
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
      <Popover className="popover">
        <ListBox className="listbox" items={months.map((m) => ({ id: m, name: monthLabel(m) }))}>
          {(item) => (
            <ListBoxItem id={item.id} textValue={item.name} className="listbox-item">
              {item.name}
            </ListBoxItem>
          )}
        </ListBox>
      </Popover>
    </Select>
  );
}
