import { createFileRoute } from "@tanstack/react-router";
import { InvoicesScreen } from "../../features/invoices/InvoicesScreen";
import { invoiceQueryInput, invoiceSearchSchema } from "../../features/invoices/search";
import { prefetchForStaff } from "../../lib/clients";

/** /admin/invoices?month=2026-04&status=issued&org=…&page=2: the filters and the page are the address. */
export const Route = createFileRoute("/invoices/")({
  validateSearch: invoiceSearchSchema,
  loaderDeps: ({ search }) => search,
  loader: ({ context, deps }) => {
    prefetchForStaff(
      context.queries,
      () => void context.queries.admin.invoices.list.prefetch(invoiceQueryInput(deps)),
    );
  },
  component: Screen,
});

function Screen() {
  const search = Route.useSearch();
  const navigate = Route.useNavigate();
  return <InvoicesScreen search={search} onSearch={(next) => void navigate({ search: next })} />;
}
