import { Link } from "@tanstack/react-router";
import { formatCount, formatUsd } from "@wedsync/ui/format";
import { featureWords } from "@wedsync/ui/words";
import {
  Cell,
  Checkbox,
  Column,
  Row,
  type Selection,
  Table,
  TableBody,
  TableHeader,
} from "react-aria-components";
import { FeatureSummary } from "./FeatureSummary";
import type { ClientRow, PlatformFeature } from "./types";
import { STATUS_WORDS, weddingDateWords } from "./words";

function SelectionBox() {
  return (
    <Checkbox slot="selection" className="cl-checkbox">
      {({ isSelected, isIndeterminate }) => (
        <span className="cl-checkbox-box" aria-hidden="true">
          {isIndeterminate ? "–" : isSelected ? "✓" : ""}
        </span>
      )}
    </Checkbox>
  );
}

/** This month's completed requests and their cost, and the refused ones when there were any. */
export function UsageWords({ usage }: { usage: ClientRow["usageThisMonth"] }) {
  return (
    <>
      <span className="cl-nowrap">
        {formatCount(usage.requests)} {usage.requests === 1 ? "request" : "requests"}
      </span>{" "}
      · <span className="cl-nowrap">{formatUsd(usage.costUsd, "auto")}</span>
      {usage.rejected > 0 && (
        <span className="muted small cl-block">{formatCount(usage.rejected)} refused</span>
      )}
    </>
  );
}

/**
 * The clients of one page: couple, wedding, each feature's effective setting (inherited or
 * override, in words) and this month's usage. Rows are selectable for bulk configuration (Space,
 * or the checkbox); Enter or the couple's name opens the client.
 */
export function ClientsTable({
  orgId,
  rows,
  platform,
  selectedKeys,
  onSelectionChange,
  onOpen,
}: {
  orgId: string;
  rows: readonly ClientRow[];
  platform: readonly PlatformFeature[];
  selectedKeys: Selection;
  onSelectionChange: (keys: Selection) => void;
  onOpen: (clientId: string) => void;
}) {
  return (
    <div className="table-scroll">
      <Table
        aria-label="Clients"
        className="data cl-table"
        selectionMode="multiple"
        selectedKeys={selectedKeys}
        onSelectionChange={onSelectionChange}
      >
        <TableHeader>
          <Column className="cl-select-column">
            <SelectionBox />
          </Column>
          <Column isRowHeader>Couple</Column>
          <Column>Wedding</Column>
          {platform.map((p) => (
            <Column key={p.featureType}>{featureWords(p.featureType)}</Column>
          ))}
          <Column>This month</Column>
        </TableHeader>
        <TableBody items={rows}>
          {(client) => (
            <Row id={client.id} onAction={() => onOpen(client.id)}>
              <Cell>
                <SelectionBox />
              </Cell>
              <Cell>
                <Link
                  to="/o/$orgId/clients/$clientId"
                  params={{ orgId, clientId: client.id }}
                  className="cl-client-link"
                >
                  {client.coupleNames}
                </Link>
              </Cell>
              <Cell>
                <span className="cl-nowrap">{weddingDateWords(client.weddingDate)}</span>
                <span className="muted small cl-block">
                  {client.venue ?? "No venue yet"} · {STATUS_WORDS[client.status]}
                </span>
              </Cell>
              {platform.map((p) => {
                const feature = client.features.find((f) => f.featureType === p.featureType);
                return (
                  <Cell key={p.featureType}>
                    {feature ? (
                      <FeatureSummary
                        effective={feature.effective}
                        platform={p}
                        lockedTier={p.availableOnTier ? null : p.requiredTier}
                      />
                    ) : (
                      <span className="muted">Not set up</span>
                    )}
                  </Cell>
                );
              })}
              <Cell>
                <UsageWords usage={client.usageThisMonth} />
              </Cell>
            </Row>
          )}
        </TableBody>
      </Table>
    </div>
  );
}
