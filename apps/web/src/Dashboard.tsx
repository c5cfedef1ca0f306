import { ConfigTable } from "@wedsync/ui/ConfigTable";
import { tierLabel } from "@wedsync/ui/format";
import { LiveStatus, LiveUsage, useLiveConfig } from "@wedsync/ui/Live";
import { ErrorNotice, Loading } from "@wedsync/ui/StatusViews";
import { TopBar } from "@wedsync/ui/TopBar";
import { type Session, trpc } from "@wedsync/ui/trpc";
import { lazy, Suspense, useEffect, useRef } from "react";
import { OrgSwitcher } from "./OrgSwitcher";

// The usage panel carries the charting library: loaded on its own, after the page.
const UsagePanel = lazy(() => import("./UsagePanel").then((m) => ({ default: m.UsagePanel })));

/** The signed-in supplier's home: their current organization and its AI platform configuration. */
export function Dashboard({ me }: { me: Session }) {
  return (
    <>
      <TopBar product="Supplier" user={me.user} />
      <main className="page">
        {me.currentOrganizationId ? (
          <OrganizationOverview
            key={me.currentOrganizationId}
            me={me}
            organizationId={me.currentOrganizationId}
          />
        ) : (
          <NoOrganization isStaff={me.user.isPlatformStaff} />
        )}
      </main>
    </>
  );
}

function OrganizationOverview({ me, organizationId }: { me: Session; organizationId: string }) {
  const heading = useRef<HTMLHeadingElement>(null);
  const config = trpc.platform.config.get.useQuery({ organizationId });
  const live = useLiveConfig(organizationId);
  const membership = me.organizations.find((o) => o.id === organizationId);
  const name = config.data?.organization.name ?? membership?.name ?? "Your organization";
  const tier = config.data?.organization.tier ?? membership?.tier;

  // Signing in or switching organization lands here: move focus to the page's heading.
  useEffect(() => heading.current?.focus(), []);

  return (
    <>
      <h1 ref={heading} tabIndex={-1}>
        {name}
      </h1>
      <p className="meta">
        {tier && <span className="badge">{tierLabel(tier)} tier</span>}
        {config.data && <span>Time zone: {config.data.organization.timezone}</span>}
        {membership && <span>Your role: {membership.role}</span>}
      </p>
      {me.organizations.length > 1 && (
        <OrgSwitcher organizations={me.organizations} currentId={organizationId} />
      )}
      <section aria-labelledby="features-heading">
        <h2 id="features-heading">AI features</h2>
        <p className="muted">
          Platform limits for every client of {name}. Client settings can only tighten them.
        </p>
        <LiveStatus status={live.status} lastChange={live.lastChange} />
        {config.isPending ? (
          <Loading label="Loading configuration…" />
        ) : config.error ? (
          <ErrorNotice error={config.error} onRetry={() => void config.refetch()} />
        ) : (
          <ConfigTable caption={`AI platform configuration for ${name}`} features={config.data.features} />
        )}
      </section>
      {config.data && (
        <Suspense fallback={<Loading label="Loading usage…" />}>
          <UsagePanel organizationId={organizationId} timeZone={config.data.organization.timezone} />
        </Suspense>
      )}
      <LiveUsage organizationId={organizationId} />
    </>
  );
}

function NoOrganization({ isStaff }: { isStaff: boolean }) {
  return (
    <>
      <h1>No organization yet</h1>
      <p>You are not a member of any organization, so there is no configuration to show.</p>
      {isStaff && (
        <p>
          As platform staff, use the <a href="/admin/">admin app</a> to view every organization.
        </p>
      )}
    </>
  );
}
