import { createFileRoute, notFound } from "@tanstack/react-router";
import { NotFound } from "../../components/NotFound";
import { OrganizationScreen } from "../../features/organizations/OrganizationScreen";
import { prefetchForStaff } from "../../lib/clients";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** One organization: /admin/organizations/<organization id>. */
export const Route = createFileRoute("/organizations/$orgId")({
  beforeLoad: ({ params }) => {
    if (!UUID.test(params.orgId)) throw notFound();
  },
  loader: ({ context, params }) => {
    prefetchForStaff(
      context.queries,
      () => void context.queries.admin.organizations.get.prefetch({ organizationId: params.orgId }),
    );
  },
  component: Organization,
  notFoundComponent: () => <NotFound what="organization" />,
});

function Organization() {
  const { orgId } = Route.useParams();
  return <OrganizationScreen key={orgId} organizationId={orgId} />;
}
