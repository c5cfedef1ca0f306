import {
  AppError,
  aiApiMetrics,
  aiApiMetricsPlatform,
  checkSla,
  DEFAULT_SLA,
  endpointSlaCompliance,
  mergeBuckets,
  organizations,
} from "@wedsync/core";
import { eq, inArray, type SQL, sql } from "drizzle-orm";
import { type Database, rowsOf } from "../infra/database";
import type { Metrics } from "../infra/metrics";
import type { ProviderHealth } from "../providers/provider-health";
import { cacheFigures, MAX_SLA_HOURS, percentiles } from "./performance-report";

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
/** Periods up to this long are charted hour by hour; longer ones day by day (UTC days). */
export const HOURLY_SERIES_MAX_HOURS = 48;
/** The busiest organizations shown (by requests); the rest are counted in the totals only. */
export const MAX_OVERVIEW_ORGANIZATIONS = 200;
export const MAX_OVERVIEW_HOURS = MAX_SLA_HOURS;

export interface OverviewRequest {
  /** The last this many hours, the current one included (default 24). */
  hours?: number | undefined;
  /** A UTC day ("YYYY-MM-DD", from its midnight) or an instant; rounded down to the hour. */
  from?: string | Date | undefined;
  /** A UTC day (through its end) or an instant; rounded up to the hour. Default: the end of the current hour. */
  to?: string | Date | undefined;
  /** One organization's requests only. */
  organizationId?: string | undefined;
}

