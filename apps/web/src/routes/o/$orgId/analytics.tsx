import { createFileRoute } from "@tanstack/react-router";
import { AnalyticsScreen } from "../../../features/usage/AnalyticsScreen";
import { periodSearchSchema } from "../../../features/usage/period";

export const Route = createFileRoute("/o/$orgId/analytics")({
  validateSearch: periodSearchSchema,
  component: Screen,
});

function Screen() {
  const search = Route.useSearch();
  const navigate = Route.useNavigate();
  return <AnalyticsScreen search={search} onSearch={(next) => void navigate({ search: next })} />;
}
