import { createHash, randomUUID } from "node:crypto";
import {
  AppError,
  aiMonthlySpend,
  aiUsageLogs,
  creditStatus,
  type FeatureType,
  fromMicros,
  latencyBucketIndex,
  monthInTimezone,
  organizations,
  type RejectionReason,
  type TokenUsage,
  toMicros,
} from "@wedsync/core";
import { ExponentialBackoff, handleWhen, retry } from "cockatiel";
import { and, eq, getTableColumns, sql } from "drizzle-orm";
import { type Database, type ExecutePrepared, isDatabaseUnavailable, rowsOf } from "../infra/database";
import { GroupCommitter, ItemFailed } from "../infra/group-commit";
import type { RateLimiter, RateLimitResult } from "../infra/rate-limiter";
import { withTimeout } from "../lib/timeout";

/** Requests are counted per minute, sliding. */
export const RATE_LIMIT_WINDOW_MS = 60_000;
/** The limiter key of an organization's feature, or of one client's tighter limit within it. */
export const rateLimitKey = (organizationId: string, featureType: FeatureType, clientId?: string) =>
  `rl:${organizationId}:${featureType}${clientId ? `:${clientId}` : ""}`;

export interface AdmissionRequest {
  requestId: string;
  organizationId: string;
  clientId: string | null;
  featureType: FeatureType;
  /** Organization-timezone day and month the request counts against. */
  day: string;
  month: string;
  orgMaxRequests: number;
  orgMaxMicros: bigint;
  clientMaxRequests: number | null;
  clientMaxMicros: bigint | null;
  creditLimitMicros: bigint;
  estimateMicros: bigint;
  idempotencyKey: string | null;
  requestHash: string | null;
  requestSize: number;
  model: string;
  provider: string;
  metadata: Record<string, unknown>;
}

export type AdmissionOutcome =
  | {
      outcome: "admitted";
      requestId: string;
      org: { requests: number; usedMicros: bigint };
      client: { requests: number; usedMicros: bigint } | null;
    }
  | { outcome: "rejected"; reason: RejectionReason; requestId: string }
  | { outcome: "duplicate" | "conflict"; requestId: string };

export interface Completion {
  requestId: string;
  status: "succeeded" | "failed";
  costMicros: bigint;
  usage: TokenUsage;
  responseSize: number;
  processingTimeMs: number;
  errorMessage: string | null;
  model: string | null;
  provider: string | null;
  degraded: boolean;
  result: unknown;
}

export interface Rejection {
  requestId: string;
  organizationId: string;
  clientId: string | null;
  featureType: FeatureType;
  /** The organization-timezone day it counts on: by the application's clock, as for admissions. */
  day: string;
  reason: RejectionReason;
  requestSize: number;
  model: string | null;
  metadata: Record<string, unknown>;
}

/** sha256 of a canonical request body, to tell an idempotent retry from a reused key. */
export function requestHash(body: unknown): string {
  return createHash("sha256").update(JSON.stringify(body)).digest("hex");
}

/**
 * The brief's AIUsageTracker. Every admitted request gets exactly one usage row: written pending
 * at admission (logRequest), completed once (logResponse). Completions and rejections are written
 * by group commit; each caller resumes only when its row is durable.
 */
/** A row of wedsync_admit (and of wedsync_admit_batch, which adds the request's position). */
type AdmissionRow = {
  ord?: number;
  outcome: string;
  reason: string | null;
  request_id: string;
  org_requests: number | null;
  org_used_micros: string | null;
  client_requests: number | null;
  client_used_micros: string | null;
};

function admissionOutcome(row: AdmissionRow): AdmissionOutcome {
  switch (row.outcome) {
    case "admitted":
      return {
        outcome: "admitted",
        requestId: row.request_id,
        org: { requests: row.org_requests ?? 0, usedMicros: BigInt(row.org_used_micros ?? 0) },
        client:
          row.client_requests === null
            ? null
            : { requests: row.client_requests, usedMicros: BigInt(row.client_used_micros ?? 0) },
      };
    case "rejected":
      return { outcome: "rejected", reason: row.reason as RejectionReason, requestId: row.request_id };
    default:
      return { outcome: row.outcome as "duplicate" | "conflict", requestId: row.request_id };
  }
}

