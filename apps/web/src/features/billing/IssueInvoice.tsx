import { ApiErrorNotice } from "@wedsync/ui/ApiErrorNotice";
import { ConfirmModal } from "@wedsync/ui/ConfirmDialog";
import { formatUsd } from "@wedsync/ui/format";
import { monthLabel, monthPeriod } from "@wedsync/ui/months";
import { notify } from "@wedsync/ui/Notifications";
import { EmptyState } from "@wedsync/ui/Page";
import { trpc } from "@wedsync/ui/trpc";
import { useMemo, useRef, useState } from "react";
import { Button } from "react-aria-components";
import { InvoicePreview } from "./InvoicePreview";
import type { IssuedInvoice } from "./IssuedInvoices";
import { MonthSelect } from "./MonthSelect";
import { closedUnissuedMonths } from "./months";

/**
 * Issue the invoice for a finished month: the picker offers only months that have ended in the
 * organization's timezone and are not invoiced yet; the confirmation shows the lines and total
 * that will be fixed for good.
 */
export function IssueInvoice({
  organizationId,
  timeZone,
  invoices,
}: {
  organizationId: string;
  timeZone: string;
  invoices: IssuedInvoice[];
}) {
  const utils = trpc.useUtils();
  const months = useMemo(() => closedUnissuedMonths(new Date(), timeZone, invoices), [timeZone, invoices]);
  const [picked, setPicked] = useState<string | null>(null);
  const month = picked && months.includes(picked) ? picked : (months[0] ?? null);
  const [open, setOpen] = useState(false);
  const issue = trpc.billing.invoices.issue.useMutation();
  const inFlight = useRef<Promise<void> | null>(null);

  if (!month) {
    return (
      <EmptyState title="Nothing to invoice">
        <p>
          Every finished month of the last year already has an invoice. The current month can be invoiced once
          it ends.
        </p>
      </EmptyState>
    );
  }
  const label = monthLabel(month);
  return (
    <div className="toolbar">
      <MonthSelect
        label="Month to invoice"
        months={months}
        selected={month}
        onChange={setPicked}
        description="Finished months without an invoice"
      />
      <Button
        className="primary"
        onPress={() => {
          issue.reset();
          setOpen(true);
        }}
      >
        Issue invoice for {label}…
      </Button>
      <ConfirmModal
        isOpen={open}
        onOpenChange={setOpen}
        title={`Issue the invoice for ${label}?`}
        confirmLabel="Issue invoice"
        onConfirm={() => {
          // A second press while the first is on its way waits for the same invoice.
          inFlight.current ??= issue
            .mutateAsync({ organizationId, ...monthPeriod(month) })
            .then(async (invoice) => {
              await utils.billing.invalidate();
              notify({
                title: `Invoice ${invoice.number} issued`,
                description: `${label}: ${formatUsd(invoice.totalUsd)}. Download it from the list of issued invoices.`,
                tone: "success",
              });
            })
            .finally(() => {
              inFlight.current = null;
            });
          return inFlight.current;
        }}
      >
        <p>It gets the next invoice number and can never be changed afterwards. These are its charges:</p>
        <InvoicePreview
          organizationId={organizationId}
          period={monthPeriod(month)}
          caption={`Charges for ${label}`}
        />
        {issue.isPending && (
          <p role="status" className="muted">
            Issuing the invoice…
          </p>
        )}
        {issue.error && <ApiErrorNotice error={issue.error} />}
      </ConfirmModal>
    </div>
  );
}
