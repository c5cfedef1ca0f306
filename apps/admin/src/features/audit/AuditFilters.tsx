import { AUDIT_ENTITY_KINDS, FEATURE_TYPES } from "@wedsync/core/domain";
import { DateRangeField } from "@wedsync/ui/DateRangeField";
import { featureWords } from "@wedsync/ui/words";
import { useEffect, useRef, useState } from "react";
import { Button, Input, Label, SearchField, Text } from "react-aria-components";
import { ChoiceSelect } from "./ChoiceSelect";
import { OrganizationPicker } from "./OrganizationPicker";
import { type AuditSearch, daysProblem, hasFilters } from "./search";
import { KIND_WORDS } from "./words";

/** How long typing may pause before the list (and the address) follows it. */
export const ACTOR_DEBOUNCE_MS = 400;

/**
 * The audit's filters: organization, who, feature, kind of change and days. Each change is a
 * new address (replacing the filters, never the screen), so a link shows the same entries and
 * Back returns to the previous filters.
 */
export function AuditFilters({
  search,
  timeZone,
  onChange,
}: {
  search: AuditSearch;
  timeZone: string;
  onChange: (next: AuditSearch) => void;
}) {
  const set = (patch: Partial<AuditSearch>) => onChange({ ...search, ...patch });
  return (
    <search aria-label="Filter the changes" className="audit-filters">
      <div className="toolbar audit-toolbar">
        <OrganizationPicker organizationId={search.org} onChange={(org) => set({ org })} />
        <ActorField actor={search.actor} onChange={(actor) => set({ actor })} />
        <ChoiceSelect
          label="Feature"
          value={search.feature ?? "any"}
          onChange={(v) => set({ feature: v === "any" ? undefined : (v as AuditSearch["feature"]) })}
          choices={[
            { id: "any", label: "Any feature" },
            ...FEATURE_TYPES.map((f) => ({ id: f, label: featureWords(f) })),
          ]}
        />
        <ChoiceSelect
          label="Kind of change"
          value={search.kind ?? "any"}
          onChange={(v) => set({ kind: v === "any" ? undefined : (v as AuditSearch["kind"]) })}
          choices={[
            { id: "any", label: "Any change" },
            ...AUDIT_ENTITY_KINDS.map((k) => ({ id: k, label: KIND_WORDS[k] })),
          ]}
        />
        <DateRangeField
          key={`${search.from ?? ""}/${search.to ?? ""}`}
          label="Dates"
          value={search.from && search.to ? { from: search.from, to: search.to } : null}
          problemOf={daysProblem}
          onChange={(r) => set({ from: r?.from, to: r?.to })}
          description={`Days in ${timeZone}, both included.`}
          clearable
        />
      </div>
      {hasFilters(search) && (
        <Button className="secondary" onPress={() => onChange({})}>
          Clear every filter
        </Button>
      )}
    </search>
  );
}

/** Part of a person's name or email, or of an API key's name; follows a pause in typing. */
function ActorField({
  actor,
  onChange,
}: {
  actor: string | undefined;
  onChange: (actor: string | undefined) => void;
}) {
  const [text, setText] = useState(actor ?? "");
  const committed = useRef(actor ?? "");
  // The address changed by itself (Back, a link, "Clear"): show what it says.
  useEffect(() => {
    if ((actor ?? "") !== committed.current) {
      committed.current = actor ?? "";
      setText(actor ?? "");
    }
  }, [actor]);
  useEffect(() => {
    const words = text.trim().slice(0, 200);
    if (words === committed.current) return;
    const timer = setTimeout(() => {
      committed.current = words;
      onChange(words || undefined);
    }, ACTOR_DEBOUNCE_MS);
    return () => clearTimeout(timer);
  }, [text, onChange]);
  return (
    <SearchField className="field actor-field" value={text} onChange={setText} onClear={() => setText("")}>
      <Label>Who</Label>
      <div className="search-input">
        <Input placeholder="Name, email or key" />
        <Button className="icon" aria-label="Clear who">
          ×
        </Button>
      </div>
      <Text slot="description" className="description">
        Part of a person's name or email, or of an API key's name.
      </Text>
    </SearchField>
  );
}
