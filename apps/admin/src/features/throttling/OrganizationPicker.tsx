import { keepPreviousData } from "@tanstack/react-query";
import { trpc } from "@wedsync/ui/trpc";
import { tierWords } from "@wedsync/ui/words";
import { useEffect, useMemo, useState } from "react";
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

export interface PickedOrganization {
  id: string;
  name: string;
}

interface Option extends PickedOrganization {
  tier?: string;
}

/** Ask the server only once typing pauses: each keystroke would otherwise be a query. */
function useSettled(text: string, ms = 200): string {
  const [settled, setSettled] = useState(text);
  useEffect(() => {
    const timer = setTimeout(() => setSettled(text), ms);
    return () => clearTimeout(timer);
  }, [text, ms]);
  return settled;
}

/**
 * One organization, found by typing part of its name or slug: the list is the server's search
 * (admin.organizations.list), so every organization can be found however many there are.
 */
export function OrganizationPicker({
  value,
  onChange,
  onBlur,
  error,
}: {
  value: PickedOrganization | null;
  onChange: (organization: PickedOrganization | null) => void;
  onBlur?: () => void;
  error: string | undefined;
}) {
  const [text, setText] = useState(value?.name ?? "");
  const search = useSettled(text.trim());
  // Typing the chosen name again is not a new search: show the first page instead.
  const query = search && search !== value?.name ? search : undefined;
  const found = trpc.admin.organizations.list.useQuery(
    { search: query, sort: "name", direction: "asc", limit: 10, offset: 0 },
    { placeholderData: keepPreviousData },
  );
  const options = useMemo<Option[]>(() => {
    const rows: Option[] = (found.data?.rows ?? []).map((o) => ({ id: o.id, name: o.name, tier: o.tier }));
    // The chosen one stays an option, so the box keeps showing its name whatever the search.
    return value && !rows.some((o) => o.id === value.id) ? [value, ...rows] : rows;
  }, [found.data, value]);

  return (
    <ComboBox
      className="field"
      items={options}
      selectedKey={value?.id ?? null}
      onSelectionChange={(key) => {
        const picked = options.find((o) => o.id === key) ?? null;
        onChange(picked && { id: picked.id, name: picked.name });
      }}
      onInputChange={setText}
      onBlur={onBlur}
      menuTrigger="focus"
      isInvalid={error !== undefined}
      validationBehavior="aria"
      allowsEmptyCollection
    >
      <Label>Organization</Label>
      <div className="th-combo">
        <Input />
        <Button className="secondary icon" aria-label="Show organizations">
          <span aria-hidden="true">▾</span>
        </Button>
      </div>
      <Text slot="description" className="description">
        {found.isError
          ? "The organizations could not be loaded; type again to retry."
          : "Type part of its name or address (slug) to find it."}
      </Text>
      <FieldError className="field-error">{error}</FieldError>
      <Popover className="popover">
        <ListBox<Option>
          className="listbox"
          renderEmptyState={() => (
            <p className="muted small th-empty-options">
              {found.isFetching ? "Searching…" : "No organization matches; check the spelling."}
            </p>
          )}
        >
          {(o) => (
            <ListBoxItem id={o.id} textValue={o.name} className="listbox-item">
              {o.name}
              {o.tier && <span className="muted small"> · {tierWords(o.tier)}</span>}
            </ListBoxItem>
          )}
        </ListBox>
      </Popover>
    </ComboBox>
  );
}
