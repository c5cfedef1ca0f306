import { CLIENT_STATUSES, type ClientStatus } from "@wedsync/core/domain";
import { useEffect, useRef, useState } from "react";
import { Button, Input, Label, SearchField } from "react-aria-components";
import { ChoiceSelect } from "./fields";
import { STATUS_WORDS } from "./words";

/** How long typing may pause before the list follows it. */
export const SEARCH_DEBOUNCE_MS = 300;

/**
 * Search by couple (debounced: the list, and the address, follow a pause in typing) and filter
 * by status. Values come from the address, so Back restores them.
 */
export function ClientFilters({
  q,
  status,
  onChange,
}: {
  q: string | undefined;
  status: ClientStatus | undefined;
  onChange: (next: { q?: string | undefined; status?: ClientStatus | undefined }) => void;
}) {
  const [text, setText] = useState(q ?? "");
  const committed = useRef(q ?? "");
  // The address changed by itself (Back, a link): show what it says.
  useEffect(() => {
    if ((q ?? "") !== committed.current) {
      committed.current = q ?? "";
      setText(q ?? "");
    }
  }, [q]);
  useEffect(() => {
    const words = text.trim();
    if (words === committed.current) return;
    const timer = setTimeout(() => {
      committed.current = words;
      onChange({ q: words || undefined, status });
    }, SEARCH_DEBOUNCE_MS);
    return () => clearTimeout(timer);
  }, [text, status, onChange]);

  return (
    <search aria-label="Find clients" className="toolbar cl-filters">
      <SearchField
        className="field cl-search-field"
        value={text}
        onChange={setText}
        onClear={() => setText("")}
      >
        <Label>Search couples</Label>
        <div className="cl-search-input">
          <Input placeholder="e.g. Chloé" />
          <Button className="icon" aria-label="Clear search">
            ×
          </Button>
        </div>
      </SearchField>
      <ChoiceSelect
        label="Status"
        className="field cl-status-filter"
        value={status ?? "any"}
        onChange={(v) =>
          onChange({
            q: committed.current || undefined,
            status: v === "any" ? undefined : (v as ClientStatus),
          })
        }
        choices={[
          { id: "any", label: "Any status" },
          ...CLIENT_STATUSES.map((s) => ({ id: s, label: STATUS_WORDS[s] })),
        ]}
      />
    </search>
  );
}