export class AIUsageTracker {
  private readonly admissions: GroupCommitter<AdmissionRequest, AdmissionOutcome>;
  private readonly completions: GroupCommitter<Completion, boolean>;
  private readonly rejections: GroupCommitter<Rejection>;
  /** Completions that could not be written (the database away): written by the sweep once it is back. */
  private readonly unwritten = new Map<string, Completion>();
  /**
   * This process among the instances (ai_instances): its pending rows carry it, so that once it
   * stops beating any other instance can tell they are abandoned.
   */
  readonly instanceId = randomUUID();

  constructor(
    private readonly db: Database,
    private readonly limiter: RateLimiter,
    /** For the two statements every request runs (admission, completion): prepared once per connection. */
    private readonly executePrepared: ExecutePrepared = (query) => db.execute(query),
  ) {
    this.admissions = new GroupCommitter((batch) => this.writeAdmissions(batch));
    this.completions = new GroupCommitter((batch) => this.writeCompletions(batch));
    this.rejections = new GroupCommitter((batch) => this.writeRejections(batch));
  }

  /** Readiness: the shared rate-limit store answers within `timeoutMs` (always, in process). */
  async pingLimiter(timeoutMs: number): Promise<void> {
    await withTimeout(
      this.limiter.ping?.() ?? Promise.resolve(),
      timeoutMs,
      () => new Error(`rate-limit store ping timed out after ${timeoutMs} ms`),
    );
  }

  /** Per organization and feature (and client, when tighter), per minute: `key` from rateLimitKey. */
  async checkRateLimit(key: string, limitPerMinute: number): Promise<RateLimitResult> {
    if (limitPerMinute <= 0)
      return { success: false, limit: 0, remaining: 0, reset: Date.now() + RATE_LIMIT_WINDOW_MS };
    try {
      return await this.limiter.limit(key, { limit: limitPerMinute, windowMs: RATE_LIMIT_WINDOW_MS });
    } catch (err) {
      // Fail closed: without the shared limiter nothing is admitted, and the caller is told why.
      throw new AppError("SERVICE_UNAVAILABLE", "Rate limiting is unavailable; try again shortly", {
        cause: err,
      });
    }
  }

  /** Where the organization stands against its monthly credit limit this month (its timezone). */
  async checkCostLimit(organizationId: string, now: Date = new Date()) {
    const [org] = await this.db.select().from(organizations).where(eq(organizations.id, organizationId));
    if (!org) throw new AppError("NOT_FOUND", "Organization not found");
    const month = monthInTimezone(now, org.timezone);
    const [spend] = await this.db
      .select()
      .from(aiMonthlySpend)
      .where(and(eq(aiMonthlySpend.organizationId, organizationId), eq(aiMonthlySpend.month, month)));
    const used = (spend?.spentMicros ?? 0n) + (spend?.reservedMicros ?? 0n);
    const limit = toMicros(org.monthlyCreditLimit);
    return {
      month,
      status: creditStatus(used, limit),
      usedUsd: fromMicros(used, 6),
      limitUsd: org.monthlyCreditLimit,
    };
  }

  /**
   * Admission's database half, in one round trip: idempotency, daily request and cost caps,
   * the monthly credit limit (checkCostLimit), and the pending or rejected usage row (logRequest).
   * Concurrent admissions are group-committed: one statement and one commit for the batch.
   */
  logRequest(req: AdmissionRequest): Promise<AdmissionOutcome> {
    return this.admissions.submit({ ...req, metadata: { ...req.metadata, instanceId: this.instanceId } });
  }

  /** A group-committed statement wrote `rows` rows (for metrics; see MeteredUsageTracker). */
  protected wroteBatch(_writer: "admission" | "completion" | "rejection", _rows: number): void {}

  /** An admission batch's statement failed and its requests go one by one (logged and counted in MeteredUsageTracker). */
  protected batchFellBack(_err: unknown, _requests: number): void {}

