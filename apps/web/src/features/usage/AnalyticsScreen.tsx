import { Link } from "@tanstack/react-router";
import { addMonths, sameDayLastYear } from "@wedsync/core/calendar";
import { seasonFor } from "@wedsync/core/domain";
import { ApiErrorNotice } from "@wedsync/ui/ApiErrorNotice";
import { ChartCard } from "@wedsync/ui/ChartCard";
import { formatCount, formatUsd } from "@wedsync/ui/format";
import { EmptyState, Page } from "@wedsync/ui/Page";
import { Loading } from "@wedsync/ui/StatusViews";
import { trpc } from "@wedsync/ui/trpc";
import { featureWords } from "@wedsync/ui/words";
import { useMemo } from "react";
import { LiveBadge } from "../../lib/live";
import { useOrg } from "../../lib/org";
import { expectedRequests } from "./expected";
import {
  clientFigures,
  costByFeatureFigures,
  percentOf,
  performanceFigures,
  pointsOf,
  requestFigures,
  trendFigures,
} from "./figures";
import { PeriodChooser } from "./PeriodChooser";
import { type PeriodSearch, periodWords, resolvePeriod } from "./period";
import { SEASON_SOURCE_WORDS } from "./seasonal";
import { useToday } from "./useToday";

const BASIS_WORDS = {
  "previous-12-months": "your average day over the 12 months before the period",
  "this-period": "this period's own average day (there is no usage in the 12 months before it)",
  none: "no usage yet",
} as const;

/** A change against last year in words: "+25.00%" from core's "0.2500", or why there is none. */
function changeWords(decimal: string | null): string {
  if (decimal === null) return "no usage on the same days last year to compare with";
  const percent = (Number(decimal) * 100).toFixed(1);
  return `${Number(decimal) >= 0 ? "+" : ""}${percent}% against the same days last year`;
}

/**
 * Usage analytics for a chosen period: totals, then cost by feature over time, requests over
 * time, the trend against last year and the season, the costliest clients, and response times
 * and success rate per feature. Every chart has its table and CSV. The figures refresh by
 * themselves as requests are recorded (the live provider refetches the usage queries).
 */
