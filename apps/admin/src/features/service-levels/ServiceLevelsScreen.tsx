import { ApiErrorNotice } from "@wedsync/ui/ApiErrorNotice";
import { ChartCard } from "@wedsync/ui/ChartCard";
import { formatCount } from "@wedsync/ui/format";
import { EmptyState, Page } from "@wedsync/ui/Page";
import { Loading } from "@wedsync/ui/StatusViews";
import { trpc } from "@wedsync/ui/trpc";
import { endpointFigures, errorPercent, type Overview, organizationFigures, seriesFigures } from "./figures";
import { PeriodChooser } from "./PeriodChooser";
import { CacheFigures, ProviderHealth } from "./ProviderHealth";
import { type PeriodSearch, resolvePeriod } from "./period";
import { EndpointSlaTable, OrganizationSlaTable } from "./SlaTables";

/** How often a period that ends now is read again, so its figures move by themselves. */
export const LIVE_REFRESH_MS = 30_000;

const todayUtc = () => new Date().toISOString().slice(0, 10);

/** "Last 24 hours" inside a sentence: "last 24 hours"; dates keep their capitals. */
const inWords = (words: string) => (words.startsWith("Last ") ? `l${words.slice(1)}` : words);

/**
 * Service levels over a chosen period: the SLA verdict, per endpoint and per organization
 * p50/p95/p99, server errors and breaches (highlighted, in words), charts each with its table
 * and CSV; then this server's AI providers and configuration cache.
 */
export function ServiceLevelsScreen({
  search,
  onSearch,
}: {
  search: PeriodSearch;
  onSearch: (next: PeriodSearch) => void;
}) {
  const today = todayUtc();
  const period = resolvePeriod(search, today);
  const overview = trpc.serviceLevels.overview.useQuery(period.input, {
    refetchInterval: period.live ? LIVE_REFRESH_MS : false,
  });

  let body: React.ReactNode;
  if (overview.isPending) body = <Loading label="Loading service levels…" />;
  else if (overview.error)
    body = <ApiErrorNotice error={overview.error} onRetry={() => void overview.refetch()} />;
  else body = <Figures overview={overview.data} words={period.words} slug={period.slug} />;

  return (
    <Page
      title="Service levels"
      lead="Response times, server errors and SLA breaches of every endpoint and organization, and the AI providers' health."
    >
      <PeriodChooser search={period.search} todayUtc={today} onChange={onSearch} />
      {period.problem && (
        <p className="notice notice-warning" role="status">
          Those days cannot be shown: {period.problem} Showing the last 24 hours instead.
        </p>
      )}
      {body}
    </Page>
  );
}

