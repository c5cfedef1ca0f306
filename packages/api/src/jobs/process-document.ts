/**
 * The `process-document` job: the provider call of a request admitted at enqueue, and the
 * completion of that request's one usage row. A job may run more than once (a retry after a
 * retryable provider failure, a re-run after its instance died or its time ran out), so every run
 * first looks at the row: once the row is no longer pending the job only records what the row
 * says, and the provider is never called for it again. The row completes only from pending
 * (usage-tracker.ts), so the request is billed once whatever happens to the job.
 */
import { AppError, aiJobs, applyFeatureSettings, type JobStatus } from "@wedsync/core";
import { and, eq, inArray, sql } from "drizzle-orm";
import type PgBoss from "pg-boss";
import superjson from "superjson";
import type { Database } from "../infra/database";
import { isProviderFault } from "../providers/resilience";
import type { AttemptUsage, FeatureInput } from "../providers/types";
import {
  type Admitted,
  asCallerError,
  failedOutcome,
  type ProcessingService,
  type UsageSummary,
} from "../services/processing-service";
import type { AIUsageTracker } from "../services/usage-tracker";
import { notifyJobChanged } from "./job-events";

/** What admission decided, kept with the job so any instance runs it exactly as admitted. */
export type StoredAdmission = Omit<Admitted, "startedAt">;

export interface DocumentJobDeps {
  db: Database;
  processing: ProcessingService;
  tracker: AIUsageTracker;
  /** This instance's name, written to ai_jobs.runner. */
  runner: string;
  /** Jobs running here by id: jobs.cancel (from any instance) aborts them. */
  running: Map<string, AbortController>;
}

type Answer = { result: unknown; usage: UsageSummary; needsReview: string[] };

export async function runDocumentJob(
  deps: DocumentJobDeps,
  job: PgBoss.JobWithMetadata<{ jobId: string }>,
): Promise<void> {
  const { db, processing } = deps;
  const jobId = job.data.jobId;
  // Claim it: a cancelled or finished job is not run again.
  const [row] = await db
    .update(aiJobs)
    .set({
      status: "running",
      attempts: sql`${aiJobs.attempts} + 1`,
      startedAt: sql`coalesce(${aiJobs.startedAt}, now())`,
      runner: deps.runner,
      progress: sql`greatest(${aiJobs.progress}, 10)`,
      version: sql`${aiJobs.version} + 1`,
    })
    .where(and(eq(aiJobs.id, jobId), inArray(aiJobs.status, ["queued", "running"])))
    .returning();
  if (!row) return;
  await notify(deps, row);

  const stored = superjson.deserialize(
    row.admission as Parameters<typeof superjson.deserialize>[0],
  ) as StoredAdmission;
  // A run before this one completed the row (and then its instance died, or it ran out of time).
  if (await finishedFromRow(deps, jobId, stored)) return;

  const controller = new AbortController();
  deps.running.set(jobId, controller);
  if (row.cancelRequestedAt) controller.abort(new AppError("CLIENT_CLOSED_REQUEST", "cancelled"));
  const admitted = processing.resume(stored);
  const override = admitted.config.clientOverride;
  const preferences = override?.processingPreferences;
  const attempts: AttemptUsage[] = [];
  let result: Awaited<ReturnType<typeof processing.ai.processWithPlatformConfig>>;
  try {
    result = await processing.ai.processWithPlatformConfig({
      effective: admitted.config.effective,
      input: row.input as FeatureInput,
      customInstructions: admitted.customInstructions,
      maxOutputTokens: admitted.maxOutputTokens,
      requestedAt: admitted.requestedAt,
      signal: controller.signal,
      route: { provider: preferences?.preferredProvider, fallback: preferences?.allowFallback },
      dateFormat: preferences?.dateFormat,
      currency: preferences?.currency,
      attempts,
      // Nobody is waiting on the answer: a person's request of the same band goes first.
      background: true,
    });
  } catch (err) {
    deps.running.delete(jobId);
    const cancelled = controller.signal.aborted;
    const consumed = await processing.ai.billConsumed(
      attempts,
      admitted.config.effective.model,
      admitted.requestedAt,
    );
    // Retried by the engine, with backoff, when the provider is at fault and charged nothing: the
    // row stays pending (its reservation held) for the next run.
    const retry =
      !cancelled &&
      isProviderFault(err) &&
      consumed.costMicros === 0n &&
      consumed.usage.inputTokens + consumed.usage.outputTokens === 0 &&
      job.retryCount < job.retryLimit;
    if (retry) {
      processing.handOff();
      await finish(deps, jobId, "queued", {
        errorCode: "SERVICE_UNAVAILABLE",
        errorMessage: `Attempt ${job.retryCount + 1} failed (${(err as Error).message}); retrying`,
      });
      throw err;
    }
    try {
      await processing.complete(admitted, failedOutcome(err, consumed));
    } catch (recordErr) {
      if (await finishedFromRow(deps, jobId, stored)) return;
      throw recordErr;
    }
    const caller = asCallerError(err, controller.signal);
    await finish(deps, jobId, cancelled ? "cancelled" : "failed", {
      errorCode: cancelled ? "CANCELLED" : caller instanceof AppError ? caller.code : "INTERNAL_SERVER_ERROR",
      errorMessage: cancelled
        ? "Cancelled while running; billed for what the provider consumed"
        : caller instanceof AppError
          ? caller.message
          : "The job failed unexpectedly",
    });
    return;
  }
  deps.running.delete(jobId);
  await progress(deps, jobId, 90);
  const { output, needsReview } = applyFeatureSettings(
    row.featureType,
    result.output,
    override?.featureSettings,
  );
  let usage: UsageSummary;
  try {
    usage = await processing.complete(admitted, {
      status: "succeeded",
      usage: result.usageTokens,
      costMicros: result.costMicros,
      model: result.model,
      provider: result.provider,
      degraded: result.degraded,
      result: output,
      responseSize: JSON.stringify(output).length,
      errorMessage: null,
    });
  } catch (err) {
    // Not recorded: the row was completed meanwhile (then it says what happened), or the database
    // is away (then the engine runs the job again and it finds the row as it is by then).
    if (await finishedFromRow(deps, jobId, stored)) return;
    throw err;
  }
  await finish(deps, jobId, "succeeded", {
    result: { result: output, usage, needsReview },
    errorCode: null,
    errorMessage: null,
  });
}

