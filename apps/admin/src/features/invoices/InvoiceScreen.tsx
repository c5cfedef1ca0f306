import { Link } from "@tanstack/react-router";
import type { InvoiceJson } from "@wedsync/core/domain";
import { ApiErrorNotice } from "@wedsync/ui/ApiErrorNotice";
import { errorCode } from "@wedsync/ui/errors";
import { InvoiceDownloads } from "@wedsync/ui/InvoiceDownloads";
import { ClientCharges, InvoiceLines } from "@wedsync/ui/InvoiceLines";
import { viewOfInvoiceJson } from "@wedsync/ui/invoice-lines";
import { periodLabel } from "@wedsync/ui/months";
import { EmptyState, Page } from "@wedsync/ui/Page";
import { Loading } from "@wedsync/ui/StatusViews";
import { trpc } from "@wedsync/ui/trpc";
import { useMemo } from "react";

const DAY = new Intl.DateTimeFormat("en-GB", { dateStyle: "long", timeZone: "UTC" });

/** One issued invoice of any organization, exactly as issued (its JSON export), with its downloads. */
export function InvoiceScreen({ organizationId, invoiceId }: { organizationId: string; invoiceId: string }) {
  const exported = trpc.billing.invoices.export.useQuery(
    { organizationId, invoiceId, format: "json" },
    { staleTime: Number.POSITIVE_INFINITY }, // issued invoices never change
  );
  const json = useMemo(
    () => (exported.data ? (JSON.parse(exported.data.body) as InvoiceJson) : null),
    [exported.data],
  );
  const back = <Link to="/invoices">Back to every invoice</Link>;

  if (exported.isPending) {
    return (
      <Page title="Invoice">
        <Loading label="Loading the invoice…" />
      </Page>
    );
  }
  if (exported.error || !json) {
    const missing = errorCode(exported.error) === "NOT_FOUND" || errorCode(exported.error) === "BAD_REQUEST";
    return (
      <Page title={missing ? "Invoice not found" : "Invoice"}>
        {missing || !exported.error ? (
          <EmptyState title="This invoice does not exist">
            <p>The link may be mistyped, or the invoice belongs to another organization. {back}</p>
          </EmptyState>
        ) : (
          <ApiErrorNotice error={exported.error} onRetry={() => void exported.refetch()} />
        )}
      </Page>
    );
  }
  const v = viewOfInvoiceJson(json);
  const period = periodLabel(v.periodStart, v.periodEnd);
  return (
    <Page
      title={`Invoice ${v.number}`}
      lead={
        <>
          <Link to="/organizations/$orgId" params={{ orgId: organizationId }}>
            {json.organizationName}
          </Link>{" "}
          · {period} · issued {DAY.format(new Date(`${v.issuedOn}T00:00:00Z`))}
        </>
      }
      actions={<InvoiceDownloads organizationId={organizationId} invoiceId={invoiceId} number={v.number} />}
    >
      <p>{back}</p>
      <InvoiceLines
        caption={`Charges for ${period}`}
        lines={v.lines}
        subtotalUsd={v.subtotalUsd}
        totalUsd={v.totalUsd}
      />
      <ClientCharges clients={v.clients} />
    </Page>
  );
}