function Figures({ overview, words, slug }: { overview: Overview; words: string; slug: string }) {
  const { totals, policy } = overview;
  const file = { from: slug, to: "utc" };
  const slaWords = `SLA: 95% of responses within ${formatCount(policy.p95LimitMs)} ms and at least ${(
    policy.minSuccessRate * 100
  ).toFixed(1)}% without a server error`;
  const errors = errorPercent(totals.serverErrors, totals.requests);
  return (
    <>
      <section aria-labelledby="sla-summary">
        <h2 id="sla-summary">{words}</h2>
        <p data-testid="sla-verdict">
          {totals.requests === 0
            ? "No requests in this period."
            : totals.breachedEndpointCount === 0
              ? `All ${formatCount(totals.endpointCount)} endpoints met the SLA.`
              : `${formatCount(totals.breachedEndpointCount)} of ${formatCount(totals.endpointCount)} endpoints broke the SLA.`}{" "}
          <span className="muted">{slaWords}.</span>
        </p>
        <dl className="stats" data-testid="sla-totals">
          <div>
            <dt>Requests</dt>
            <dd>{formatCount(totals.requests)}</dd>
          </div>
          <div>
            <dt>p50</dt>
            <dd>{totals.p50Ms === null ? "no data" : `${formatCount(totals.p50Ms)} ms`}</dd>
          </div>
          <div>
            <dt>p95</dt>
            <dd>{totals.p95Ms === null ? "no data" : `${formatCount(totals.p95Ms)} ms`}</dd>
          </div>
          <div>
            <dt>p99</dt>
            <dd>{totals.p99Ms === null ? "no data" : `${formatCount(totals.p99Ms)} ms`}</dd>
          </div>
          <div>
            <dt>Server errors</dt>
            <dd>{errors === null ? "no data" : `${errors}%`}</dd>
          </div>
        </dl>
      </section>

      {totals.requests === 0 ? (
        <EmptyState title="No requests in this period">
          Choose a longer period above. Figures appear here once the API has answered requests in it.
        </EmptyState>
      ) : (
        <>
          <div className="chart-grid">
            <ChartCard
              name="response-times"
              period={file}
              title="95% of responses within, over time"
              description={`The p95 response time ${overview.period.granularity === "hour" ? "hour by hour" : "day by day"} (UTC), against the SLA's limit (dashed).`}
              figures={seriesFigures(overview)}
              spec={{
                kind: "lines",
                category: "at",
                unit: "ms",
                series: [
                  { key: "p95", label: "95% within", dots: true },
                  { key: "limit", label: "SLA limit", dashed: true },
                ],
              }}
            />
            <ChartCard
              name="server-errors"
              period={file}
              title="Server errors over time"
              description="The share of requests answered with a server error (5xx); the caller's own mistakes (4xx) are not counted."
              figures={seriesFigures(overview)}
              spec={{
                kind: "bars",
                category: "at",
                unit: "percent",
                series: [{ key: "errorRate", label: "Server errors" }],
              }}
            />
            <ChartCard
              name="endpoints"
              period={file}
              title="Response times by endpoint"
              description="Half of the requests were faster than p50, 95 in 100 faster than p95, 99 in 100 faster than p99. The busiest endpoints."
              figures={endpointFigures(overview)}
              spec={{
                kind: "horizontal",
                category: "endpoint",
                unit: "ms",
                labelWidth: 200,
                series: [
                  { key: "p50", label: "p50" },
                  { key: "p95", label: "p95" },
                  { key: "p99", label: "p99" },
                ],
              }}
            />
            <ChartCard
              name="organizations"
              period={file}
              title="Response times by organization"
              description="The same figures for each organization's requests. The busiest organizations."
              figures={organizationFigures(overview)}
              spec={{
                kind: "horizontal",
                category: "organization",
                unit: "ms",
                labelWidth: 180,
                series: [
                  { key: "p50", label: "p50" },
                  { key: "p95", label: "p95" },
                  { key: "p99", label: "p99" },
                ],
              }}
            />
          </div>
          <section aria-labelledby="sla-endpoints">
            <h2 id="sla-endpoints">Endpoints</h2>
            <EndpointSlaTable
              endpoints={overview.endpoints}
              caption={`Endpoints, ${inWords(words)}: those that broke the SLA first.`}
            />
          </section>
          <section aria-labelledby="sla-organizations">
            <h2 id="sla-organizations">Organizations</h2>
            <OrganizationSlaTable
              organizations={overview.organizations}
              caption={`Organizations, ${inWords(words)}: those with a broken SLA first${
                overview.organizationsTruncated ? "; only the busiest are listed" : ""
              }.`}
            />
          </section>
        </>
      )}

      <section aria-labelledby="sla-providers">
        <h2 id="sla-providers">AI providers</h2>
        {overview.providers.length === 0 ? (
          <EmptyState title="No AI providers configured">
            AI requests cannot be answered. Check the server's provider settings, then restart it.
          </EmptyState>
        ) : (
          <ProviderHealth providers={overview.providers} />
        )}
      </section>
      <section aria-labelledby="sla-cache">
        <h2 id="sla-cache">Configuration cache</h2>
        <CacheFigures cache={overview.configCache} />
      </section>
    </>
  );
}
