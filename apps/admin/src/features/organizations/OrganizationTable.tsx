import { Link } from "@tanstack/react-router";
import { formatCount, formatUsd } from "@wedsync/ui/format";
import type { RouterOutputs } from "@wedsync/ui/trpc";
import { tierWords } from "@wedsync/ui/words";
import {
  Cell,
  Checkbox,
  Column,
  type ColumnRenderProps,
  Row,
  type Selection,
  type SortDescriptor,
  Table,
  TableBody,
  TableHeader,
} from "react-aria-components";
import { CreditCell } from "./CreditCell";
import { supplierAppUrl } from "./supplier-links";
import { type RowThrottle, throttleWords } from "./throttle-state";
import { alertCountWords } from "./words";

export type OrganizationRow = RouterOutputs["admin"]["organizations"]["list"]["rows"][number];

function SelectionBox() {
  return (
    <Checkbox slot="selection" className="org-checkbox">
      {({ isSelected, isIndeterminate }) => (
        <span className="org-checkbox-box" aria-hidden="true">
          {isIndeterminate ? "–" : isSelected ? "✓" : ""}
        </span>
      )}
    </Checkbox>
  );
}

/** A sortable column's heading, with the direction shown (React Aria sets aria-sort). */
const sortable =
  (label: string) =>
  ({ sortDirection }: ColumnRenderProps) => (
    <span className="org-sortable">
      {label}
      <span aria-hidden="true" className="org-sort-mark">
        {sortDirection === "ascending" ? " ▲" : sortDirection === "descending" ? " ▼" : ""}
      </span>
    </span>
  );

/** The throttle state of one row: the strictest throttle reaching it, and how many more. */
export function ThrottleWords({ throttles }: { throttles: readonly RowThrottle[] }) {
  const [first, ...rest] = throttles;
  if (!first) return <span>Not throttled</span>;
  return (
    <span className="org-throttled">
      {throttleWords(first)}
      {rest.length > 0 && <span className="muted small org-block">and {rest.length} more</span>}
    </span>
  );
}

/**
 * One page of organizations: name (opens its page), tier, clients (open them in the supplier
 * app), this month's spend, credit, active alerts and throttle state. Rows are selectable for a
 * bulk change (Space, or the checkbox); headings sort (the address keeps the order).
 */
export function OrganizationTable({
  rows,
  selectedKeys,
  onSelectionChange,
  sortDescriptor,
  onSortChange,
  onOpen,
}: {
  rows: readonly OrganizationRow[];
  selectedKeys: Selection;
  onSelectionChange: (keys: Selection) => void;
  sortDescriptor: SortDescriptor;
  onSortChange: (sort: SortDescriptor) => void;
  onOpen: (organizationId: string) => void;
}) {
  return (
    // The table scrolls sideways inside this box on narrow screens (the grid itself takes focus).
    <div className="table-scroll">
      <Table
        aria-label="Organizations"
        className="data org-table"
        selectionMode="multiple"
        selectedKeys={selectedKeys}
        onSelectionChange={onSelectionChange}
        sortDescriptor={sortDescriptor}
        onSortChange={onSortChange}
      >
        <TableHeader>
          <Column className="org-select-column">
            <SelectionBox />
          </Column>
          <Column id="name" isRowHeader allowsSorting>
            {sortable("Organization")}
          </Column>
          <Column id="tier" allowsSorting>
            {sortable("Tier")}
          </Column>
          <Column id="clients" allowsSorting className="num">
            {sortable("Clients")}
          </Column>
          <Column id="monthSpend" allowsSorting className="num">
            {sortable("Spend this month")}
          </Column>
          <Column id="credit">Credit</Column>
          <Column id="alerts">Alerts (24 h)</Column>
          <Column id="throttle">Throttle</Column>
        </TableHeader>
        <TableBody items={rows}>
          {(o) => (
            <Row id={o.id} textValue={o.name} onAction={() => onOpen(o.id)}>
              <Cell>
                <SelectionBox />
              </Cell>
              <Cell textValue={o.name}>
                <Link to="/organizations/$orgId" params={{ orgId: o.id }} className="org-name-link">
                  {o.name}
                </Link>
                <span className="id">
                  {o.slug} · {o.timezone}
                </span>
              </Cell>
              <Cell>{tierWords(o.tier)}</Cell>
              <Cell className="num">
                <a
                  href={supplierAppUrl(o.id, "clients")}
                  aria-label={`${formatCount(o.clientCount)} clients of ${o.name}, in the supplier app`}
                >
                  {formatCount(o.clientCount)}
                </a>
              </Cell>
              <Cell className="num">{formatUsd(o.monthSpendUsd, "auto")}</Cell>
              <Cell>
                <CreditCell credit={o.credit} />
              </Cell>
              <Cell>{alertCountWords(o.activeAlerts)}</Cell>
              <Cell>
                <ThrottleWords throttles={o.throttles} />
              </Cell>
            </Row>
          )}
        </TableBody>
      </Table>
    </div>
  );
}