export interface OverviewPeriod {
  from: Date;
  to: Date;
  hours: number;
  granularity: "hour" | "day";
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const floorTo = (ms: number, unit: number) => Math.floor(ms / unit) * unit;
const ceilTo = (ms: number, unit: number) => Math.ceil(ms / unit) * unit;
const ratio = (part: number, whole: number) => (whole > 0 ? part / whole : null);

function badPeriod(field: string, message: string): AppError {
  return new AppError("BAD_REQUEST", `${field}: ${message}`, { fieldErrors: [{ field, message }] });
}

/**
 * The hours a request covers, whole hours (the metrics are hourly), at most 31 days. Pure: `now`
 * is passed in. A day given as `to` runs through its end.
 */
export function resolveOverviewPeriod(req: OverviewRequest, now: Date): OverviewPeriod {
  const endOfHour = floorTo(now.getTime(), HOUR_MS) + HOUR_MS;
  let from: number;
  let to: number;
  if (req.from === undefined && req.to === undefined) {
    const hours = req.hours ?? 24;
    to = endOfHour;
    from = to - hours * HOUR_MS;
  } else {
    if (req.hours !== undefined) throw badPeriod("hours", "give either hours or from and to, not both");
    if (req.from === undefined) throw badPeriod("from", "required with to");
    const start = (v: string | Date) =>
      typeof v === "string" && DAY.test(v) ? Date.parse(`${v}T00:00:00Z`) : new Date(v).getTime();
    from = floorTo(start(req.from), HOUR_MS);
    to =
      req.to === undefined
        ? endOfHour
        : typeof req.to === "string" && DAY.test(req.to)
          ? start(req.to) + DAY_MS
          : ceilTo(new Date(req.to).getTime(), HOUR_MS);
    if (from >= endOfHour) throw badPeriod("from", "must not be in the future");
    if (to <= from) throw badPeriod("to", "must be after from");
    if (to - from > MAX_OVERVIEW_HOURS * HOUR_MS) {
      throw badPeriod("to", `must be at most ${MAX_OVERVIEW_HOURS / 24} days after from`);
    }
  }
  const hours = (to - from) / HOUR_MS;
  return {
    from: new Date(from),
    to: new Date(to),
    hours,
    granularity: hours <= HOURLY_SERIES_MAX_HOURS ? "hour" : "day",
  };
}

type MetricsTable = typeof aiApiMetrics | typeof aiApiMetricsPlatform;

interface Figures {
  requests: number;
  clientErrors: number;
  serverErrors: number;
  durationMs: number;
  buckets: Record<number, number>;
}

const EMPTY: Figures = { requests: 0, clientErrors: 0, serverErrors: 0, durationMs: 0, buckets: {} };

function add(a: Figures, b: Figures): Figures {
  const merged = mergeBuckets(a.buckets, b.buckets);
  const buckets: Record<number, number> = {};
  merged.forEach((n, i) => {
    if (n > 0) buckets[i] = n;
  });
  return {
    requests: a.requests + b.requests,
    clientErrors: a.clientErrors + b.clientErrors,
    serverErrors: a.serverErrors + b.serverErrors,
    durationMs: a.durationMs + b.durationMs,
    buckets,
  };
}

/** Counts and the merged latency histogram of the rows `where` selects, per value of `key`. */
async function figuresBy(db: Database, m: MetricsTable, key: SQL, where: SQL): Promise<Map<string, Figures>> {
  const [totals, buckets] = await Promise.all([
    db.execute(sql`
      select ${key} as key, sum(${m.requests})::text as requests, sum(${m.clientErrors})::text as client_errors,
             sum(${m.serverErrors})::text as server_errors, sum(${m.durationMsTotal})::text as duration_ms
        from ${m} where ${where} group by 1`),
    db.execute(sql`
      select ${key} as key, b.key::int as bucket, sum(b.value::int)::text as count
        from ${m}, jsonb_each_text(${m.buckets}) b where ${where} group by 1, 2`),
  ]);
  const out = new Map<string, Figures>();
  type Totals = {
    key: string;
    requests: string;
    client_errors: string;
    server_errors: string;
    duration_ms: string;
  };
  for (const r of rowsOf<Totals>(totals)) {
    out.set(String(r.key), {
      requests: Number(r.requests),
      clientErrors: Number(r.client_errors),
      serverErrors: Number(r.server_errors),
      durationMs: Number(r.duration_ms),
      buckets: {},
    });
  }
  for (const r of rowsOf<{ key: string; bucket: number; count: string }>(buckets)) {
    const f = out.get(String(r.key));
    if (f) f.buckets[Number(r.bucket)] = (f.buckets[Number(r.bucket)] ?? 0) + Number(r.count);
  }
  return out;
}

/** The figures every row of the overview shows, with the SLA verdict (p95 ≤ 500 ms, success ≥ 99.9%). */
function summary(f: Figures) {
  const p = percentiles(f.buckets);
  const successRate = ratio(f.requests - f.serverErrors, f.requests);
  return {
    requests: f.requests,
    clientErrors: f.clientErrors,
    serverErrors: f.serverErrors,
    /** 5xx answers / requests (4xx are the caller's mistakes, not the platform's). */
    errorRate: ratio(f.serverErrors, f.requests),
    successRate,
    ...p,
    meanMs: f.requests > 0 ? Math.round((f.durationMs / f.requests) * 100) / 100 : null,
    ...checkSla({ p95Ms: p.p95Ms, successRate }),
  };
}

/**
 * The staff console's service levels over a period: per endpoint and per organization request
 * counts, p50/p95/p99 (core's latency sketch, within 2%), error rates and SLA verdicts; p95 and
 * error rate over time for charts; provider health with the last failures; the config cache's hit
 * rate. Reads the hourly metrics rows only (platform-wide ones unless one organization is asked).
 */
export class ServiceLevelsService {
  constructor(
    private readonly db: Database,
    private readonly metrics: Metrics,
    private readonly providerHealth: () => ProviderHealth[],
  ) {}

