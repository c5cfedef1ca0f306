import { hostname } from "node:os";
import {
  AppError,
  aiJobs,
  aiUsageLogs,
  fromMicros,
  isFinishedJob,
  type JobRow,
  type JobStatus,
} from "@wedsync/core";
import { and, desc, eq, inArray, lt, or, type SQL, sql } from "drizzle-orm";
import type PgBoss from "pg-boss";
import superjson from "superjson";
import { type Database, type DatabaseHandle, rowsOf } from "../infra/database";
import type { Logger } from "../infra/logger";
import { createJobEngine, executeSqlIn, JOB_SCHEMA } from "../jobs/engine";
import { JobEvents, notifyJobChanged } from "../jobs/job-events";
import {
  type DocumentJobDeps,
  finish,
  finishedFromRow,
  runDocumentJob,
  type StoredAdmission,
} from "../jobs/process-document";
import type { Actor } from "./audit-log";
import { inputText, prepareFeatureInput, type RawFeatureInput } from "./feature-input";
import type { ProcessingService, UsageSummary } from "./processing-service";
import type { StreamItem } from "./realtime-service";
import { type AIUsageTracker, JOBS_INSTANCE_ID } from "./usage-tracker";

/** The pg-boss queue heavy documents wait in (by default). */
export const DOCUMENT_QUEUE = "process-document";

/**
 * The usage rows of queued and running jobs are held by this pseudo-instance (defined beside the
 * reaper, usage-tracker.ts), which every instance running the engine keeps alive: the reaper must
 * not sweep a job's row because the instance that enqueued it stopped, since any instance may run it.
 */
export { JOBS_INSTANCE_ID };

const BEAT_MS = 2_000;

export interface JobServiceOptions {
  /** The queue's name: instances sharing a database and a queue run each other's jobs. */
  queue: string;
  /** Run jobs on this instance (an instance may only enqueue). */
  work: boolean;
  /** Jobs run at once on this instance. */
  concurrency: number;
  pollSeconds: number;
  maintenanceSeconds: number;
  /** A job running longer is taken for dead (its instance crashed) and run again elsewhere. */
  expireSeconds: number;
  /** Runs after the first for retryable provider failures, with exponential backoff from retryDelaySeconds. */
  retryLimit: number;
  retryDelaySeconds: number;
  /** How long a graceful stop waits for running jobs before handing them back to the queue. */
  stopTimeoutMs: number;
  /** This instance's name in ai_jobs.runner. */
  runner?: string | undefined;
}

export const DEFAULT_JOB_OPTIONS: JobServiceOptions = {
  queue: DOCUMENT_QUEUE,
  work: true,
  concurrency: 2,
  pollSeconds: 1,
  maintenanceSeconds: 30,
  expireSeconds: 600,
  retryLimit: 4,
  retryDelaySeconds: 5,
  stopTimeoutMs: 15_000,
};

/** A job as the product shows it. `result` is what clients.process answers, once the job succeeded. */
export function jobView(row: JobRow) {
  return {
    id: row.id,
    clientId: row.clientId,
    featureType: row.featureType,
    status: row.status,
    progress: row.progress,
    requestId: row.requestId,
    attempts: row.attempts,
    result: row.result as { result: unknown; usage: UsageSummary; needsReview: string[] } | null,
    error: row.errorCode ? { code: row.errorCode, message: row.errorMessage ?? "" } : null,
    cancelRequested: row.cancelRequestedAt !== null,
    createdByUserId: row.createdByUserId,
    createdByApiKeyId: row.createdByApiKeyId,
    createdAt: row.createdAt,
    startedAt: row.startedAt,
    finishedAt: row.finishedAt,
    version: row.version,
  };
}
export type JobView = ReturnType<typeof jobView>;

/** clients.process's answer when the request went to a job: its id, and its admission's usage so far. */
export type QueuedAnswer = {
  jobId: string;
  status: JobStatus;
  result: null;
  usage: UsageSummary;
  needsReview: string[];
};

/**
 * Background jobs for heavy documents: enqueue (admission and reservation happen here, so a
 * queued job cannot pass a cap later), follow, list and cancel them; run them on this instance.
 */
