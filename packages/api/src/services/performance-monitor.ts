import { aiApiMetrics, aiApiMetricsPlatform, latencyBucketIndex } from "@wedsync/core";
import { sql } from "drizzle-orm";
import type { Database } from "../infra/database";
import type { Logger } from "../infra/logger";
import { type Metrics, statusClass } from "../infra/metrics";
import type { AnalyticsService } from "./analytics-service";
import {
  type ReportWindow,
  readPerformanceReport,
  readSlaCompliance,
  type SlaWindow,
} from "./performance-report";

/** One answered HTTP request or tRPC procedure, as the middleware saw it. */
export interface APIResponse {
  /** "trpc:platform.config.get", "POST /v1/chat/completions", "GET /healthz", ... */
  endpoint: string;
  /** Milliseconds until the response started. */
  responseTime: number;
  statusCode: number;
  /** The organization the request acted for; null when unauthenticated or unknown. */
  organizationId: string | null;
  /** Milliseconds during which the request waited on the database. */
  dbTime?: number;
  /** When it was answered (default now): decides the hour it is counted in. */
  at?: Date;
}

export interface PerformanceMonitorOptions {
  /** How often buffered figures are written (default 1 s). */
  flushIntervalMs?: number;
  /** Distinct (organization, endpoint, hour) keys held before a write is started early (default 5,000). */
  maxBufferedKeys?: number;
  /**
   * Measure each request's database time (default true). It runs every request in an
   * AsyncLocalStorage context, which on Node 20 hooks every promise: a few percent of CPU.
   */
  databaseTiming?: boolean;
}

/** What one flush writes for one (organization, endpoint, hour): summed, with a latency histogram. */
interface Aggregate {
  organizationId: string | null;
  endpoint: string;
  hour: string;
  requests: number;
  clientErrors: number;
  serverErrors: number;
  durationMs: number;
  dbMs: number;
  buckets: Map<number, number>;
}

const HOUR_MS = 3_600_000;
/** Kept through failed writes, so an outage of the database cannot grow the buffer without bound. */
const MAX_RETAINED_KEYS = 50_000;

/** An upsert's update: counts added, histograms merged by adding each bucket's counts. */
const ADD_COUNTS = sql.raw(`
  requests = m.requests + excluded.requests,
  client_errors = m.client_errors + excluded.client_errors,
  server_errors = m.server_errors + excluded.server_errors,
  duration_ms_total = m.duration_ms_total + excluded.duration_ms_total,
  db_ms_total = m.db_ms_total + excluded.db_ms_total,
  buckets = (
    select coalesce(jsonb_object_agg(k, n), '{}'::jsonb)
      from (select k, sum(v)::int as n
              from (select key as k, value::int as v from jsonb_each_text(m.buckets)
                    union all
                    select key, value::int from jsonb_each_text(excluded.buckets)) s
             group by k) t)`);

/**
 * The brief's AIPerformanceMonitor. Response times are summed in memory per organization,
 * endpoint and hour and written off the request path, as one statement per flush upserting into
 * ai_api_metrics and its platform-wide sums, ai_api_metrics_platform (several instances add to
 * the same rows). Reports read those rows and the usage rollups; nothing scans the raw log.
 */
export class AIPerformanceMonitor {
  private buffer = new Map<string, Aggregate>();
  private timer: NodeJS.Timeout | null = null;
  private writing: Promise<void> | null = null;
  private readonly flushIntervalMs: number;
  private readonly maxBufferedKeys: number;
  /** The current hour and its ISO form, computed once an hour rather than once a request. */
  private hourStart = 0;
  private hourIso = "";

  constructor(
    private readonly db: Database,
    private readonly readDb: Database,
    private readonly analytics: AnalyticsService,
    private readonly metrics: Metrics,
    private readonly logger: Logger,
    opts: PerformanceMonitorOptions = {},
  ) {
    this.flushIntervalMs = opts.flushIntervalMs ?? 1_000;
    this.maxBufferedKeys = opts.maxBufferedKeys ?? 5_000;
  }

