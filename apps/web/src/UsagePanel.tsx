import { dayInTimezone, lastDays, monthToDate } from "@wedsync/core/calendar";
import { featureLabel, formatCount, formatUsd } from "@wedsync/ui/format";
import { ErrorNotice, Loading } from "@wedsync/ui/StatusViews";
import { trpc } from "@wedsync/ui/trpc";
import { useState } from "react";
import { Bar, BarChart, CartesianGrid, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";

/** This month so far, or the last 30 days, in the organization's own days (core's calendar). */
function periodFor(range: "month" | "30d", timeZone: string) {
  const today = dayInTimezone(new Date(), timeZone);
  return range === "month" ? monthToDate(today) : lastDays(today, 30);
}

/**
 * The organization's usage for this month or the last 30 days, from platform.usage (the daily
 * rollups). New requests refresh it live: LiveUsage's stream invalidates the query.
 */
export function UsagePanel({ organizationId, timeZone }: { organizationId: string; timeZone: string }) {
  const [range, setRange] = useState<"month" | "30d">("month");
  const period = periodFor(range, timeZone);
  const usage = trpc.platform.usage.useQuery({ organizationId, ...period });

  return (
    <section aria-labelledby="usage-heading">
      <h2 id="usage-heading">Usage</h2>
      <fieldset className="segmented">
        <legend className="visually-hidden">Period</legend>
        {(["month", "30d"] as const).map((r) => (
          <label key={r}>
            <input type="radio" name="usage-range" checked={range === r} onChange={() => setRange(r)} />
            {r === "month" ? "This month" : "Last 30 days"}
          </label>
        ))}
      </fieldset>
      {usage.isPending ? (
        <Loading label="Loading usage…" />
      ) : usage.error ? (
        <ErrorNotice error={usage.error} onRetry={() => void usage.refetch()} />
      ) : (
        <>
          <dl className="stats" data-testid="usage-totals">
            <div>
              <dt>Requests</dt>
              <dd>{formatCount(usage.data.totals.requests)}</dd>
            </div>
            <div>
              <dt>Turned away</dt>
              <dd>{formatCount(usage.data.totals.rejected)}</dd>
            </div>
            <div>
              <dt>Cost</dt>
              <dd>{formatUsd(usage.data.totals.costUsd, "auto")}</dd>
            </div>
            <div>
              <dt>Success rate</dt>
              <dd>
                {usage.data.performance.successRate === null
                  ? "—"
                  : `${(usage.data.performance.successRate * 100).toFixed(1)}%`}
              </dd>
            </div>
            <div>
              <dt>p95 processing time</dt>
              <dd>
                {usage.data.performance.p95Ms === null
                  ? "—"
                  : `${Math.round(usage.data.performance.p95Ms)} ms`}
              </dd>
            </div>
          </dl>
          {usage.data.byDay.length > 0 && (
            <figure className="chart">
              <ResponsiveContainer width="100%" height={200}>
                <BarChart data={usage.data.byDay.map((d) => ({ day: d.day.slice(5), requests: d.requests }))}>
                  <CartesianGrid strokeDasharray="3 3" />
                  <XAxis dataKey="day" />
                  <YAxis allowDecimals={false} />
                  <Tooltip />
                  <Bar dataKey="requests" name="Requests" fill="#6b4fa0" />
                </BarChart>
              </ResponsiveContainer>
              <figcaption>Completed requests per day (the table below has the figures).</figcaption>
            </figure>
          )}
          <table className="config-table">
            <caption>Usage by feature</caption>
            <thead>
              <tr>
                <th scope="col">Feature</th>
                <th scope="col">Requests</th>
                <th scope="col">Turned away</th>
                <th scope="col">Tokens (in / out)</th>
                <th scope="col">Cost</th>
              </tr>
            </thead>
            <tbody>
              {usage.data.byFeature.map((f) => (
                <tr key={f.featureType}>
                  <th scope="row">{featureLabel(f.featureType)}</th>
                  <td>{formatCount(f.requests)}</td>
                  <td>{formatCount(f.rejected)}</td>
                  <td>
                    {formatCount(f.inputTokens)} / {formatCount(f.outputTokens)}
                  </td>
                  <td>{formatUsd(f.costUsd, "auto")}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {usage.data.trend.yearOverYear.requests !== null && (
            <p className="muted">
              Against the same days last year:{" "}
              {(Number(usage.data.trend.yearOverYear.requests) * 100).toFixed(0)}% requests.
            </p>
          )}
        </>
      )}
    </section>
  );
}
