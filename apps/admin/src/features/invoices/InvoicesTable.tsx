import { Link } from "@tanstack/react-router";
import { formatUsd } from "@wedsync/ui/format";
import { InvoiceDownloads } from "@wedsync/ui/InvoiceDownloads";
import { periodLabel } from "@wedsync/ui/months";
import type { RouterOutputs } from "@wedsync/ui/trpc";
import { useId } from "react";

export type InvoiceRow = RouterOutputs["admin"]["invoices"]["list"]["invoices"][number];

const ISSUED = new Intl.DateTimeFormat("en-GB", { dateStyle: "medium", timeZone: "UTC" });

/** Where staff issue a finished month: the organization's billing in the supplier app (staff act as admins). */
export const supplierBillingUrl = (organizationId: string) => `/o/${organizationId}/billing`;

/**
 * Invoices of every organization: an issued one opens on its own page and downloads as CSV,
 * JSON or a printable page; a finished month not issued yet says what issuing would charge and
 * where to issue it.
 */
export function InvoicesTable({ invoices, caption }: { invoices: readonly InvoiceRow[]; caption: string }) {
  const id = useId();
  return (
    // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region must be focusable (WCAG 2.1.1)
    <section className="table-scroll" aria-labelledby={id} tabIndex={0}>
      <table className="data" data-testid="invoices">
        <caption id={id}>{caption}</caption>
        <thead>
          <tr>
            <th scope="col">Invoice</th>
            <th scope="col">Organization</th>
            <th scope="col">Period</th>
            <th scope="col" className="num">
              Total
            </th>
            <th scope="col">Status</th>
            <th scope="col">Download</th>
          </tr>
        </thead>
        <tbody>
          {invoices.map((inv) => {
            const period = periodLabel(inv.periodStart, inv.periodEnd);
            return inv.status === "issued" && inv.invoiceId && inv.number ? (
              <tr key={inv.invoiceId} data-status="issued">
                <th scope="row">
                  <Link
                    to="/invoices/$orgId/$invoiceId"
                    params={{ orgId: inv.organizationId, invoiceId: inv.invoiceId }}
                  >
                    {inv.number}
                  </Link>
                </th>
                <td>
                  <Link to="/organizations/$orgId" params={{ orgId: inv.organizationId }}>
                    {inv.organizationName}
                  </Link>
                </td>
                <td>{period}</td>
                <td className="num">{formatUsd(inv.totalUsd)}</td>
                <td>Issued {inv.issuedAt ? ISSUED.format(new Date(inv.issuedAt)) : ""}</td>
                <td>
                  <InvoiceDownloads
                    organizationId={inv.organizationId}
                    invoiceId={inv.invoiceId}
                    number={inv.number}
                  />
                </td>
              </tr>
            ) : (
              <tr key={`${inv.organizationId}-${inv.periodStart}`} data-status="not_issued">
                <th scope="row">
                  <span className="muted">Not issued yet</span>
                </th>
                <td>
                  <Link to="/organizations/$orgId" params={{ orgId: inv.organizationId }}>
                    {inv.organizationName}
                  </Link>
                </td>
                <td>{period}</td>
                <td className="num">
                  {formatUsd(inv.totalUsd)}
                  <span className="muted small block">if issued now</span>
                </td>
                <td>The month has ended; no invoice yet</td>
                <td>
                  <a
                    href={supplierBillingUrl(inv.organizationId)}
                    aria-label={`Issue ${inv.organizationName}'s invoice for ${period} in the supplier app`}
                  >
                    Issue in the supplier app
                  </a>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </section>
  );
}
