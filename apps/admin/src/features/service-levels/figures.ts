import { ratioToDecimal } from "@wedsync/core/domain";
import type { Figures } from "@wedsync/ui/figures";
import { formatCount } from "@wedsync/ui/format";
import type { RouterOutputs } from "@wedsync/ui/trpc";

export type Overview = RouterOutputs["serviceLevels"]["overview"];
export type EndpointRow = Overview["endpoints"][number];
export type OrganizationRow = Overview["organizations"][number];
type Breach = EndpointRow["breaches"][number];

/** Rows charted by endpoint or organization: the busiest, the rest stay in the tables. */
export const CHARTED = 12;

/** Server errors as an exact percentage of requests, two places ("0.25"); null without requests. */
export function errorPercent(serverErrors: number, requests: number): string | null {
  if (requests <= 0) return null;
  return ratioToDecimal({ numerator: BigInt(serverErrors) * 100n, denominator: BigInt(requests) }, 2);
}

/** A rate of success (0–1) as a percentage in words: "99.95%". */
const ratePercent = (rate: number) => `${(rate * 100).toFixed(2)}%`;

/** One broken SLA rule in words, naming the measure and the limit. */
export function breachWords(b: Breach): string {
  return b.rule === "p95_latency"
    ? `95% of responses took up to ${formatCount(b.actual)} ms (the SLA allows ${formatCount(b.limit)} ms)`
    : `${ratePercent(b.actual)} succeeded (the SLA needs at least ${ratePercent(b.limit)})`;
}

/** "Met", "No requests", or what broke it. */
export function verdictWords(row: { requests: number; compliant: boolean; breaches: Breach[] }): string {
  if (row.requests === 0) return "No requests";
  if (row.compliant) return "Met";
  return `Broken: ${row.breaches.map(breachWords).join("; ")}`;
}

/** p95 and error rate hour by hour (or day by day), with the SLA's p95 limit for comparison. */
export function seriesFigures(overview: Overview): Figures {
  const hourly = overview.period.granularity === "hour";
  return {
    columns: [
      { key: "at", label: hourly ? "Hour (UTC)" : "Day (UTC)", kind: hourly ? "hour" : "day" },
      { key: "requests", label: "Requests", kind: "count" },
      { key: "p95", label: "95% within (ms)", kind: "ms" },
      { key: "limit", label: "SLA limit (ms)", kind: "ms" },
      { key: "errorRate", label: "Server errors (%)", kind: "percent" },
    ],
    rows: overview.series.map((p) => {
      const start = new Date(p.start);
      return {
        at: hourly ? start.toISOString() : start.toISOString().slice(0, 10),
        requests: p.requests,
        p95: p.p95Ms,
        limit: overview.policy.p95LimitMs,
        errorRate: errorPercent(p.serverErrors, p.requests),
      };
    }),
  };
}

type Timed = {
  requests: number;
  serverErrors: number;
  p50Ms: number | null;
  p95Ms: number | null;
  p99Ms: number | null;
};

function timedColumns(first: { key: string; label: string }): Figures["columns"] {
  return [
    { ...first, kind: "text" },
    { key: "requests", label: "Requests", kind: "count" },
    { key: "p50", label: "p50 (ms)", kind: "ms" },
    { key: "p95", label: "p95 (ms)", kind: "ms" },
    { key: "p99", label: "p99 (ms)", kind: "ms" },
    { key: "errorRate", label: "Server errors (%)", kind: "percent" },
  ];
}

const timedCells = (r: Timed) => ({
  requests: r.requests,
  p50: r.p50Ms,
  p95: r.p95Ms,
  p99: r.p99Ms,
  errorRate: errorPercent(r.serverErrors, r.requests),
});

const busiest = <T extends { requests: number }>(rows: readonly T[]) =>
  [...rows].sort((a, b) => b.requests - a.requests).slice(0, CHARTED);

/** p50/p95/p99 of the busiest endpoints. */
export function endpointFigures(overview: Overview): Figures {
  return {
    columns: timedColumns({ key: "endpoint", label: "Endpoint" }),
    rows: busiest(overview.endpoints).map((e) => ({ endpoint: e.endpoint, ...timedCells(e) })),
  };
}

/** p50/p95/p99 of the busiest organizations. */
export function organizationFigures(overview: Overview): Figures {
  return {
    columns: timedColumns({ key: "organization", label: "Organization" }),
    rows: busiest(overview.organizations).map((o) => ({
      organization: o.name ?? "A removed organization",
      ...timedCells(o),
    })),
  };
}