export class JobService {
  private boss: PgBoss | null = null;
  private kind: DatabaseHandle["kind"] = "pglite";
  private readonly events: JobEvents;
  private readonly running = new Map<string, AbortController>();
  private readonly workerIds: string[] = [];
  private stopBeat: (() => void) | null = null;
  private unsubscribe: (() => void) | null = null;
  readonly options: JobServiceOptions;

  constructor(
    private readonly db: Database,
    private readonly processing: ProcessingService,
    private readonly tracker: AIUsageTracker,
    private readonly logger: Logger,
    options: Partial<JobServiceOptions> = {},
  ) {
    this.options = { ...DEFAULT_JOB_OPTIONS, ...options };
    this.events = new JobEvents(logger);
  }

  /** The engine on the platform's database, the event channel, and (unless off) this instance's workers. */
  async start(database: DatabaseHandle): Promise<void> {
    this.kind = database.kind;
    await this.beat();
    const beat = setInterval(
      () => void this.beat().catch((err) => this.logger.warn({ err }, "jobs heartbeat failed")),
      BEAT_MS,
    );
    beat.unref();
    this.stopBeat = () => clearInterval(beat);
    const boss = createJobEngine(database, {
      pollSeconds: this.options.pollSeconds,
      maintenanceSeconds: this.options.maintenanceSeconds,
    });
    boss.on("error", (err) => this.logger.warn({ err }, "job engine error"));
    await boss.start();
    await boss.createQueue(this.options.queue, {
      name: this.options.queue,
      retryLimit: this.options.retryLimit,
      retryDelay: this.options.retryDelaySeconds,
      retryBackoff: true,
      expireInSeconds: this.options.expireSeconds,
    });
    this.boss = boss;
    await this.events.start(database);
    // A cancellation asked for on any instance reaches the one running the job.
    this.unsubscribe = this.events.subscribe((message) => {
      if (message.type === "job" && message.event.cancel) {
        this.running.get(message.event.jobId)?.abort(new AppError("CLIENT_CLOSED_REQUEST", "cancelled"));
      }
    });
    if (this.options.work) {
      await this.work();
      const sweep = setInterval(
        () => void this.sweepLost().catch((err) => this.logger.warn({ err }, "sweeping lost jobs failed")),
        this.options.maintenanceSeconds * 1000,
      );
      sweep.unref();
      const stopBeat = this.stopBeat;
      this.stopBeat = () => {
        stopBeat?.();
        clearInterval(sweep);
      };
    }
  }

  /** Start this instance's workers (at start unless `work` is off). */
  async work(): Promise<void> {
    const boss = this.requireBoss();
    const deps = this.documentDeps();
    for (let i = this.workerIds.length; i < this.options.concurrency; i++) {
      this.workerIds.push(
        await boss.work<{ jobId: string }>(
          this.options.queue,
          { pollingIntervalSeconds: this.options.pollSeconds, includeMetadata: true },
          async ([job]) => {
            if (job) await runDocumentJob(deps, job);
          },
        ),
      );
    }
  }

  endStreams(): void {
    this.events.endStreams();
  }

  /**
   * Stop taking jobs, let the running ones finish (up to stopTimeoutMs); any still running then
   * goes back to the queue for another instance, its usage row still pending: nothing is lost.
   */
  async stop(): Promise<void> {
    this.unsubscribe?.();
    await this.boss?.stop({ graceful: true, wait: true, timeout: this.options.stopTimeoutMs, close: false });
    this.boss = null;
    this.stopBeat?.();
    await this.events.stop();
  }

  /** What a job run (jobs/process-document.ts) works with on this instance. */
  private documentDeps(): DocumentJobDeps {
    return {
      db: this.db,
      processing: this.processing,
      tracker: this.tracker,
      runner: this.options.runner ?? `${hostname()}:${process.pid}`,
      running: this.running,
    };
  }

  private async beat(): Promise<void> {
    await this.db.execute(sql`
      insert into ai_instances (id) values (${JOBS_INSTANCE_ID}::uuid)
      on conflict (id) do update set heartbeat_at = now()`);
  }

  private requireBoss(): PgBoss {
    if (!this.boss) {
      throw new AppError("SERVICE_UNAVAILABLE", "Background jobs are not available on this instance", {
        details: { retryAfterSeconds: 2 },
      });
    }
    return this.boss;
  }

