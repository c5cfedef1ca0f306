import { Link } from "@tanstack/react-router";
import { addDays, addMonths } from "@wedsync/core/calendar";
import { projectMonthSpend, seasonFor } from "@wedsync/core/domain";
import { ApiErrorNotice } from "@wedsync/ui/ApiErrorNotice";
import { dayWords } from "@wedsync/ui/figure-cells";
import { EmptyState, Page } from "@wedsync/ui/Page";
import { Loading } from "@wedsync/ui/StatusViews";
import { trpc } from "@wedsync/ui/trpc";
import { useEffect, useMemo, useReducer } from "react";
import { LiveBadge, useUsageEvents } from "../../lib/live";
import { useOrg } from "../../lib/org";
import { liveReducer, NO_LIVE } from "./live-quota";
import { MonthPanel } from "./MonthPanel";
import { QuotaMeters } from "./QuotaMeters";
import { featureQuotas, spendByDay } from "./quota-figures";
import { useToday } from "./useToday";

/**
 * Quotas and live cost: today's requests and spend of every feature against its daily caps, and
 * the month against the credit limit with its projection. Figures come from the counters the
 * caps are checked against; each recorded request moves them at once, and the refetch the live
 * provider throttles then replaces the estimate with the counted figures.
 */
export function QuotasScreen() {
  const org = useOrg();
  const organizationId = org.id;
  const today = useToday(org.timezone);
  const month = today.slice(0, 7);
  // The month so far and the projection's 30-day window, whichever starts first.
  const windowStart = addDays(today, -29);
  const from = windowStart < `${month}-01` ? windowStart : `${month}-01`;

  const config = trpc.platform.config.get.useQuery({ organizationId });
  const recent = trpc.usage.byFeature.useQuery({ organizationId, from, to: today, by: "day" });
  const history = trpc.usage.byFeature.useQuery({
    organizationId,
    from: `${addMonths(month, -36)}-01`,
    to: today,
    by: "month",
  });
  const credit = trpc.billing.creditStatus.useQuery({ organizationId }, { enabled: org.canAdmin });

  const [pending, dispatch] = useReducer(liveReducer, NO_LIVE);
  useUsageEvents((event) => dispatch({ type: "event", event }));
  // Fresh figures take over the events they already count, in this very render (no double count).
  const baseSeq = recent.data?.lastEventSeq;
  const live = baseSeq === undefined ? pending : liveReducer(pending, { type: "base", seq: baseSeq });
  useEffect(() => {
    if (baseSeq !== undefined) dispatch({ type: "base", seq: baseSeq });
  }, [baseSeq]);

  const season = useMemo(() => {
    const byMonth = new Map<string, number>();
    for (const r of history.data?.rows ?? [])
      byMonth.set(r.period, (byMonth.get(r.period) ?? 0) + r.requests);
    return seasonFor(byMonth, month);
  }, [history.data, month]);

  const lead = (
    <>
      Today is {dayWords(today)} in {org.timezone}: the daily caps start again at midnight there. The figures
      move by themselves as requests are recorded.
    </>
  );
  const failed = config.error ?? recent.error ?? history.error ?? credit.error;
  if (failed) {
    return (
      <Page title="Quotas and live cost" lead={lead}>
        <ApiErrorNotice
          error={failed}
          onRetry={() => {
            for (const q of [config, recent, history, credit]) if (q.error) void q.refetch();
          }}
        />
      </Page>
    );
  }
  if (!config.data || !recent.data || !history.data || (org.canAdmin && !credit.data)) {
    return (
      <Page title="Quotas and live cost" lead={lead}>
        <Loading label="Loading today's usage…" />
      </Page>
    );
  }

  const rows = recent.data.rows;
  const quotas = featureQuotas(config.data.features, rows, today, live);
  const spend = spendByDay(rows, today, live);
  const spentThisMonth = [...spend].reduce((s, [day, m]) => (day.startsWith(month) ? s + m : s), 0n);
  const projection = projectMonthSpend({ today, spendByDay: spend, season });
  const neverUsed =
    history.data.rows.length === 0 && recent.data.lastEventSeq === 0 && live.pending.length === 0;

  return (
    <Page title="Quotas and live cost" lead={lead} actions={<LiveBadge />}>
      {neverUsed && (
        <EmptyState title="No AI requests yet">
          Your meters start moving with your first request. Create an API key and send one from{" "}
          <Link to="/o/$orgId/api" params={{ orgId: organizationId }}>
            API &amp; keys
          </Link>
          , where every request has a ready-to-paste example.
        </EmptyState>
      )}
      <h2>Today, per feature</h2>
      <p className="muted small">
        Against the daily caps of your AI configuration. A request is turned away once a cap is reached.
      </p>
      <QuotaMeters quotas={quotas} />
      <MonthPanel
        month={month}
        spentMicros={spentThisMonth}
        limitUsd={org.canAdmin ? (credit.data?.limitUsd ?? null) : null}
        projection={projection}
        season={season}
      />
    </Page>
  );
}