  private async writeAdmissions(batch: AdmissionRequest[]): Promise<Array<AdmissionOutcome | ItemFailed>> {
    this.wroteBatch("admission", batch.length);
    if (batch.length === 1) return [await this.admitOne(batch[0] as AdmissionRequest)];
    let rows: AdmissionRow[];
    try {
      const payload = JSON.stringify(batch, (_, v) => (typeof v === "bigint" ? v.toString() : v));
      rows = rowsOf<AdmissionRow>(
        await withDeadlockRetry(() =>
          this.executePrepared(sql`select * from wedsync_admit_batch(${payload}::jsonb)`),
        ),
      );
    } catch (err) {
      // The batch is one transaction: a request that cannot be admitted at all (its client deleted
      // a moment ago, say) must not fail the others. Each again on its own; only it fails. Said
      // and counted: a batch statement that failed for any other reason would hide here.
      this.batchFellBack(err, batch.length);
      return Promise.all(batch.map((req) => this.admitOne(req).catch((e: unknown) => new ItemFailed(e))));
    }
    const byPosition = new Map(rows.map((r) => [Number(r.ord), r]));
    return batch.map((_, i) => {
      const row = byPosition.get(i + 1);
      if (!row) throw new Error(`wedsync_admit_batch returned no row for request ${i + 1}`);
      return admissionOutcome(row);
    });
  }

  private async admitOne(req: AdmissionRequest): Promise<AdmissionOutcome> {
    const rows = await withDeadlockRetry(() =>
      this.executePrepared(sql`select * from wedsync_admit(
        ${req.requestId}::uuid, ${req.organizationId}::uuid, ${req.clientId}::uuid, ${req.featureType}::ai_feature_type,
        ${req.day}::date, ${req.month}, ${req.orgMaxRequests}::int, ${req.orgMaxMicros.toString()}::bigint,
        ${req.clientMaxRequests}::int, ${req.clientMaxMicros?.toString() ?? null}::bigint,
        ${req.creditLimitMicros.toString()}::bigint, ${req.estimateMicros.toString()}::bigint,
        ${req.idempotencyKey}, ${req.requestHash}, ${req.requestSize}::int, ${req.model}, ${req.provider},
        ${JSON.stringify(req.metadata)}::jsonb)`),
    );
    const row = rowsOf<AdmissionRow>(rows)[0];
    if (!row) throw new Error("wedsync_admit returned nothing");
    return admissionOutcome(row);
  }

