import type { DayRange } from "@wedsync/core/calendar";
import { ApiErrorNotice } from "@wedsync/ui/ApiErrorNotice";
import { formatCount } from "@wedsync/ui/format";
import { ClientCharges, InvoiceLines } from "@wedsync/ui/InvoiceLines";
import { viewOfInvoice } from "@wedsync/ui/invoice-lines";
import { Loading } from "@wedsync/ui/StatusViews";
import { trpc } from "@wedsync/ui/trpc";

/**
 * What an invoice for `period` would say now (billing.invoices.preview), lines and totals. Under
 * the ["billing"] queries, so recorded requests refresh it live.
 */
export function InvoicePreview({
  organizationId,
  period,
  caption,
  showClients = false,
}: {
  organizationId: string;
  period: DayRange;
  caption: string;
  showClients?: boolean;
}) {
  const preview = trpc.billing.invoices.preview.useQuery({ organizationId, ...period });
  if (preview.isPending) return <Loading label="Working out the invoice…" />;
  if (preview.error) return <ApiErrorNotice error={preview.error} onRetry={() => void preview.refetch()} />;
  const view = viewOfInvoice(preview.data.invoice);
  const pending = preview.data.pendingRequests;
  return (
    <div data-testid="invoice-preview">
      <InvoiceLines
        caption={caption}
        lines={view.lines}
        subtotalUsd={view.subtotalUsd}
        totalUsd={view.totalUsd}
      />
      {pending > 0 && (
        <p className="muted small">
          {formatCount(pending)} request{pending === 1 ? " is" : "s are"} still running and not counted yet.
        </p>
      )}
      {showClients && <ClientCharges clients={view.clients} />}
    </div>
  );
}