/**
 * When the usage row is no longer pending, the job records its outcome from the row (the stored
 * answer, or the failure) without calling the provider. False while the row is still pending.
 */
export async function finishedFromRow(deps: DocumentJobDeps, jobId: string, stored: StoredAdmission) {
  const row = await deps.tracker.findByRequestId(stored.requestId);
  if (!row || row.status === "pending") return false;
  if (row.status === "succeeded") {
    const replayed = await deps.processing.replay(stored.requestId);
    const { needsReview } = applyFeatureSettings(
      row.featureType,
      replayed.result,
      stored.config.clientOverride?.featureSettings,
    );
    await finish(deps, jobId, "succeeded", {
      result: { result: replayed.result, usage: { ...replayed.usage, replayed: false }, needsReview },
      errorCode: null,
      errorMessage: null,
    });
  } else {
    await finish(deps, jobId, "failed", {
      errorCode: "SERVICE_UNAVAILABLE",
      errorMessage: row.errorMessage ?? "The request failed",
    });
  }
  return true;
}

async function progress(deps: DocumentJobDeps, jobId: string, percent: number) {
  const [row] = await deps.db
    .update(aiJobs)
    .set({ progress: percent, version: sql`${aiJobs.version} + 1` })
    .where(and(eq(aiJobs.id, jobId), eq(aiJobs.status, "running")))
    .returning();
  if (row) await notify(deps, row);
}

export async function finish(
  deps: DocumentJobDeps,
  jobId: string,
  status: JobStatus,
  fields: { result?: Answer; errorCode: string | null; errorMessage: string | null },
) {
  const done = status !== "queued";
  const [row] = await deps.db
    .update(aiJobs)
    .set({
      status,
      progress: status === "succeeded" ? 100 : done ? sql`${aiJobs.progress}` : 0,
      result: fields.result ?? null,
      errorCode: fields.errorCode,
      errorMessage: fields.errorMessage,
      ...(done && { finishedAt: sql`now()`, input: null }),
      version: sql`${aiJobs.version} + 1`,
    })
    .where(and(eq(aiJobs.id, jobId), inArray(aiJobs.status, ["queued", "running"])))
    .returning();
  if (row) await notify(deps, row);
}

function notify(deps: DocumentJobDeps, row: { id: string; organizationId: string; version: number }) {
  return notifyJobChanged(deps.db, {
    jobId: row.id,
    organizationId: row.organizationId,
    version: row.version,
    cancel: false,
  });
}
