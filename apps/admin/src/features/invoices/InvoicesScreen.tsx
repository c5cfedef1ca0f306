import { keepPreviousData } from "@tanstack/react-query";
import { Link } from "@tanstack/react-router";
import { ApiErrorNotice } from "@wedsync/ui/ApiErrorNotice";
import { formatCount } from "@wedsync/ui/format";
import { EmptyState, Page } from "@wedsync/ui/Page";
import { Loading } from "@wedsync/ui/StatusViews";
import { trpc } from "@wedsync/ui/trpc";
import { InvoiceFilters } from "./InvoiceFilters";
import { InvoicesTable } from "./InvoicesTable";
import { INVOICE_PAGE, type InvoiceSearch, invoiceQueryInput } from "./search";

const currentMonthUtc = () => new Date().toISOString().slice(0, 7);

/**
 * Every organization's invoices, newest period first: issued ones (open, download) and finished
 * months not issued yet; filtered by month, status and organization, a page at a time, all in
 * the address.
 */
export function InvoicesScreen({
  search,
  onSearch,
}: {
  search: InvoiceSearch;
  onSearch: (next: InvoiceSearch) => void;
}) {
  const list = trpc.admin.invoices.list.useQuery(invoiceQueryInput(search), {
    placeholderData: keepPreviousData,
  });
  const page = search.page ?? 1;
  const filtered = search.month !== undefined || search.status !== undefined || search.org !== undefined;

  let body: React.ReactNode;
  if (list.isPending) body = <Loading label="Loading invoices…" />;
  else if (list.error) body = <ApiErrorNotice error={list.error} onRetry={() => void list.refetch()} />;
  else if (list.data.total === 0)
    body = filtered ? (
      <EmptyState title="No invoice matches these filters">
        Choose another month, status or organization, or clear every filter.
      </EmptyState>
    ) : (
      <EmptyState title="No invoices yet">
        Invoices appear here once an organization's month has ended with billed AI requests. Issue one from
        the organization's billing page in the supplier app.
      </EmptyState>
    );
  else {
    const { total, offset, invoices } = list.data;
    const first = offset + 1;
    const lastShown = offset + invoices.length;
    const pages = Math.ceil(total / INVOICE_PAGE);
    body = (
      <>
        {invoices.length === 0 ? (
          <EmptyState title="This page is past the last invoice">
            <Link to="/invoices" search={{ ...search, page: undefined }}>
              Go to the first page
            </Link>
          </EmptyState>
        ) : (
          <InvoicesTable
            invoices={invoices}
            caption={`Invoices ${formatCount(first)}–${formatCount(lastShown)} of ${formatCount(total)}, newest period first.`}
          />
        )}
        {pages > 1 && (
          <nav className="pager" aria-label="Pages of invoices">
            {page > 1 ? (
              <Link to="/invoices" search={{ ...search, page: page > 2 ? page - 1 : undefined }}>
                Newer invoices
              </Link>
            ) : (
              <span />
            )}
            <span className="muted">
              Page {formatCount(page)} of {formatCount(pages)}
            </span>
            {page < pages ? (
              <Link to="/invoices" search={{ ...search, page: page + 1 }}>
                Older invoices
              </Link>
            ) : (
              <span />
            )}
          </nav>
        )}
      </>
    );
  }

  return (
    <Page title="Invoices" lead="Every organization's invoices, and finished months not invoiced yet.">
      <InvoiceFilters search={search} currentMonth={currentMonthUtc()} onChange={onSearch} />
      {body}
    </Page>
  );
}
