import { SUBSCRIPTION_TIERS, type SubscriptionTier } from "@wedsync/core/domain";
import { tierWords } from "@wedsync/ui/words";
import { useEffect, useRef, useState } from "react";
import { Button, Input, Label, SearchField } from "react-aria-components";
import { ChoiceSelect } from "./ChoiceSelect";

/** How long typing may pause before the list (and the address) follows it. */
export const SEARCH_DEBOUNCE_MS = 300;

export const TIER_CHOICES = [
  { id: "any", label: "Any tier" },
  ...SUBSCRIPTION_TIERS.map((t) => ({ id: t, label: tierWords(t) })),
];

/**
 * Search by name or slug (debounced) and filter by tier. Values come from the address, so Back
 * restores them.
 */
export function OrganizationFilters({
  q,
  tier,
  onChange,
  label = "Find organizations",
}: {
  q: string | undefined;
  tier: SubscriptionTier | undefined;
  onChange: (next: { q?: string | undefined; tier?: SubscriptionTier | undefined }) => void;
  label?: string;
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
      onChange({ q: words || undefined, tier });
    }, SEARCH_DEBOUNCE_MS);
    return () => clearTimeout(timer);
  }, [text, tier, onChange]);

  return (
    <search aria-label={label} className="toolbar org-filters">
      <SearchField className="field org-search" value={text} onChange={setText} onClear={() => setText("")}>
        <Label>Search by name</Label>
        <div className="org-search-input">
          <Input placeholder="e.g. Golden Hour" />
          <Button className="icon" aria-label="Clear search">
            ×
          </Button>
        </div>
      </SearchField>
      <ChoiceSelect
        label="Tier"
        value={tier ?? "any"}
        onChange={(v) =>
          onChange({
            q: committed.current || undefined,
            tier: v === "any" ? undefined : (v as SubscriptionTier),
          })
        }
        choices={TIER_CHOICES}
      />
    </search>
  );
}