  /**
   * Complete a pending row with its tokens, exact cost and result. Resolves once durable: true,
   * or false when the row was no longer pending (completed already, or swept as abandoned while
   * this instance could not reach the database) — then this completion changed nothing.
   */
  async logResponse(completion: Completion): Promise<boolean> {
    // Rewriting a completion after a lost connection is safe (a row completes only from pending),
    // so a database restart is waited out for a few seconds before the caller is failed. Each
    // caller waits on its own clock and submits again: a batch never holds the ones behind it.
    const giveUpAt = Date.now() + COMPLETION_OUTAGE_WAIT_MS;
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.completions.submit(completion);
      } catch (err) {
        const wait = Math.min(50 * 2 ** attempt, 1_000);
        if (!isDatabaseUnavailable(err) || Date.now() + wait > giveUpAt) throw err;
        await new Promise((r) => setTimeout(r, wait));
      }
    }
  }

  /**
   * A completion the database could not take (it was away past the retries): keep it and write it
   * with the next sweep, so the row does not hold its reservation and key until it is swept as
   * abandoned. Its caller was told the request failed, so it is written as failed.
   */
  completeLater(completion: Completion): void {
    this.unwritten.set(completion.requestId, completion);
  }

  /** Write the completions kept by completeLater; those the database still refuses stay kept. */
  async writeUnwritten(): Promise<number> {
    const kept = [...this.unwritten.values()];
    await Promise.all(
      kept.map((c) =>
        this.logResponse(c).then(
          () => this.unwritten.delete(c.requestId),
          () => {},
        ),
      ),
    );
    return kept.length - this.unwritten.size;
  }

  /** A request turned away before reaching the caps (disabled feature, rate limit): counted, never billed. */
  logRejection(rejection: Rejection): Promise<void> {
    return this.rejections.submit(rejection);
  }

  /**
   * One usage row, its `result` decoded exactly once. The jsonb column cannot be read as it is:
   * the driver already decodes jsonb, and drizzle's jsonb mapper JSON.parses any string it gets
   * again, so a stored string that is itself JSON text (a /v1 answer from the local engine, say)
   * would come back as an object, and "123" as a number. Read as text, parsed here, it comes back
   * as it was written: the exact string, or the same structured result.
   */
  async findByRequestId(requestId: string) {
    const [row] = await this.db
      .select({ ...getTableColumns(aiUsageLogs), result: sql<string | null>`${aiUsageLogs.result}::text` })
      .from(aiUsageLogs)
      .where(eq(aiUsageLogs.requestId, requestId));
    if (!row) return null;
    return { ...row, result: row.result === null ? null : (JSON.parse(row.result) as unknown) };
  }

  /**
   * Pending rows no one will complete: their instance stopped beating more than `deadAfterMs` ago
   * (a crash, a kill after the shutdown grace, a lost host), or — rows from before instances beat,
   * or any row at all — older than `olderThanMs`. Complete them as failed, at no charge, through
   * the normal path, which frees their reservations in the daily and monthly counters, frees their
   * idempotency keys and lets their period be invoiced. A request still running when it is swept
   * completes as nothing (a row completes only from pending; its instance then answers 503), so
   * the bounds are far above a beat's interval. Every time here is the database's clock, one clock
   * for all instances. Safe on any number of instances at once.
   */
  async reapAbandoned(
    olderThanMs = 15 * 60_000,
    deadAfterMs = DEAD_AFTER_MS,
    jobsOlderThanMs = JOB_ROWS_ABANDONED_AFTER_MS,
  ): Promise<number> {
    const stale = rowsOf<{ request_id: string; age_ms: number }>(
      await this.db.execute(sql`
        select l.request_id, (extract(epoch from now() - l.created_at) * 1000)::float8 as age_ms
          from ai_usage_logs l
         where l.status = 'pending'
           and ((l.created_at < now() - make_interval(secs => ${olderThanMs / 1000})
                 and l.metadata->>'instanceId' is distinct from ${JOBS_INSTANCE_ID})
                or l.created_at < now() - make_interval(secs => ${jobsOlderThanMs / 1000})
                or (l.created_at < now() - make_interval(secs => ${deadAfterMs / 1000})
                    and l.metadata ? 'instanceId'
                    and not exists (
                      select 1 from ai_instances i
                       where i.id::text = l.metadata->>'instanceId'
                         and i.heartbeat_at >= now() - make_interval(secs => ${deadAfterMs / 1000}))))
         limit 500`),
    );
    await Promise.all(
      stale.map((row) =>
        this.logResponse({
          requestId: row.request_id,
          status: "failed",
          costMicros: 0n,
          usage: { inputTokens: 0, outputTokens: 0, cachedInputTokens: 0 },
          responseSize: 0,
          processingTimeMs: Math.min(Math.round(Number(row.age_ms)), 2_147_483_647),
          errorMessage: "abandoned: the server handling it stopped before it finished; not charged",
          model: null,
          provider: null,
          degraded: false,
          result: null,
        }),
      ),
    );
    return stale.length;
  }

  /** This instance is alive: its pending rows are not to be swept. */
  async beat(): Promise<void> {
    await this.db.execute(sql`
      insert into ai_instances (id) values (${this.instanceId}::uuid)
      on conflict (id) do update set heartbeat_at = now()`);
  }

  /**
   * Beat every `beatMs` and sweep abandoned requests every `sweepMs` until stopped (see
   * reapAbandoned); the sweep also writes completions kept by completeLater and forgets
   * instances gone for an hour. Call after a first `beat()`.
   */
  startReaper(
    opts: { beatMs?: number; sweepMs?: number } = {},
    onError: (err: unknown) => void = () => {},
  ): () => void {
    const beat = setInterval(() => void this.beat().catch(onError), opts.beatMs ?? BEAT_MS);
    const sweep = setInterval(
      () =>
        void (async () => {
          await this.writeUnwritten();
          await this.reapAbandoned();
          await this.db.execute(sql`delete from ai_instances where heartbeat_at < now() - interval '1 hour'`);
        })().catch(onError),
      opts.sweepMs ?? SWEEP_MS,
    );
    beat.unref();
    sweep.unref();
    return () => {
      clearInterval(beat);
      clearInterval(sweep);
    };
  }

  /** This instance stopped cleanly (after draining): it leaves the list of the living. */
  async retire(): Promise<void> {
    await this.writeUnwritten();
    await this.db.execute(sql`delete from ai_instances where id = ${this.instanceId}::uuid`);
  }

  /** Everything submitted so far is written (tests, shutdown). */
  async drain(): Promise<void> {
    await Promise.all([this.admissions.drain(), this.completions.drain(), this.rejections.drain()]);
  }

  private async writeCompletions(batch: Completion[]): Promise<boolean[]> {
    this.wroteBatch("completion", batch.length);
    const payload = JSON.stringify(
      batch.map((c) => ({
        request_id: c.requestId,
        status: c.status,
        cost_micros: c.costMicros.toString(),
        input_tokens: c.usage.inputTokens,
        output_tokens: c.usage.outputTokens,
        cached_input_tokens: c.usage.cachedInputTokens,
        response_size: c.responseSize,
        processing_time_ms: c.processingTimeMs,
        error_message: c.errorMessage,
        model: c.model,
        provider: c.provider,
        degraded: c.degraded,
        result: c.result ?? null,
        latency_bucket: latencyBucketIndex(c.processingTimeMs),
      })),
    );
    // One statement: complete each pending row exactly once (the status guard), and move its
    // reservation to real spend in the daily counters (organization and client) and the month.
    const result = await withDeadlockRetry(() =>
      this.executePrepared(sql`
      with b as (
        select * from jsonb_to_recordset(${payload}::jsonb) as x(
          request_id uuid, status ai_usage_status, cost_micros bigint, input_tokens integer,
          output_tokens integer, cached_input_tokens integer, response_size integer,
          processing_time_ms integer, error_message text, model text, provider text,
          degraded boolean, result jsonb, latency_bucket smallint)
      ), done as (
        update ai_usage_logs l set
          status = b.status,
          success = b.status = 'succeeded',
          cost_usd = b.cost_micros::numeric / 1000000,
          input_tokens = b.input_tokens,
          output_tokens = b.output_tokens,
          cached_input_tokens = b.cached_input_tokens,
          response_size = b.response_size,
          processing_time_ms = b.processing_time_ms,
          error_message = b.error_message,
          model = coalesce(b.model, l.model),
          provider = coalesce(b.provider, l.provider),
          degraded = b.degraded,
          result = b.result,
          -- A failed request frees its idempotency key: retrying it must reach the provider again.
          idempotency_key = case when b.status = 'failed' then null else l.idempotency_key end,
          completed_at = now(),
          event_seq = nextval('ai_usage_event_seq')
        from b
        where l.request_id = b.request_id and l.status = 'pending'
        returning l as usage_row, b.latency_bucket, l.organization_id, l.feature_type, l.client_id,
          l.quota_day, l.reserved_micros, b.cost_micros, l.request_id, l.event_seq
      ),
      -- Every instance hears of the completions, and the rollups and latency histograms move, in
      -- the same statement: never out of step with the log (infra/usage-functions.ts).
      notified as (
        select wedsync_notify_usage(array_agg(wedsync_usage_event(usage_row) order by event_seq)) as payloads from done
      ), rolled as (
        select wedsync_count_usage(array_agg(usage_row order by request_id),
                                   array_agg(latency_bucket order by request_id)) as rows from done
      ),
      -- Counters settle as upserts, never as UPDATE ... FROM a join: under READ COMMITTED a counter
      -- row another transaction changed while this one waited is re-checked against such a join,
      -- and PostgreSQL dropped rows of the UNION ALL's second branch there, silently settling
      -- nothing (issue 11). ON CONFLICT DO UPDATE always updates the row's newest version. The
      -- rows exist (admission made them and never removes one that counted a request); were one
      -- missing, the insert would record the spend rather than lose it. Key order against deadlocks.
      daily as (
        insert into ai_daily_counters as c (organization_id, feature_type, scope, day, requests, reserved_micros, spent_micros)
        select organization_id, feature_type, scope, quota_day, 0, -sum(reserved_micros), sum(cost_micros)
          from (select organization_id, feature_type, 'org' as scope, quota_day, reserved_micros, cost_micros from done
                union all
                select organization_id, feature_type, client_id::text, quota_day, reserved_micros, cost_micros
                  from done where client_id is not null) s
         group by organization_id, feature_type, scope, quota_day
         order by organization_id, feature_type, scope, quota_day
        on conflict (organization_id, feature_type, scope, day) do update set
          reserved_micros = c.reserved_micros + excluded.reserved_micros,
          spent_micros = c.spent_micros + excluded.spent_micros
        returning 1
      ), monthly as (
        insert into ai_monthly_spend as m (organization_id, month, reserved_micros, spent_micros)
        select organization_id, to_char(quota_day, 'YYYY-MM'), -sum(reserved_micros), sum(cost_micros)
          from done group by organization_id, to_char(quota_day, 'YYYY-MM')
         order by organization_id, to_char(quota_day, 'YYYY-MM')
        on conflict (organization_id, month) do update set
          reserved_micros = m.reserved_micros + excluded.reserved_micros,
          spent_micros = m.spent_micros + excluded.spent_micros
        returning 1
      )
      select (select count(*) from done)::int as completed,
             (select count(*) from daily)::int as daily,
             (select count(*) from monthly)::int as monthly,
             (select payloads from notified) as notified,
             (select rows from rolled) as rolled,
             (select coalesce(array_agg(request_id::text), '{}') from done) as completed_ids`),
    );
    const completed = new Set(rowsOf<{ completed_ids: string[] }>(result)[0]?.completed_ids ?? []);
    return batch.map((c) => completed.has(c.requestId));
  }

  private async writeRejections(batch: Rejection[]): Promise<void> {
    this.wroteBatch("rejection", batch.length);
    // The rows' event numbers, rollup counts and change events come from the insert trigger
    // (drizzle/0005), which also covers the rejections admission writes itself.
    await withDeadlockRetry(() =>
      this.db.insert(aiUsageLogs).values(
        batch.map((r) => ({
          requestId: r.requestId,
          organizationId: r.organizationId,
          clientId: r.clientId,
          featureType: r.featureType,
          requestSize: r.requestSize,
          model: r.model,
          status: "rejected" as const,
          rejectionReason: r.reason,
          quotaDay: r.day,
          metadata: r.metadata,
        })),
      ),
    );
  }
}

