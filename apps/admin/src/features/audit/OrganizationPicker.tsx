import { keepPreviousData } from "@tanstack/react-query";
import { trpc } from "@wedsync/ui/trpc";
import { tierWords } from "@wedsync/ui/words";
import { useDeferredValue, useEffect, useState } from "react";
import {
  Button,
  ComboBox,
  Input,
  type Key,
  Label,
  ListBox,
  ListBoxItem,
  Popover,
  Text,
} from "react-aria-components";

/** Organizations offered at once: the closest matches to what is typed, by name. */
export const PICKER_SIZE = 20;

/**
 * Choose one organization by typing part of its name or slug (React Aria ComboBox over
 * admin.organizations.list, searched by the server), or none: clearing the text removes the
 * choice. The chosen one's name comes from platform.config.get (light, and cached for the other
 * screens that read the organization's settings), so an address with only its id still shows it.
 */
export function OrganizationPicker({
  organizationId,
  onChange,
  label = "Organization",
  description = "Type part of a name; leave empty for every organization.",
}: {
  organizationId: string | undefined;
  onChange: (organizationId: string | undefined) => void;
  label?: string;
  description?: string;
}) {
  const chosen = trpc.platform.config.get.useQuery(
    { organizationId: organizationId ?? "" },
    { enabled: organizationId !== undefined },
  );
  const chosenName = organizationId ? chosen.data?.organization.name : undefined;
  const [text, setText] = useState(chosenName ?? "");
  // The address chose (or dropped) an organization by itself: show its name.
  useEffect(() => {
    setText(chosenName ?? "");
  }, [chosenName]);
  const typed = useDeferredValue(text.trim());
  const search = typed && typed !== chosenName ? typed.slice(0, 100) : undefined;
  const list = trpc.admin.organizations.list.useQuery(
    { search, sort: "name", direction: "asc", limit: PICKER_SIZE, offset: 0 },
    { placeholderData: keepPreviousData },
  );
  const items = list.data?.rows ?? [];

  return (
    <ComboBox
      className="field org-picker"
      items={items}
      inputValue={text}
      onInputChange={(value) => {
        setText(value);
        if (value.trim() === "" && organizationId !== undefined) onChange(undefined);
      }}
      selectedKey={organizationId ?? null}
      onSelectionChange={(key: Key | null) => {
        if (key === null) return;
        const id = String(key);
        setText(items.find((o) => o.id === id)?.name ?? text);
        if (id !== organizationId) onChange(id);
      }}
      menuTrigger="focus"
      allowsEmptyCollection
    >
      <Label>{label}</Label>
      <div className="org-picker-input">
        <Input placeholder="Every organization" />
        <Button className="secondary icon" aria-label="Show organizations">
          <span aria-hidden="true">▾</span>
        </Button>
      </div>
      <Text slot="description" className="description">
        {description}
      </Text>
      <Popover className="popover">
        <ListBox
          className="listbox"
          renderEmptyState={() => (
            <p className="listbox-empty muted">
              {list.isFetching ? "Searching…" : `No organization matches “${typed}”.`}
            </p>
          )}
        >
          {(o: (typeof items)[number]) => (
            <ListBoxItem id={o.id} textValue={o.name} className="listbox-item">
              {o.name} <span className="muted small">· {tierWords(o.tier)}</span>
            </ListBoxItem>
          )}
        </ListBox>
      </Popover>
    </ComboBox>
  );
}
