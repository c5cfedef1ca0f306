import { featureLabel, formatCount } from "@wedsync/ui/format";
import { ErrorNotice, Loading } from "@wedsync/ui/StatusViews";
import { trpc } from "@wedsync/ui/trpc";
import { useState } from "react";
import { Bar, BarChart, CartesianGrid, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";

/** "YYYY-MM-DD" of `date` in `timeZone`. */
function dayIn(date: Date, timeZone: string): string {
  return new Intl.DateTimeFormat("en-CA", {
    timeZone,
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
  }).format(date);
}

function periodFor(range: "month" | "30d", timeZone: string) {
  const today = dayIn(new Date(), timeZone);
  if (range === "month") return { from: `${today.slice(0, 8)}01`, to: today };
  const from = new Date(`${today}T00:00:00Z`);
  from.setUTCDate(from.getUTCDate() - 29);
  return { from: from.toISOString().slice(0, 10), to: today };
}

/** "$0.001234" for small per-request figures, "$12.35"-style for larger ones; from the exact string. */
function usd(amount: string): string {
  const [whole = "0", frac = ""] = amount.split(".");
  return whole === "0" ? `$${whole}.${frac}` : `$${whole}.${frac.slice(0, 2)}`;
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
              <dd>{usd(usage.data.totals.costUsd)}</dd>
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
                  <td>{usd(f.costUsd)}</td>
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
