import { createFileRoute } from "@tanstack/react-router";
import { AUDIT_PAGE } from "../../../features/config/audit-page";
import { ConfigScreen } from "../../../features/config/ConfigScreen";
import { prefetchInOrganization } from "../../../lib/clients";

export const Route = createFileRoute("/o/$orgId/config")({
  // The priced models and the change history (owners and admins) load with the screen's code.
  loader: ({ context, params }) => {
    const organizationId = params.orgId;
    prefetchInOrganization(context.queries, organizationId, (canAdmin) => {
      if (!canAdmin) return;
      void context.queries.platform.models.prefetch({ organizationId }, { staleTime: 5 * 60_000 });
      void context.queries.platform.audit.list.prefetchInfinite({ organizationId, limit: AUDIT_PAGE });
    });
  },
  component: ConfigScreen,
});
