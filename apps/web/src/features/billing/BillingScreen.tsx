import { monthInTimezone } from "@wedsync/core/calendar";
import { ApiErrorNotice } from "@wedsync/ui/ApiErrorNotice";
import { monthLabel, monthPeriod } from "@wedsync/ui/months";
import { Page } from "@wedsync/ui/Page";
import { Loading } from "@wedsync/ui/StatusViews";
import { trpc } from "@wedsync/ui/trpc";
import { useOrg } from "../../lib/org";
import { CreditStatus } from "./CreditStatus";
import { InvoicePreview } from "./InvoicePreview";
import { IssuedInvoices } from "./IssuedInvoices";
import { IssueInvoice } from "./IssueInvoice";
import { MonthlyCosts } from "./MonthlyCosts";

/** Billing for owners and admins: credit, this month so far, issued invoices, issuing, monthly costs. */
export function BillingScreen() {
  const org = useOrg();
  const credit = trpc.billing.creditStatus.useQuery({ organizationId: org.id });
  const invoices = trpc.billing.invoices.list.useQuery({ organizationId: org.id });
  const month = monthInTimezone(new Date(), org.timezone);

  return (
    <Page
      title="Billing"
      lead="What your AI features cost this month, your invoices, and the costs of past months. Figures update as requests complete."
    >
      <section aria-labelledby="credit-heading">
        <h2 id="credit-heading">Monthly credit</h2>
        {credit.isPending ? (
          <Loading label="Loading your credit…" />
        ) : credit.error ? (
          <ApiErrorNotice error={credit.error} onRetry={() => void credit.refetch()} />
        ) : (
          <CreditStatus credit={credit.data} />
        )}
      </section>

      <section aria-labelledby="preview-heading">
        <h2 id="preview-heading">{monthLabel(month)} so far</h2>
        <p className="muted small">
          A preview of this month's invoice: it can be issued once the month has ended.
        </p>
        <InvoicePreview
          organizationId={org.id}
          period={monthPeriod(month)}
          caption={`Charges in ${monthLabel(month)} so far`}
        />
      </section>

      <section aria-labelledby="invoices-heading">
        <h2 id="invoices-heading">Invoices</h2>
        {invoices.isPending ? (
          <Loading label="Loading invoices…" />
        ) : invoices.error ? (
          <ApiErrorNotice error={invoices.error} onRetry={() => void invoices.refetch()} />
        ) : (
          <>
            <IssuedInvoices organizationId={org.id} invoices={invoices.data} />
            <h3>Issue an invoice</h3>
            <IssueInvoice organizationId={org.id} timeZone={org.timezone} invoices={invoices.data} />
          </>
        )}
      </section>

      <section aria-labelledby="costs-heading">
        <h2 id="costs-heading">Costs by month</h2>
        <MonthlyCosts organizationId={org.id} timeZone={org.timezone} />
      </section>
    </Page>
  );
}
