import { createFileRoute, useNavigate } from "@tanstack/react-router";
import { useCallback } from "react";
import { OrganizationsScreen } from "../../features/organizations/OrganizationsScreen";
import {
  listInput,
  type OrganizationListSearch,
  parseOrganizationListSearch,
} from "../../features/organizations/search";
import { prefetchForStaff } from "../../lib/clients";

/** /admin/organizations?q=…&tier=…&sort=…&dir=…&page=… */
export const Route = createFileRoute("/organizations/")({
  validateSearch: parseOrganizationListSearch,
  loaderDeps: ({ search }) => search,
  loader: ({ context, deps }) => {
    prefetchForStaff(
      context.queries,
      () => void context.queries.admin.organizations.list.prefetch(listInput(deps)),
    );
  },
  component: Organizations,
});

function Organizations() {
  const search = Route.useSearch();
  const navigate = useNavigate({ from: Route.fullPath });
  const onSearch = useCallback((next: OrganizationListSearch) => void navigate({ search: next }), [navigate]);
  return (
    <OrganizationsScreen
      search={search}
      onSearch={onSearch}
      onOpen={(orgId) => void navigate({ to: "/organizations/$orgId", params: { orgId } })}
      onBulk={(ids) => void navigate({ to: "/bulk", search: { orgs: ids.join(",") } })}
    />
  );
}
