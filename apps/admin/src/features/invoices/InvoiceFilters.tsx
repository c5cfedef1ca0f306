import { monthLabel } from "@wedsync/ui/months";
import { Button } from "react-aria-components";
import { ChoiceSelect } from "../audit/ChoiceSelect";
import { OrganizationPicker } from "../audit/OrganizationPicker";
import { INVOICE_STATUSES, type InvoiceSearch, monthsOffered, STATUS_WORDS } from "./search";

/** Month, status and organization; each change is a new address, back on the first page. */
export function InvoiceFilters({
  search,
  currentMonth,
  onChange,
}: {
  search: InvoiceSearch;
  currentMonth: string;
  onChange: (next: InvoiceSearch) => void;
}) {
  const set = (patch: Partial<InvoiceSearch>) => onChange({ ...search, ...patch, page: undefined });
  const filtered = search.month !== undefined || search.status !== undefined || search.org !== undefined;
  return (
    <search aria-label="Filter the invoices" className="toolbar invoice-filters">
      <ChoiceSelect
        label="Month"
        value={search.month ?? "any"}
        onChange={(v) => set({ month: v === "any" ? undefined : v })}
        choices={[
          { id: "any", label: "Any month" },
          ...monthsOffered(currentMonth, search.month).map((m) => ({ id: m, label: monthLabel(m) })),
        ]}
      />
      <ChoiceSelect
        label="Status"
        value={search.status ?? "any"}
        onChange={(v) => set({ status: v === "any" ? undefined : (v as InvoiceSearch["status"]) })}
        choices={[
          { id: "any", label: "Any status" },
          ...INVOICE_STATUSES.map((s) => ({ id: s, label: STATUS_WORDS[s] })),
        ]}
      />
      <OrganizationPicker organizationId={search.org} onChange={(org) => set({ org })} />
      {filtered && (
        <Button className="secondary" onPress={() => onChange({})}>
          Clear every filter
        </Button>
      )}
    </search>
  );
}