  async overview(req: OverviewRequest, now = new Date()) {
    const period = resolveOverviewPeriod(req, now);
    const orgId = req.organizationId ?? null;
    if (orgId) {
      const [org] = await this.db
        .select({ id: organizations.id })
        .from(organizations)
        .where(eq(organizations.id, orgId));
      if (!org) throw new AppError("NOT_FOUND", "Organization not found");
    }
    // One organization's rows, or the platform-wide ones for endpoints and the series.
    const source: MetricsTable = orgId ? aiApiMetrics : aiApiMetricsPlatform;
    const from = sql`${period.from.toISOString()}::timestamptz`;
    const to = sql`${period.to.toISOString()}::timestamptz`;
    const inPeriod = sql`${source.hour} >= ${from} and ${source.hour} < ${to}${
      orgId ? sql` and ${aiApiMetrics.organizationId} = ${orgId}` : sql``
    }`;
    const m = aiApiMetrics;
    const bucketStart =
      period.granularity === "hour"
        ? sql`(extract(epoch from ${source.hour}) * 1000)::bigint::text`
        : sql`(extract(epoch from date_trunc('day', ${source.hour} at time zone 'UTC')) * 1000)::bigint::text`;
    const [byEndpoint, bySlot, byOrgEndpoint, cache] = await Promise.all([
      figuresBy(this.db, source, sql`${source.endpoint}`, inPeriod),
      figuresBy(this.db, source, bucketStart, inPeriod),
      figuresBy(
        this.db,
        m,
        sql`${m.organizationId}::text || '|' || ${m.endpoint}`,
        sql`${m.hour} >= ${from} and ${m.hour} < ${to} and ${m.organizationId} is not null${
          orgId ? sql` and ${m.organizationId} = ${orgId}` : sql``
        }`,
      ),
      cacheFigures(this.metrics),
    ]);

    const endpoints = [...byEndpoint.entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([endpoint, f]) => ({ endpoint, ...summary(f) }));
    const total = [...byEndpoint.values()].reduce(add, EMPTY);
    const sla = endpointSlaCompliance(
      endpoints.map((e) => ({
        endpoint: e.endpoint,
        p95Ms: e.p95Ms,
        requests: e.requests,
        successes: e.requests - e.serverErrors,
      })),
    );

    const organizationsFound = await this.organizationRows(byOrgEndpoint);
    return {
      period,
      organizationId: orgId,
      policy: DEFAULT_SLA,
      totals: {
        ...summary(total),
        endpointCount: endpoints.length,
        breachedEndpointCount: sla.breachedCount,
        complianceRatio: sla.complianceRatio,
      },
      endpoints,
      organizations: organizationsFound.rows,
      organizationsTruncated: organizationsFound.truncated,
      series: this.series(period, bySlot),
      /** This instance's provider chain: circuit state, counters and the last failures. */
      providers: this.providerHealth(),
      configCache: cache,
    };
  }

  /** Per organization: every endpoint together, and which of its endpoints broke the SLA. */
  private async organizationRows(byOrgEndpoint: Map<string, Figures>) {
    const perOrg = new Map<string, { figures: Figures; breached: string[] }>();
    for (const [key, f] of byOrgEndpoint) {
      const sep = key.indexOf("|");
      const id = key.slice(0, sep);
      const endpoint = key.slice(sep + 1);
      const entry = perOrg.get(id) ?? { figures: EMPTY, breached: [] };
      entry.figures = add(entry.figures, f);
      if (!summary(f).compliant) entry.breached.push(endpoint);
      perOrg.set(id, entry);
    }
    const busiest = [...perOrg.entries()]
      .sort(([a, x], [b, y]) => y.figures.requests - x.figures.requests || a.localeCompare(b))
      .slice(0, MAX_OVERVIEW_ORGANIZATIONS);
    const ids = busiest.map(([id]) => id);
    const names = new Map(
      ids.length === 0
        ? []
        : (
            await this.db
              .select({ id: organizations.id, name: organizations.name })
              .from(organizations)
              .where(inArray(organizations.id, ids))
          ).map((o) => [o.id, o.name]),
    );
    return {
      rows: busiest.map(([id, { figures, breached }]) => ({
        organizationId: id,
        name: names.get(id) ?? null,
        ...summary(figures),
        breachedEndpoints: breached.sort(),
      })),
      truncated: perOrg.size > busiest.length,
    };
  }

  /** Every hour (or UTC day) of the period, empty ones included, so a chart's gaps are real. */
  private series(period: OverviewPeriod, bySlot: Map<string, Figures>) {
    const step = period.granularity === "hour" ? HOUR_MS : DAY_MS;
    const points = [];
    for (let t = floorTo(period.from.getTime(), step); t < period.to.getTime(); t += step) {
      const f = bySlot.get(String(t)) ?? EMPTY;
      points.push({
        start: new Date(t),
        requests: f.requests,
        serverErrors: f.serverErrors,
        errorRate: ratio(f.serverErrors, f.requests),
        p95Ms: percentiles(f.buckets).p95Ms,
      });
    }
    return points;
  }
}