  /**
   * clients.process in the background: admission (throttles, configuration, rate limit, daily caps,
   * credit limit) and the reservation now; the provider call later, in a job. The job row, the
   * usage row's hand-over and the queue entry commit together.
   */
  async enqueue(params: {
    organizationId: string;
    clientId: string;
    input: RawFeatureInput;
    idempotencyKey: string | null;
    actor: Actor;
    channel: "trpc" | "mcp";
  }): Promise<QueuedAnswer> {
    const boss = this.requireBoss();
    const featureType = params.input.featureType;
    const admission = await this.processing.admit(
      {
        organizationId: params.organizationId,
        clientId: params.clientId,
        featureType,
        requestSize: JSON.stringify(params.input).length,
        idempotencyKey: params.idempotencyKey,
        idempotentBody: { clientId: params.clientId, input: params.input },
        channel: params.channel,
        actor: params.actor,
      },
      async () => {
        const prepared = await prepareFeatureInput(params.input);
        return { prepared, estimateText: inputText(prepared) };
      },
    );
    if (admission.kind === "replay") return this.replayed(params.organizationId, admission.requestId);

    const { admitted, prepared } = admission;
    const stored: StoredAdmission = {
      requestId: admitted.requestId,
      requestedAt: admitted.requestedAt,
      config: admitted.config,
      maxOutputTokens: admitted.maxOutputTokens,
      customInstructions: admitted.customInstructions,
      remaining: admitted.remaining,
    };
    let jobId: string;
    try {
      jobId = await this.db.transaction(async (tx) => {
        const [row] = await tx
          .insert(aiJobs)
          .values({
            organizationId: params.organizationId,
            clientId: params.clientId,
            featureType,
            requestId: admitted.requestId,
            input: prepared,
            admission: superjson.serialize(stored),
            createdByUserId: params.actor.actorUserId,
            createdByApiKeyId: params.actor.actorApiKeyId,
          })
          .returning({ id: aiJobs.id });
        const id = row!.id;
        await tx
          .update(aiUsageLogs)
          .set({
            metadata: sql`${aiUsageLogs.metadata} || ${JSON.stringify({ instanceId: JOBS_INSTANCE_ID, jobId: id })}::jsonb`,
          })
          .where(and(eq(aiUsageLogs.requestId, admitted.requestId), eq(aiUsageLogs.status, "pending")));
        await boss.send(
          this.options.queue,
          { jobId: id },
          // Level 1 is the most urgent (priorityLevel); pg-boss runs higher numbers first.
          { id, priority: 11 - admitted.config.effective.priorityLevel, db: executeSqlIn(tx, this.kind) },
        );
        return id;
      });
    } catch (err) {
      // Nothing was queued: the reservation is released at once.
      await this.processing.complete(admitted, {
        status: "failed",
        usage: { inputTokens: 0, outputTokens: 0, cachedInputTokens: 0 },
        costMicros: 0n,
        model: null,
        provider: null,
        degraded: false,
        result: null,
        responseSize: 0,
        errorMessage: "could not be queued; not charged",
      });
      throw err;
    }
    // Its completion is the job's now, on whichever instance runs it.
    this.processing.handOff();
    for (const id of this.workerIds) boss.notifyWorker(id);
    return {
      jobId,
      status: "queued",
      result: null,
      needsReview: [],
      usage: {
        requestId: admitted.requestId,
        model: admitted.config.effective.model,
        provider: this.processing.ai.primaryProvider,
        inputTokens: 0,
        outputTokens: 0,
        cachedInputTokens: 0,
        costUsd: "0.000000",
        processingTimeMs: 0,
        remainingRequestsToday: admitted.remaining.requests,
        remainingCostTodayUsd: fromMicros(admitted.remaining.micros, 6),
        degraded: false,
        replayed: false,
      },
    };
  }

