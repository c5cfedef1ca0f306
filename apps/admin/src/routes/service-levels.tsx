import { createFileRoute } from "@tanstack/react-router";
import { periodSearchSchema, resolvePeriod } from "../features/service-levels/period";
import { ServiceLevelsScreen } from "../features/service-levels/ServiceLevelsScreen";
import { prefetchForStaff } from "../lib/clients";

/** /admin/service-levels?period=7d (or period=range&from=…&to=…): the period is the address. */
export const Route = createFileRoute("/service-levels")({
  validateSearch: periodSearchSchema,
  loaderDeps: ({ search }) => search,
  loader: ({ context, deps }) => {
    const period = resolvePeriod(deps, new Date().toISOString().slice(0, 10));
    prefetchForStaff(
      context.queries,
      () => void context.queries.serviceLevels.overview.prefetch(period.input),
    );
  },
  component: Screen,
});

function Screen() {
  const search = Route.useSearch();
  const navigate = Route.useNavigate();
  return <ServiceLevelsScreen search={search} onSearch={(next) => void navigate({ search: next })} />;
}
