import { createFileRoute, notFound, Outlet } from "@tanstack/react-router";
import { ApiErrorNotice } from "@wedsync/ui/ApiErrorNotice";
import { errorCode } from "@wedsync/ui/errors";
import { Loading } from "@wedsync/ui/StatusViews";
import { type Session, trpc } from "@wedsync/ui/trpc";
import { AppHeader, AppNav } from "../../../components/AppShell";
import { NotFound } from "../../../components/NotFound";
import { SignedIn } from "../../../components/SignedIn";
import { ThrottleBanner } from "../../../components/ThrottleBanner";
import { prefetchInOrganization } from "../../../lib/clients";
import { LiveProvider } from "../../../lib/live";
import { type Org, OrgContext } from "../../../lib/org";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Every screen of one organization: /o/<organization id>/…, so a link names the organization it shows. */
export const Route = createFileRoute("/o/$orgId")({
  beforeLoad: ({ params }) => {
    if (!UUID.test(params.orgId)) throw notFound();
  },
  // The organization's configuration (which every screen of it needs) is asked for while the
  // screen's code downloads; only once someone is signed in (signed out, it would be a 401).
  loader: ({ context, params }) => {
    if (!UUID.test(params.orgId)) return;
    prefetchInOrganization(context.queries, params.orgId, () => {
      void context.queries.platform.config.get.prefetch({ organizationId: params.orgId });
      // The throttle banner's, in the same batch.
      void context.queries.throttles.active.prefetch({ organizationId: params.orgId });
    });
  },
  component: OrgLayout,
  notFoundComponent: () => <NotFound />,
});

function OrgLayout() {
  const { orgId } = Route.useParams();
  return <SignedIn>{(session) => <OrgShell key={orgId} session={session} orgId={orgId} />}</SignedIn>;
}

function OrgShell({ session, orgId }: { session: Session; orgId: string }) {
  const membership = session.organizations.find((o) => o.id === orgId);
  const allowed = Boolean(membership) || session.user.isPlatformStaff;
  const config = trpc.platform.config.get.useQuery({ organizationId: orgId }, { enabled: allowed });
  if (!allowed || errorCode(config.error) === "NOT_FOUND") return <NotFound what="organization" />;
  if (config.isPending) {
    return (
      <main className="page" id="main">
        <Loading label="Loading your organization…" />
      </main>
    );
  }
  if (config.error) {
    return (
      <main className="page" id="main">
        <h1>Something went wrong</h1>
        <ApiErrorNotice error={config.error} onRetry={() => void config.refetch()} />
      </main>
    );
  }
  const role = membership?.role ?? "admin";
  const org: Org = {
    id: orgId,
    name: config.data.organization.name,
    tier: config.data.organization.tier,
    timezone: config.data.organization.timezone,
    role,
    canAdmin: role !== "member",
    isStaff: session.user.isPlatformStaff,
  };
  return (
    <OrgContext.Provider value={org}>
      <LiveProvider organizationId={orgId} alerts={org.canAdmin}>
        <AppHeader session={session} org={org} />
        <ThrottleBanner organizationId={orgId} timeZone={org.timezone} />
        <div className="shell">
          <AppNav org={org} />
          <main className="page" id="main">
            <Outlet />
          </main>
        </div>
      </LiveProvider>
    </OrgContext.Provider>
  );
}