  /** The same idempotency key again: the job it started (no second job, no second charge). */
  private async replayed(organizationId: string, requestId: string): Promise<QueuedAnswer> {
    const [row] = await this.db
      .select()
      .from(aiJobs)
      .where(and(eq(aiJobs.organizationId, organizationId), eq(aiJobs.requestId, requestId)));
    if (!row) {
      throw new AppError(
        "CONFLICT",
        "This idempotency key was already used for a request that did not run as a job",
        {
          details: { requestId },
        },
      );
    }
    const usage = await this.processing.replay(requestId).then(
      (r) => r.usage,
      () => null,
    );
    return {
      jobId: row.id,
      status: row.status,
      result: null,
      needsReview: [],
      usage: usage ?? {
        requestId,
        model: null,
        provider: null,
        inputTokens: 0,
        outputTokens: 0,
        cachedInputTokens: 0,
        costUsd: "0.000000",
        processingTimeMs: 0,
        remainingRequestsToday: 0,
        remainingCostTodayUsd: "0.000000",
        degraded: false,
        replayed: true,
      },
    };
  }

  /** One of the organization's jobs; another organization's is NOT_FOUND. */
  async get(organizationId: string, jobId: string): Promise<JobView> {
    return jobView(await this.row(organizationId, jobId));
  }

  private async row(organizationId: string, jobId: string): Promise<JobRow> {
    const [row] = await this.db
      .select()
      .from(aiJobs)
      .where(and(eq(aiJobs.id, jobId), eq(aiJobs.organizationId, organizationId)));
    if (!row) throw new AppError("NOT_FOUND", "Job not found");
    return row;
  }

  /** The organization's jobs, newest first, a page at a time (cursor: the last job of the previous page). */
  async list(params: {
    organizationId: string;
    status?: JobStatus | undefined;
    clientId?: string | undefined;
    cursor?: string | undefined;
    limit: number;
  }): Promise<{ jobs: JobView[]; nextCursor: string | null }> {
    const conditions: SQL[] = [eq(aiJobs.organizationId, params.organizationId)];
    if (params.status) conditions.push(eq(aiJobs.status, params.status));
    if (params.clientId) conditions.push(eq(aiJobs.clientId, params.clientId));
    if (params.cursor) {
      const [after] = await this.db
        .select({ createdAt: aiJobs.createdAt, id: aiJobs.id })
        .from(aiJobs)
        .where(and(eq(aiJobs.id, params.cursor), eq(aiJobs.organizationId, params.organizationId)));
      if (!after) {
        throw new AppError("BAD_REQUEST", "Unknown cursor", {
          fieldErrors: [{ field: "cursor", message: "not a job of this organization" }],
        });
      }
      conditions.push(
        or(
          lt(aiJobs.createdAt, after.createdAt),
          and(eq(aiJobs.createdAt, after.createdAt), lt(aiJobs.id, after.id)),
        )!,
      );
    }
    const rows = await this.db
      .select()
      .from(aiJobs)
      .where(and(...conditions))
      .orderBy(desc(aiJobs.createdAt), desc(aiJobs.id))
      .limit(params.limit + 1);
    const page = rows.slice(0, params.limit);
    return {
      jobs: page.map(jobView),
      nextCursor: rows.length > params.limit ? (page.at(-1)?.id ?? null) : null,
    };
  }

  /**
   * Cancel a job. Queued: it never runs, its usage row completes as failed at no charge and its
   * reservation is released now. Running: the instance running it aborts the provider call, and
   * the row is billed for what the provider consumed, as clients.process does on failure.
   */
  async cancel(organizationId: string, jobId: string): Promise<JobView> {
    const current = await this.row(organizationId, jobId);
    if (isFinishedJob(current.status)) {
      throw new AppError(
        "CONFLICT",
        `The job has already ${current.status === "cancelled" ? "been cancelled" : "finished"}`,
        {
          details: { status: current.status },
        },
      );
    }
    const [cancelled] = await this.db
      .update(aiJobs)
      .set({
        status: "cancelled",
        finishedAt: sql`now()`,
        errorCode: "CANCELLED",
        errorMessage: "Cancelled before it ran; not charged",
        input: null,
        version: sql`${aiJobs.version} + 1`,
      })
      .where(and(eq(aiJobs.id, jobId), eq(aiJobs.status, "queued")))
      .returning();
    if (cancelled) {
      await this.boss?.cancel(this.options.queue, jobId);
      const stored = restoreAdmission(cancelled.admission);
      await this.processing.complete(this.processing.resume(stored), {
        status: "failed",
        usage: { inputTokens: 0, outputTokens: 0, cachedInputTokens: 0 },
        costMicros: 0n,
        model: null,
        provider: null,
        degraded: false,
        result: null,
        responseSize: 0,
        errorMessage: "cancelled before it ran; not charged",
      });
      await notifyJobChanged(this.db, { jobId, organizationId, version: cancelled.version, cancel: false });
      return jobView(cancelled);
    }
    // Running (or it started a moment ago): ask the instance running it to stop.
    const [asked] = await this.db
      .update(aiJobs)
      .set({ cancelRequestedAt: sql`now()`, version: sql`${aiJobs.version} + 1` })
      .where(and(eq(aiJobs.id, jobId), eq(aiJobs.status, "running")))
      .returning();
    if (!asked) return this.get(organizationId, jobId);
    await notifyJobChanged(this.db, { jobId, organizationId, version: asked.version, cancel: true });
    return jobView(asked);
  }

