import { createFileRoute } from "@tanstack/react-router";
import { AuditScreen } from "../features/audit/AuditScreen";
import { auditQueryInput, auditSearchSchema, browserTimeZone } from "../features/audit/search";
import { prefetchForStaff } from "../lib/clients";

/** /admin/audit?org=…&actor=…&feature=…&kind=…&from=…&to=…: the filters are the address. */
export const Route = createFileRoute("/audit")({
  validateSearch: auditSearchSchema,
  loaderDeps: ({ search }) => search,
  loader: ({ context, deps }) => {
    prefetchForStaff(context.queries, () => {
      void context.queries.admin.audit.list.prefetchInfinite(auditQueryInput(deps, browserTimeZone()));
    });
  },
  component: Screen,
});

function Screen() {
  const search = Route.useSearch();
  const navigate = Route.useNavigate();
  return (
    <AuditScreen
      search={search}
      timeZone={browserTimeZone()}
      onSearch={(next) => void navigate({ search: next, replace: true })}
    />
  );
}
