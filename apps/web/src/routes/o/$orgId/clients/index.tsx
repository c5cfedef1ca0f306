import { createFileRoute } from "@tanstack/react-router";
import { useCallback } from "react";
import { ClientsScreen } from "../../../../features/clients/ClientsScreen";
import { type ClientListSearch, clientListSearch } from "../../../../features/clients/search";

export const Route = createFileRoute("/o/$orgId/clients/")({
  validateSearch: clientListSearch,
  component: Screen,
});

function Screen() {
  const search = Route.useSearch();
  const { orgId } = Route.useParams();
  const navigate = Route.useNavigate();
  const onSearch = useCallback(
    (next: ClientListSearch) =>
      void navigate({
        search: {
          q: next.q || undefined,
          status: next.status,
          pages: next.pages?.length ? next.pages : undefined,
        },
      }),
    [navigate],
  );
  const onOpen = useCallback(
    (clientId: string) => void navigate({ to: "/o/$orgId/clients/$clientId", params: { orgId, clientId } }),
    [navigate, orgId],
  );
  return <ClientsScreen search={search} onSearch={onSearch} onOpen={onOpen} />;
}