  /** Start the periodic writes (the timer never keeps the process alive). */
  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => void this.flush(), this.flushIntervalMs);
    this.timer.unref();
  }

  /** Stop the timer and write what is buffered (shutdown). */
  async close(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.flush();
  }

  /** Count one response: in memory only (and in the Prometheus histogram); written by the next flush. */
  trackAPIResponse(r: APIResponse): void {
    const ms = Number.isFinite(r.responseTime) && r.responseTime > 0 ? r.responseTime : 0;
    this.metrics.httpRequestDuration.observe(
      { endpoint: r.endpoint, status_class: statusClass(r.statusCode) },
      ms / 1000,
    );
    const hour = this.hourOf(r.at?.getTime() ?? Date.now());
    const key = `${r.organizationId ?? ""}|${r.endpoint}|${hour}`;
    let agg = this.buffer.get(key);
    if (!agg) {
      agg = {
        organizationId: r.organizationId,
        endpoint: r.endpoint,
        hour,
        requests: 0,
        clientErrors: 0,
        serverErrors: 0,
        durationMs: 0,
        dbMs: 0,
        buckets: new Map(),
      };
      this.buffer.set(key, agg);
      if (this.buffer.size >= this.maxBufferedKeys) void this.flush();
    }
    agg.requests += 1;
    if (r.statusCode >= 400 && r.statusCode < 500) agg.clientErrors += 1;
    if (r.statusCode >= 500) agg.serverErrors += 1;
    agg.durationMs += ms;
    agg.dbMs += Math.max(0, Math.min(ms, r.dbTime ?? 0));
    const bucket = latencyBucketIndex(ms);
    agg.buckets.set(bucket, (agg.buckets.get(bucket) ?? 0) + 1);
  }

  /** Write everything buffered so far; resolves once it is written (or kept for the next try). */
  async flush(): Promise<void> {
    // One write at a time: a flush asked for meanwhile runs after it, so nothing is left behind.
    while (this.writing) await this.writing;
    if (this.buffer.size === 0) return;
    const batch = [...this.buffer.values()];
    this.buffer = new Map();
    this.writing = this.write(batch).finally(() => {
      this.writing = null;
    });
    await this.writing;
  }

  /** p50/p95/p99 per endpoint and feature, error rates, cost per request, rate limiting, cache hits. */
  generatePerformanceReport(organizationId: string, window?: Partial<ReportWindow>) {
    return readPerformanceReport(this.readDb, this.analytics, this.metrics, organizationId, window);
  }

  /** Which endpoints break the SLA (p95 ≤ 500 ms, success ≥ 99.9%) over the last hours, platform-wide or for one organization. */
  checkSLACompliance(window: SlaWindow = {}) {
    return readSlaCompliance(this.readDb, window);
  }

  private hourOf(at: number): string {
    const start = Math.floor(at / HOUR_MS) * HOUR_MS;
    if (start === this.hourStart) return this.hourIso;
    const iso = new Date(start).toISOString();
    if (start > this.hourStart) {
      this.hourStart = start;
      this.hourIso = iso;
    }
    return iso;
  }

  private async write(batch: Aggregate[]): Promise<void> {
    const payload = JSON.stringify(
      batch.map((a) => ({
        organization_id: a.organizationId,
        endpoint: a.endpoint,
        hour: a.hour,
        requests: a.requests,
        client_errors: a.clientErrors,
        server_errors: a.serverErrors,
        duration_ms_total: Math.round(a.durationMs),
        db_ms_total: Math.round(a.dbMs),
        buckets: Object.fromEntries(a.buckets),
      })),
    );
    try {
      // Rows in key order, so instances writing the same rows at once never deadlock. An
      // organization deleted since its requests were counted is skipped, not a failed batch. The
      // platform-wide rows (every organization together) move in the same statement.
      await this.db.execute(sql`
        with x as (
          select * from jsonb_to_recordset(${payload}::jsonb) as x(organization_id uuid, endpoint text,
               hour timestamptz, requests integer, client_errors integer, server_errors integer,
               duration_ms_total bigint, db_ms_total bigint, buckets jsonb)
        ), per_organization as (
          insert into ${aiApiMetrics} as m (organization_id, endpoint, hour, requests, client_errors,
              server_errors, duration_ms_total, db_ms_total, buckets)
          select x.organization_id, x.endpoint, x.hour, x.requests, x.client_errors, x.server_errors,
                 x.duration_ms_total, x.db_ms_total, x.buckets
            from x
           where x.organization_id is null
              or exists (select 1 from organizations o where o.id = x.organization_id)
           order by x.organization_id, x.endpoint, x.hour
          on conflict on constraint ai_api_metrics_key do update set ${ADD_COUNTS}
          returning 1
        )
        insert into ${aiApiMetricsPlatform} as m (hour, endpoint, requests, client_errors, server_errors,
            duration_ms_total, db_ms_total, buckets)
        select x.hour, x.endpoint, sum(x.requests), sum(x.client_errors), sum(x.server_errors),
               sum(x.duration_ms_total), sum(x.db_ms_total),
               (select coalesce(jsonb_object_agg(t.k, t.n), '{}'::jsonb)
                  from (select b.key as k, sum(b.value::int)::int as n
                          from x x2, jsonb_each_text(x2.buckets) b
                         where x2.hour = x.hour and x2.endpoint = x.endpoint
                         group by b.key) t)
          from x
         group by x.hour, x.endpoint
         order by x.hour, x.endpoint
        on conflict (hour, endpoint) do update set ${ADD_COUNTS}`);
    } catch (err) {
      // Kept for the next flush (merged with what arrived meanwhile), up to a bound.
      this.logger.warn(
        { err, keys: batch.length },
        "writing API metrics failed; retrying with the next flush",
      );
      for (const a of batch) {
        if (this.buffer.size >= MAX_RETAINED_KEYS) break;
        this.merge(a);
      }
    }
  }

  private merge(a: Aggregate) {
    const key = `${a.organizationId ?? ""}|${a.endpoint}|${a.hour}`;
    const existing = this.buffer.get(key);
    if (!existing) {
      this.buffer.set(key, a);
      return;
    }
    existing.requests += a.requests;
    existing.clientErrors += a.clientErrors;
    existing.serverErrors += a.serverErrors;
    existing.durationMs += a.durationMs;
    existing.dbMs += a.dbMs;
    for (const [b, n] of a.buckets) existing.buckets.set(b, (existing.buckets.get(b) ?? 0) + n);
  }
}

export type PerformanceReport = Awaited<ReturnType<AIPerformanceMonitor["generatePerformanceReport"]>>;
