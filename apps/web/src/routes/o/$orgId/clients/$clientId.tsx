import { createFileRoute } from "@tanstack/react-router";
import { ClientScreen } from "../../../../features/clients/ClientScreen";
import { clientPageSearch } from "../../../../features/clients/search";

export const Route = createFileRoute("/o/$orgId/clients/$clientId")({
  validateSearch: clientPageSearch,
  component: Screen,
});

function Screen() {
  const { clientId } = Route.useParams();
  const { feature } = Route.useSearch();
  const navigate = Route.useNavigate();
  return (
    <ClientScreen
      key={clientId}
      clientId={clientId}
      feature={feature}
      // Switching tabs is not a new page: replace, so Back leaves the client.
      onFeature={(next) => void navigate({ search: { feature: next }, replace: true })}
    />
  );
}