export function AnalyticsScreen({
  search,
  onSearch,
}: {
  search: PeriodSearch;
  onSearch: (search: PeriodSearch) => void;
}) {
  const org = useOrg();
  const organizationId = org.id;
  const today = useToday(org.timezone);
  const period = resolvePeriod(search, today);
  const { from, to, by } = period;

  const usage = trpc.platform.usage.useQuery({ organizationId, from, to });
  const lastYear = trpc.platform.usage.useQuery({
    organizationId,
    from: sameDayLastYear(from),
    to: sameDayLastYear(to),
    topClients: 0,
  });
  const features = trpc.usage.byFeature.useQuery({ organizationId, from, to, by });
  // The season and the expectation's level: three years of months up to the period's end.
  const history = trpc.usage.byFeature.useQuery({
    organizationId,
    from: `${addMonths(to.slice(0, 7), -36)}-01`,
    to,
    by: "month",
  });

  const requestsByMonth = useMemo(() => {
    const out = new Map<string, number>();
    for (const r of history.data?.rows ?? []) out.set(r.period, (out.get(r.period) ?? 0) + r.requests);
    return out;
  }, [history.data]);

  const chooser = (
    <PeriodChooser search={period.search} shown={period} today={today} onChange={(next) => onSearch(next)} />
  );
  const lead = `${periodWords(period)}, in ${org.timezone} days.`;
  const queries = [usage, lastYear, features, history];
  const failed = queries.find((q) => q.error)?.error;
  let body: React.ReactNode;
  if (failed) {
    body = (
      <ApiErrorNotice
        error={failed}
        onRetry={() => {
          for (const q of queries) if (q.error) void q.refetch();
        }}
      />
    );
  } else if (!usage.data || !lastYear.data || !features.data || !history.data) {
    body = <Loading label="Loading usage…" />;
  } else if (usage.data.totals.requests === 0 && usage.data.totals.rejected === 0) {
    const everUsed = history.data.rows.length > 0 || features.data.lastEventSeq > 0;
    body = everUsed ? (
      <EmptyState title="No requests in this period">
        Choose another period above, or look at this month's live figures in{" "}
        <Link to="/o/$orgId/quotas" params={{ orgId: organizationId }}>
          Quotas &amp; live cost
        </Link>
        .
      </EmptyState>
    ) : (
      <EmptyState title="No AI requests yet">
        Charts appear here once your first request is recorded. Create an API key in{" "}
        <Link to="/o/$orgId/api" params={{ orgId: organizationId }}>
          API &amp; keys
        </Link>{" "}
        and send a request to <code>/v1/chat/completions</code> with it (the screen has ready-to-paste
        examples), or process a client's message from its client page.
      </EmptyState>
    );
  } else {
    const u = usage.data;
    const points = pointsOf(period, by);
    const season = seasonFor(requestsByMonth, today.slice(0, 7));
    const expectation = expectedRequests({
      period,
      by,
      today,
      season,
      requestsByMonth,
      requestsByDay: new Map(u.byDay.map((d) => [d.day, d.requests])),
    });
    const successRate = percentOf(u.totals.succeeded, u.totals.requests);
    body = (
      <>
        <dl className="stats" data-testid="usage-totals">
          <div>
            <dt>Requests</dt>
            <dd>{formatCount(u.totals.requests)}</dd>
          </div>
          <div>
            <dt>Turned away</dt>
            <dd>{formatCount(u.totals.rejected)}</dd>
          </div>
          <div>
            <dt>Cost</dt>
            <dd>{formatUsd(u.totals.costUsd, "auto")}</dd>
          </div>
          <div>
            <dt>Success rate</dt>
            <dd>{successRate === null ? "no data" : `${successRate}%`}</dd>
          </div>
        </dl>
        <div className="chart-grid">
          <ChartCard
            name="cost-by-feature"
            period={period}
            title="Cost by feature"
            description={`What each feature cost ${by === "day" ? "per day" : "per month"}, stacked: the bar's height is the total.`}
            figures={costByFeatureFigures(features.data.rows, points, by)}
            spec={{
              kind: "stacked",
              category: "point",
              unit: "usd",
              series: [...new Set(features.data.rows.map((r) => r.featureType))]
                .sort()
                .map((f) => ({ key: f, label: featureWords(f) })),
            }}
          />
          <ChartCard
            name="requests"
            period={period}
            title="Requests over time"
            description={`Completed requests ${by === "day" ? "per day" : "per month"} by outcome, and those turned away by a limit.`}
            figures={requestFigures(u.byDay, points, by)}
            spec={{
              kind: "stacked",
              category: "point",
              unit: "count",
              series: [
                { key: "succeeded", label: "Succeeded" },
                { key: "failed", label: "Failed" },
                { key: "rejected", label: "Turned away" },
              ],
            }}
          />
          <ChartCard
            name="trend"
            period={period}
            title="Trend against last year and the season"
            description={`Requests against the same days last year and against what the season predicts from ${BASIS_WORDS[expectation.basis]}.`}
            figures={trendFigures(u.byDay, lastYear.data.byDay, expectation.byPoint, period, by)}
            spec={{
              kind: "lines",
              category: "point",
              unit: "count",
              series: [
                { key: "requests", label: "Requests" },
                { key: "lastYear", label: "Same days last year" },
                { key: "expected", label: "Expected for the season", dashed: true },
              ],
            }}
          >
            <ul className="small trend-notes">
              <li>Requests: {changeWords(u.trend.yearOverYear.requests)}.</li>
              <li>Cost: {changeWords(u.trend.yearOverYear.cost)}.</li>
              <li>
                Seasonal indices from {SEASON_SOURCE_WORDS[season.source]}
                {u.trend.seasonallyAdjustedRequests !== null &&
                  `; with the season taken out this period comes to ${formatCount(u.trend.seasonallyAdjustedRequests)} requests`}
                .
              </li>
            </ul>
          </ChartCard>
          <ChartCard
            name="clients"
            period={period}
            title="Costliest clients"
            description="The clients whose requests cost the most in the period, then the rest together."
            figures={clientFigures(u.byClient, u.otherClients)}
            spec={{
              kind: "horizontal",
              category: "client",
              unit: "usd",
              series: [{ key: "cost", label: "Cost" }],
            }}
          />
          <ChartCard
            name="performance"
            period={period}
            title="Response times and success rate"
            description="Processing time per feature: half of the requests were faster than p50, 95 in 100 faster than p95, 99 in 100 faster than p99."
            figures={performanceFigures(u.byFeature, features.data.features, {
              ...u.totals,
              ...u.performance,
            })}
            spec={{
              kind: "bars",
              category: "feature",
              unit: "ms",
              series: [
                { key: "p50", label: "p50" },
                { key: "p95", label: "p95" },
                { key: "p99", label: "p99" },
              ],
            }}
          />
        </div>
      </>
    );
  }
  return (
    <Page title="Usage analytics" lead={lead} actions={<LiveBadge />}>
      {chooser}
      {period.problem && (
        <p className="notice" role="status">
          That period cannot be shown: {period.problem} Showing this month instead.
        </p>
      )}
      {body}
    </Page>
  );
}
