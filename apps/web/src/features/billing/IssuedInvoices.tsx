import { Link } from "@tanstack/react-router";
import { formatUsd } from "@wedsync/ui/format";
import { InvoiceDownloads } from "@wedsync/ui/InvoiceDownloads";
import { periodLabel } from "@wedsync/ui/months";
import { EmptyState } from "@wedsync/ui/Page";
import type { RouterOutputs } from "@wedsync/ui/trpc";

export type IssuedInvoice = RouterOutputs["billing"]["invoices"]["list"][number];

const ISSUED = new Intl.DateTimeFormat("en-US", { dateStyle: "medium" });

/** Issued invoices, newest first: each opens on its own page and downloads in three formats. */
export function IssuedInvoices({
  organizationId,
  invoices,
}: {
  organizationId: string;
  invoices: IssuedInvoice[];
}) {
  if (invoices.length === 0) {
    return (
      <EmptyState title="No invoices issued yet">
        <p>Issue one below for a finished month. Issued invoices are numbered and never change.</p>
      </EmptyState>
    );
  }
  return (
    <div className="table-scroll">
      <table className="data" data-testid="issued-invoices">
        <caption>Issued invoices, newest first</caption>
        <thead>
          <tr>
            <th scope="col">Invoice</th>
            <th scope="col">Period</th>
            <th scope="col" className="num">
              Total
            </th>
            <th scope="col">Issued</th>
            <th scope="col">Download</th>
          </tr>
        </thead>
        <tbody>
          {invoices.map((inv) => (
            <tr key={inv.id}>
              <th scope="row">
                <Link
                  to="/o/$orgId/billing/invoices/$invoiceId"
                  params={{ orgId: organizationId, invoiceId: inv.id }}
                >
                  {inv.number}
                </Link>
              </th>
              <td>{periodLabel(inv.periodStart, inv.periodEnd)}</td>
              <td className="num">{formatUsd(inv.totalUsd)}</td>
              <td>{ISSUED.format(inv.issuedAt)}</td>
              <td>
                <InvoiceDownloads organizationId={organizationId} invoiceId={inv.id} number={inv.number} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
