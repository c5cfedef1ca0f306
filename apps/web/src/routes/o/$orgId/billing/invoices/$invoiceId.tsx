import { createFileRoute } from "@tanstack/react-router";
import { InvoiceScreen } from "../../../../../features/billing/InvoiceScreen";
import { OwnersOnly } from "../../../../../features/billing/OwnersOnly";
import { useOrg } from "../../../../../lib/org";

/** One issued invoice: /o/<organization>/billing/invoices/<invoice id>, a link that can be shared. */
export const Route = createFileRoute("/o/$orgId/billing/invoices/$invoiceId")({ component: Screen });

function Screen() {
  const org = useOrg();
  const { invoiceId } = Route.useParams();
  return org.canAdmin ? (
    <InvoiceScreen invoiceId={invoiceId} />
  ) : (
    <OwnersOnly title="Invoice" what="billing" />
  );
}