  /**
   * Jobs the engine gave up on without the product hearing of it: every run was lost (its instance
   * died each time, so pg-boss expired it until its retries ran out) or its queue entry is gone.
   * Each ends failed, and its usage row is completed as failed at no charge (its reservation
   * released) unless a lost run had completed it, whose outcome the job then takes. Returns how
   * many were ended. Runs on a timer on every working instance; any instance may end any job.
   */
  async sweepLost(): Promise<number> {
    const lost = rowsOf<{ id: string }>(
      await this.db.execute(sql`
        select j.id from ai_jobs j
         where j.status in ('queued', 'running')
           and j.created_at < now() - interval '10 seconds'
           and not exists (
             select 1 from ${sql.raw(JOB_SCHEMA)}.job b
              where b.id = j.id and b.state in ('created', 'retry', 'active'))
         limit 100`),
    );
    const deps = this.documentDeps();
    let ended = 0;
    for (const { id } of lost) {
      const [row] = await this.db
        .select()
        .from(aiJobs)
        .where(and(eq(aiJobs.id, id), inArray(aiJobs.status, ["queued", "running"])));
      if (!row) continue;
      ended++;
      const stored = restoreAdmission(row.admission);
      // A lost run had completed the row: the job takes its outcome, as a re-run would.
      if (await finishedFromRow(deps, id, stored)) continue;
      await this.processing.complete(this.processing.resume(stored), {
        status: "failed",
        usage: { inputTokens: 0, outputTokens: 0, cachedInputTokens: 0 },
        costMicros: 0n,
        model: null,
        provider: null,
        degraded: false,
        result: null,
        responseSize: 0,
        errorMessage: "the background job was lost; not charged",
      });
      await finish(deps, id, "failed", {
        errorCode: "SERVICE_UNAVAILABLE",
        errorMessage: "The job could not be finished (every run of it was lost); not charged",
      });
    }
    return ended;
  }

  /**
   * A job's changes as they happen: its state now (unless the subscriber already has it,
   * lastEventId), then every change, ending once it has finished. Ids are the job's version.
   */
  async *progress(req: {
    organizationId: string;
    jobId: string;
    lastEventId?: string | null | undefined;
    signal: AbortSignal | undefined;
  }): AsyncGenerator<StreamItem<JobView>> {
    // Listen first, then read: a change between the two is not missed.
    const messages = this.events.stream(req.signal);
    let sent = req.lastEventId ? Number(req.lastEventId) : 0;
    let view = await this.get(req.organizationId, req.jobId);
    const emit = function* () {
      if (view.version > sent) {
        sent = view.version;
        yield { id: String(view.version), data: view };
      }
    };
    yield* emit();
    if (isFinishedJob(view.status)) return;
    for await (const message of messages) {
      if (message.type === "job" && message.event.jobId !== req.jobId) continue;
      view = await this.get(req.organizationId, req.jobId);
      yield* emit();
      if (isFinishedJob(view.status)) return;
    }
  }
}

export function restoreAdmission(stored: unknown): StoredAdmission {
  return superjson.deserialize(stored as Parameters<typeof superjson.deserialize>[0]) as StoredAdmission;
}
