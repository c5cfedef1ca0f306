import { createFileRoute, notFound } from "@tanstack/react-router";
import { NotFound } from "../../components/NotFound";
import { InvoiceScreen } from "../../features/invoices/InvoiceScreen";
import { prefetchForStaff } from "../../lib/clients";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** One issued invoice: /admin/invoices/<organization id>/<invoice id>, a link that can be shared. */
export const Route = createFileRoute("/invoices/$orgId/$invoiceId")({
  beforeLoad: ({ params }) => {
    if (!UUID.test(params.orgId) || !UUID.test(params.invoiceId)) throw notFound();
  },
  loader: ({ context, params }) => {
    prefetchForStaff(
      context.queries,
      () =>
        void context.queries.billing.invoices.export.prefetch(
          { organizationId: params.orgId, invoiceId: params.invoiceId, format: "json" },
          { staleTime: Number.POSITIVE_INFINITY },
        ),
    );
  },
  component: Screen,
  notFoundComponent: () => <NotFound what="invoice" />,
});

function Screen() {
  const { orgId, invoiceId } = Route.useParams();
  return <InvoiceScreen key={invoiceId} organizationId={orgId} invoiceId={invoiceId} />;
}