/**
 * Counter rows are locked in different orders by admission and completion; PostgreSQL breaks the
 * rare deadlock (or serialization failure) by aborting one side, which simply tries again, up to
 * four more times after a few milliseconds. The statements are safe to run twice.
 */
const deadlockRetry = retry(
  handleWhen((err) => {
    const code =
      (err as { cause?: { code?: string }; code?: string }).cause?.code ?? (err as { code?: string }).code;
    return code === "40P01" || code === "40001";
  }),
  { maxAttempts: 4, backoff: new ExponentialBackoff({ initialDelay: 5, maxDelay: 50 }) },
);

function withDeadlockRetry<T>(run: () => Promise<T>): Promise<T> {
  return deadlockRetry.execute(run);
}

/** How often an instance says it is alive, and after how long without a word its requests are swept. */
const BEAT_MS = 2_000;
const DEAD_AFTER_MS = 10_000;

/**
 * The usage rows of background jobs are held by this pseudo-instance ("jobs" in ASCII), kept alive
 * by every instance running the job engine (services/job-service.ts). A job may wait in the queue
 * far longer than a request is ever in flight, so its row keeps its reservation until a much later
 * bound: a job neither finished nor failed by then is lost, and its row is released uncharged.
 */
export const JOBS_INSTANCE_ID = "6a6f6273-0000-4000-8000-000000000000";
export const JOB_ROWS_ABANDONED_AFTER_MS = 6 * 60 * 60_000;
/** How often every instance looks for abandoned requests (and writes completions it kept). */
const SWEEP_MS = 5_000;
/** How long a completion waits out an unreachable database before its caller is failed. */
const COMPLETION_OUTAGE_WAIT_MS = 5_000;
