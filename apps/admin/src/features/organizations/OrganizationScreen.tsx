import { useQueryClient } from "@tanstack/react-query";
import { Link } from "@tanstack/react-router";
import { ApiErrorNotice } from "@wedsync/ui/ApiErrorNotice";
import { errorCode } from "@wedsync/ui/errors";
import { formatCount, formatUsd } from "@wedsync/ui/format";
import { LiveStatus } from "@wedsync/ui/Live";
import { notify } from "@wedsync/ui/Notifications";
import { Page } from "@wedsync/ui/Page";
import { Loading } from "@wedsync/ui/StatusViews";
import { trpc } from "@wedsync/ui/trpc";
import { tierWords } from "@wedsync/ui/words";
import { NotFound } from "../../components/NotFound";
import { ActiveThrottles } from "./ActiveThrottles";
import { CreditCell } from "./CreditCell";
import { FeatureSummary, type OrganizationOverview } from "./FeatureSummary";
import { useLiveOrganization } from "./live";
import { Members } from "./Members";
import { LIST_REFRESH_MS } from "./OrganizationsScreen";
import { RecentAlerts } from "./RecentAlerts";
import { SupplierLinks } from "./SupplierLinks";
import { type RowThrottle, throttleWords } from "./throttle-state";
import { alertCountWords, monthWords, plural } from "./words";

/**
 * One organization as staff see it (admin.organizations.get): its figures, the throttles reaching
 * it (with Lift), its configuration, members and last alerts, kept live; and its screens in the
 * supplier app, where staff change anything as its admins.
 */
export function OrganizationScreen({ organizationId }: { organizationId: string }) {
  const queryClient = useQueryClient();
  const overview = trpc.admin.organizations.get.useQuery(
    { organizationId },
    { refetchInterval: LIST_REFRESH_MS },
  );
  const lift = trpc.throttles.lift.useMutation();

  if (errorCode(overview.error) === "NOT_FOUND") return <NotFound what="organization" />;
  if (overview.isPending) return <Loading label="Loading the organization…" />;
  if (overview.error) {
    return (
      <Page title="Organization">
        <ApiErrorNotice error={overview.error} onRetry={() => void overview.refetch()} />
      </Page>
    );
  }
  const o = overview.data;

  const onLift = async (t: RowThrottle) => {
    try {
      await lift.mutateAsync({ id: t.id });
      notify({ title: "Throttle lifted", description: `${throttleWords(t)}: lifted.`, tone: "success" });
    } finally {
      await queryClient.invalidateQueries({ queryKey: [["admin", "organizations"]] });
    }
  };

  return (
    <Page
      title={o.name}
      lead={`${tierWords(o.tier)} tier · time zone ${o.timezone}`}
      actions={<Link to="/organizations">All organizations</Link>}
    >
      <Live organizationId={organizationId} />
      <Figures overview={o} />
      <section aria-labelledby="org-throttles-heading">
        <h2 id="org-throttles-heading">Emergency throttles</h2>
        <ActiveThrottles throttles={o.throttles} onLift={onLift} />
      </section>
      <SupplierLinks organizationId={organizationId} name={o.name} />
      <h2>AI configuration</h2>
      <FeatureSummary name={o.name} features={o.features} />
      <h2>Members</h2>
      <Members name={o.name} members={o.members} />
      <h2>Last alerts</h2>
      <RecentAlerts alerts={o.recentAlerts} />
    </Page>
  );
}

/** Changes made anywhere (the supplier app, another staff member) refresh the page by themselves. */
function Live({ organizationId }: { organizationId: string }) {
  const live = useLiveOrganization(organizationId);
  return <LiveStatus status={live.status} lastChange={live.lastChange} />;
}

/** The month at a glance: clients, spend, the invoice so far, credit and alerts. */
function Figures({ overview: o }: { overview: OrganizationOverview }) {
  const invoice = o.invoicePreview;
  return (
    <section className="panel org-panel" aria-labelledby="org-month-heading">
      <h2 id="org-month-heading">This month ({monthWords(o.credit.month)})</h2>
      <dl className="stats org-figures">
        <div>
          <dt>Clients</dt>
          <dd>{formatCount(o.clientCount)}</dd>
        </div>
        <div>
          <dt>Spend this month</dt>
          <dd>{formatUsd(o.monthSpendUsd, "auto")}</dd>
        </div>
        <div>
          <dt>Invoice so far (not issued)</dt>
          <dd>
            {formatUsd(invoice.totalUsd)}
            {invoice.pendingRequests > 0 && (
              <span className="muted small org-block">
                plus {plural(invoice.pendingRequests, "request")} still being processed
              </span>
            )}
          </dd>
        </div>
        <div>
          <dt>Alerts in the last 24 hours</dt>
          <dd>{alertCountWords(o.activeAlerts)}</dd>
        </div>
      </dl>
      <CreditCell credit={o.credit} label="Credit used this month" />
      <p className="muted small">Billing email: {o.billingEmail}</p>
    </section>
  );
}
