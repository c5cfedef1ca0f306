import { randomUUID } from "node:crypto";
import {
  AppError,
  aiDailyCounters,
  applyFeatureSettings,
  type CustomPrompts,
  clientInstructions,
  configRejection,
  dayInTimezone,
  type FeatureSettings,
  type FeatureType,
  fromMicros,
  monthInTimezone,
  type RejectionReason,
  remainingToday,
  secondsUntilNextDay,
  type TokenUsage,
  toMicros,
} from "@wedsync/core";
import { and, eq, inArray } from "drizzle-orm";
import { asDatabaseUnavailable, DATABASE_RETRY_AFTER_SECONDS, type Database } from "../infra/database";
import { type AttemptUsage, ProviderError } from "../providers/types";
import { type AIService, type ConsumedCost, DEFAULT_MAX_OUTPUT_TOKENS } from "./ai-service";
import type { Actor } from "./audit-log";
import type { ConfigCache } from "./config-cache";
import { inputText, prepareFeatureInput, type RawFeatureInput } from "./feature-input";
import type { RequestConfig } from "./request-config";
import type { ThrottleGate } from "./throttle-service";
import { type AIUsageTracker, rateLimitKey, requestHash } from "./usage-tracker";

const QUOTA_MESSAGES: Record<
  Exclude<RejectionReason, "feature_disabled" | "tier" | "rate_limited" | "throttled">,
  string
> = {
  daily_request_cap: "The daily request cap for this feature is reached",
  daily_cost_cap: "The daily cost cap for this feature is reached",
  credit_limit: "The organization's monthly credit limit is reached",
};

export interface AdmissionParams {
  organizationId: string;
  clientId: string | null;
  featureType: FeatureType;
  requestSize: number;
  idempotencyKey: string | null;
  /** What makes two requests "the same" for idempotency. */
  idempotentBody: unknown;
  /** The surface the request came in on, kept in the usage row's metadata so analytics can tell them apart. */
  channel: "trpc" | "openai" | "mcp";
  actor: Actor;
}

/** An admitted request: its pending usage row exists and its worst-case cost is reserved. */
export interface Admitted {
  requestId: string;
  requestedAt: Date;
  config: RequestConfig;
  maxOutputTokens: number;
  customInstructions: string | null;
  remaining: { requests: number; micros: bigint };
  startedAt: number;
}

/** A retry of a request already made with the same idempotency key. */
export interface Replay {
  kind: "replay";
  requestId: string;
  /** The configuration admission read (the client's settings shape the replayed answer too). */
  config: RequestConfig;
}

export interface UsageSummary {
  requestId: string;
  model: string | null;
  provider: string | null;
  inputTokens: number;
  outputTokens: number;
  cachedInputTokens: number;
  /** Exact, to the micro-dollar. */
  costUsd: string;
  processingTimeMs: number;
  remainingRequestsToday: number;
  remainingCostTodayUsd: string;
  degraded: boolean;
  /** True when this is the stored answer to an earlier request with the same idempotency key. */
  replayed: boolean;
}

/**
 * The governed path every AI request takes: emergency throttles, configuration, rate limit, daily
 * caps and credit limit (admission, in that order, before any provider call), the provider, and
 * exactly one completed usage row. clients.process and the OpenAI-compatible endpoint both go
 * through here.
 */
export class ProcessingService {
  /** Admitted requests not yet completed: shutdown waits for them so no usage row stays pending. */
  private inFlight = 0;
  private readonly idleWaiters: Array<() => void> = [];

  constructor(
    private readonly db: Database,
    private readonly tracker: AIUsageTracker,
    readonly ai: AIService,
    private readonly configs: ConfigCache,
    private readonly throttles: ThrottleGate,
  ) {}

  async process(
    params: {
      organizationId: string;
      clientId: string;
      input: RawFeatureInput;
      idempotencyKey: string | null;
      actor: Actor;
      /** clients.process called over /trpc (the default) or through the MCP server. */
      channel?: "trpc" | "mcp";
    },
    signal: AbortSignal,
  ) {
    const featureType = params.input.featureType;
    const admission = await this.admit(
      {
        organizationId: params.organizationId,
        clientId: params.clientId,
        featureType,
        requestSize: JSON.stringify(params.input).length,
        idempotencyKey: params.idempotencyKey,
        idempotentBody: { clientId: params.clientId, input: params.input },
        channel: params.channel ?? "trpc",
        actor: params.actor,
      },
      async () => {
        const prepared = await prepareFeatureInput(params.input);
        return { prepared, estimateText: inputText(prepared) };
      },
    );
    if (admission.kind === "replay") {
      const replayed = await this.replay(admission.requestId);
      const { needsReview } = applyFeatureSettings(
        featureType,
        replayed.result,
        admission.config.clientOverride?.featureSettings,
      );
      return { ...replayed, needsReview };
    }

    const { admitted, prepared } = admission;
    const override = admitted.config.clientOverride;
    const preferences = override?.processingPreferences;
    // What each provider attempt consumed: a request that fails is still billed for it.
    const attempts: AttemptUsage[] = [];
    try {
      const result = await this.ai.processWithPlatformConfig({
        effective: admitted.config.effective,
        input: prepared,
        customInstructions: admitted.customInstructions,
        maxOutputTokens: admitted.maxOutputTokens,
        requestedAt: admitted.requestedAt,
        signal,
        route: { provider: preferences?.preferredProvider, fallback: preferences?.allowFallback },
        dateFormat: preferences?.dateFormat,
        currency: preferences?.currency,
        attempts,
      });
      // The client's settings shape what it gets back, and what an idempotent retry replays.
      const { output, needsReview } = applyFeatureSettings(
        featureType,
        result.output,
        override?.featureSettings,
      );
      const usage = await this.complete(admitted, {
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
      return { result: output, usage, needsReview };
    } catch (err) {
      const consumed = await this.ai.billConsumed(
        attempts,
        admitted.config.effective.model,
        admitted.requestedAt,
      );
      await this.complete(admitted, failedOutcome(err, consumed));
      throw asCallerError(err, signal);
    }
  }

  /**
   * Admission. `prepare` turns the input into what the provider takes (a PDF into text) and the
   * text the cost reservation is based on; it runs after the rate limit and before any
   * reservation, so bad input is never billed.
   */
  async admit<P>(
    params: AdmissionParams,
    prepare: () => Promise<{ prepared: P; estimateText: string }>,
  ): Promise<{ kind: "admitted"; admitted: Admitted; prepared: P } | Replay> {
    const requestedAt = new Date();
    // 0. Emergency throttles set by platform staff, first of all: from memory (a cap also counts
    // in its own limiter keys), before the rate limit and before any reservation.
    const throttled = await this.throttles.check(params.organizationId, params.featureType, requestedAt);
    const config = await this.configs.get(params.organizationId, params.featureType, params.clientId);
    const { organization: org, platform, effective } = config;
    const requestId = randomUUID();
    const metadata = { channel: params.channel, ...params.actor };
    // The organization's day and month, by this clock: what the request counts on, admitted or not.
    const day = dayInTimezone(requestedAt, org.timezone);
    const reject = async (reason: RejectionReason) =>
      this.tracker.logRejection({
        requestId,
        organizationId: org.id,
        clientId: params.clientId,
        featureType: params.featureType,
        day,
        reason,
        requestSize: params.requestSize,
        model: effective.model,
        metadata,
      });

    // Recorded like every refusal before the caps: a rejected row, never billed.
    if (throttled) {
      await reject("throttled");
      throw throttled;
    }

    // 1. The effective configuration: feature on, and allowed on the tier.
    const refused = configRejection(org.subscriptionTier, params.featureType, effective);
    if (refused) {
      await reject(refused.reason);
      throw new AppError("FORBIDDEN", refused.message, { details: { reason: refused.reason } });
    }

    // 2. Rate limit per organization and feature per minute (and per client where it is tighter).
    // The client's tighter limit is checked first, so a request it refuses does not use up a
    // slot of the organization-wide limit that the organization's other clients share.
    const keys: Array<[string, number]> = [
      [rateLimitKey(org.id, params.featureType), platform.rateLimitPerMinute],
    ];
    if (params.clientId && effective.rateLimitPerMinute < platform.rateLimitPerMinute) {
      keys.unshift([rateLimitKey(org.id, params.featureType, params.clientId), effective.rateLimitPerMinute]);
    }
    for (const [key, limit] of keys) {
      const rl = await this.tracker.checkRateLimit(key, limit);
      if (!rl.success) {
        await reject("rate_limited");
        const retryAfterSeconds = Math.max(1, Math.ceil((rl.reset - Date.now()) / 1000));
        throw new AppError(
          "TOO_MANY_REQUESTS",
          `Rate limit of ${rl.limit} requests a minute reached; retry in ${retryAfterSeconds} s`,
          {
            details: { reason: "rate_limited", retryAfterSeconds, limit: rl.limit, remaining: rl.remaining },
          },
        );
      }
    }

    const { prepared, estimateText } = await prepare();
    // 3 and 4. Daily request and cost caps, then the monthly credit limit: one atomic round trip.
    const { customInstructions, maxOutputTokens, estimateMicros } = await this.reservation({
      featureType: params.featureType,
      model: effective.model,
      estimateText,
      clientOverride: config.clientOverride,
      at: requestedAt,
    });
    const orgMaxMicros = toMicros(platform.maxCostPerDay);
    const clientMaxMicros = params.clientId ? toMicros(effective.maxCostPerDay) : null;
    const outcome = await this.tracker.logRequest({
      requestId,
      organizationId: org.id,
      clientId: params.clientId,
      featureType: params.featureType,
      day,
      month: monthInTimezone(requestedAt, org.timezone),
      orgMaxRequests: platform.maxRequestsPerDay,
      orgMaxMicros,
      clientMaxRequests: params.clientId ? effective.maxRequestsPerDay : null,
      clientMaxMicros,
      creditLimitMicros: toMicros(org.monthlyCreditLimit),
      estimateMicros,
      idempotencyKey: params.idempotencyKey,
      requestHash: params.idempotencyKey ? requestHash(params.idempotentBody) : null,
      requestSize: params.requestSize,
      model: effective.model,
      provider: this.ai.primaryProvider,
      metadata,
    });
    switch (outcome.outcome) {
      case "duplicate":
        return { kind: "replay", requestId: outcome.requestId, config };
      case "conflict":
        throw new AppError("CONFLICT", "This idempotency key was already used for a different request", {
          details: { requestId: outcome.requestId },
        });
      case "rejected": {
        const reason = outcome.reason as keyof typeof QUOTA_MESSAGES;
        const retryAfterSeconds =
          reason === "credit_limit" ? null : secondsUntilNextDay(requestedAt, org.timezone);
        throw new AppError(
          reason === "credit_limit" ? "PAYMENT_REQUIRED" : "TOO_MANY_REQUESTS",
          QUOTA_MESSAGES[reason],
          {
            details: { reason, retryAfterSeconds },
          },
        );
      }
    }
    const remaining = remainingToday([
      {
        used: outcome.org.requests,
        max: platform.maxRequestsPerDay,
        usedMicros: outcome.org.usedMicros,
        maxMicros: orgMaxMicros,
      },
      outcome.client && clientMaxMicros !== null
        ? {
            used: outcome.client.requests,
            max: effective.maxRequestsPerDay,
            usedMicros: outcome.client.usedMicros,
            maxMicros: clientMaxMicros,
          }
        : null,
    ]);
    this.inFlight++;
    return {
      kind: "admitted",
      admitted: {
        requestId,
        requestedAt,
        config,
        maxOutputTokens,
        customInstructions,
        remaining,
        startedAt: performance.now(),
      },
      prepared,
    };
  }

  /** Complete the request's usage row (durable before this resolves) and summarise its usage. */
  async complete(
    admitted: Admitted,
    outcome: {
      status: "succeeded" | "failed";
      usage: TokenUsage;
      costMicros: bigint;
      model: string | null;
      provider: string | null;
      degraded: boolean;
      result: unknown;
      responseSize: number;
      errorMessage: string | null;
    },
  ): Promise<UsageSummary> {
    const processingTimeMs = Math.round(performance.now() - admitted.startedAt);
    const completion = { requestId: admitted.requestId, processingTimeMs, ...outcome };
    let recorded: boolean;
    try {
      recorded = await this.tracker.logResponse(completion);
    } catch (err) {
      // Not durable, so not answered: the caller is told to retry, and the row is completed as
      // failed once the database is back rather than holding its reservation until swept.
      this.tracker.completeLater({
        ...completion,
        status: "failed",
        result: null,
        errorMessage: "not recorded in time: the database was unreachable when the request finished",
      });
      throw asDatabaseUnavailable(err);
    } finally {
      this.settle();
    }
    if (!recorded && outcome.status === "succeeded") {
      // The row was swept as abandoned while this instance could not reach the database: the
      // answer has no usage row to stand on, so it is not given.
      throw new AppError(
        "SERVICE_UNAVAILABLE",
        "The request could not be recorded; it was not charged. Retry it",
        {
          details: { reason: "not_recorded", retryAfterSeconds: DATABASE_RETRY_AFTER_SECONDS },
        },
      );
    }
    return {
      requestId: admitted.requestId,
      model: outcome.model,
      provider: outcome.provider,
      inputTokens: outcome.usage.inputTokens,
      outputTokens: outcome.usage.outputTokens,
      cachedInputTokens: outcome.usage.cachedInputTokens,
      costUsd: fromMicros(outcome.costMicros, 6),
      processingTimeMs,
      remainingRequestsToday: admitted.remaining.requests,
      // The reservation was the worst case; what the request really cost is given back.
      remainingCostTodayUsd: fromMicros(admitted.remaining.micros, 6),
      degraded: outcome.degraded,
      replayed: false,
    };
  }

  /**
   * What admission reserves for a request against the daily cost cap and the credit limit: its
   * input at the token bound (with the client's own instructions, which go into the prompt too)
   * plus the client's whole output budget, at the model's price. MCP's estimate_cost shows the same.
   */
  async reservation(p: {
    featureType: FeatureType;
    model: string;
    estimateText: string;
    clientOverride:
      | { customPrompts?: CustomPrompts | null; featureSettings?: FeatureSettings | null }
      | null
      | undefined;
    at: Date;
  }): Promise<{ customInstructions: string | null; maxOutputTokens: number; estimateMicros: bigint }> {
    const customInstructions = clientInstructions(
      p.featureType,
      p.clientOverride?.customPrompts,
      p.clientOverride?.featureSettings,
    );
    const maxOutputTokens = p.clientOverride?.featureSettings?.maxOutputTokens ?? DEFAULT_MAX_OUTPUT_TOKENS;
    const estimateMicros = await this.ai.estimateCost({
      model: p.model,
      inputText: customInstructions ? `${p.estimateText}\n${customInstructions}` : p.estimateText,
      maxOutputTokens,
      at: p.at,
    });
    return { customInstructions, maxOutputTokens, estimateMicros };
  }

  /**
   * Background jobs (jobs/): a request admitted here and handed to a job is no longer this
   * instance's to wait for at shutdown (whichever instance runs the job completes its row).
   */
  handOff(): void {
    this.settle();
  }

  /** A background job takes up an admitted request: it counts as in flight here until completed (or handed off again). */
  resume(admitted: Omit<Admitted, "startedAt">): Admitted {
    this.inFlight++;
    return { ...admitted, startedAt: performance.now() };
  }

  private settle(): void {
    if (--this.inFlight === 0) for (const wake of this.idleWaiters.splice(0)) wake();
  }

  /** Resolves when every admitted request has been completed (or after `timeoutMs`). */
  async idle(timeoutMs: number): Promise<void> {
    if (this.inFlight === 0) return;
    await Promise.race([
      new Promise<void>((resolve) => this.idleWaiters.push(resolve)),
      new Promise<void>((resolve) => setTimeout(resolve, timeoutMs).unref()),
    ]);
  }

  /** The stored answer to an earlier request with the same idempotency key: no provider call, no charge. */
  async replay(requestId: string): Promise<{ result: unknown; usage: UsageSummary }> {
    const row = await this.tracker.findByRequestId(requestId);
    if (!row) throw new AppError("NOT_FOUND", "Request not found");
    // Both answers say when to ask again (a Retry-After header on /v1 and on /trpc): the first
    // request is still running, or it failed a moment ago and gave its key back.
    const retryAfterSeconds = 1;
    if (row.status === "pending") {
      throw new AppError(
        "CONFLICT",
        "A request with this idempotency key is still being processed; retry shortly",
        {
          details: { requestId, retryAfterSeconds },
        },
      );
    }
    if (row.status !== "succeeded") {
      throw new AppError(
        "SERVICE_UNAVAILABLE",
        `The earlier request with this idempotency key failed: ${row.errorMessage ?? "unknown error"}`,
        {
          details: { requestId, retryAfterSeconds },
        },
      );
    }
    const counters = await this.db
      .select()
      .from(aiDailyCounters)
      .where(
        and(
          eq(aiDailyCounters.organizationId, row.organizationId),
          eq(aiDailyCounters.featureType, row.featureType),
          eq(aiDailyCounters.day, row.quotaDay ?? ""),
          inArray(aiDailyCounters.scope, row.clientId ? ["org", row.clientId] : ["org"]),
        ),
      );
    const config = await this.configs.get(row.organizationId, row.featureType, row.clientId);
    const remaining = remainingToday(
      counters.map((c) => {
        const org = c.scope === "org";
        return {
          used: c.requests,
          max: org ? config.platform.maxRequestsPerDay : config.effective.maxRequestsPerDay,
          usedMicros: c.reservedMicros + c.spentMicros,
          maxMicros: toMicros(org ? config.platform.maxCostPerDay : config.effective.maxCostPerDay),
        };
      }),
    );
    return {
      result: row.result,
      usage: {
        requestId: row.requestId,
        model: row.model,
        provider: row.provider,
        inputTokens: row.inputTokens,
        outputTokens: row.outputTokens,
        cachedInputTokens: row.cachedInputTokens,
        costUsd: row.costUsd ?? "0.000000",
        processingTimeMs: row.processingTimeMs ?? 0,
        remainingRequestsToday: remaining.requests,
        remainingCostTodayUsd: fromMicros(remaining.micros, 6),
        degraded: row.degraded,
        replayed: true,
      },
    };
  }
}

const NOTHING_CONSUMED: ConsumedCost = {
  usage: { inputTokens: 0, outputTokens: 0, cachedInputTokens: 0 },
  costMicros: 0n,
  charged: null,
  last: null,
  pricingError: null,
};

/**
 * A failed call is recorded with what its attempts consumed (AIService.billConsumed): the tokens
 * an upstream charged for before the call failed, at their exact cost; nothing when no attempt
 * consumed any. The provider and model are those of the last attempt that consumed tokens (none:
 * the row keeps what admission wrote, the primary provider and the configured model).
 */
export function failedOutcome(err: unknown, consumed: ConsumedCost = NOTHING_CONSUMED) {
  const message = err instanceof Error ? err.message : String(err);
  return {
    status: "failed" as const,
    usage: consumed.usage,
    costMicros: consumed.costMicros,
    model: consumed.last?.model ?? null,
    provider: consumed.last?.provider ?? null,
    degraded: false,
    result: null,
    responseSize: 0,
    errorMessage: (consumed.pricingError && consumed.pricingError !== message
      ? `${message} (consumed tokens not charged: ${consumed.pricingError})`
      : message
    ).slice(0, 1_000),
  };
}

/** Provider failures are the platform's problem, not the caller's input: 503, never a 500. */
export function asCallerError(err: unknown, signal?: AbortSignal): unknown {
  if (err instanceof AppError) return err;
  if (signal?.aborted)
    return new AppError("CLIENT_CLOSED_REQUEST", "The request was cancelled", { cause: err });
  if (err instanceof ProviderError) {
    const status = err.opts.status;
    // The upstream refused what was sent (too long for the model, a bad parameter): the caller can fix it.
    if (
      status !== undefined &&
      status >= 400 &&
      status < 500 &&
      status !== 401 &&
      status !== 403 &&
      status !== 429
    ) {
      return new AppError("BAD_REQUEST", `The AI provider refused the request: ${err.message}`, {
        cause: err,
      });
    }
    return new AppError("SERVICE_UNAVAILABLE", "The AI provider is unavailable; try again shortly", {
      cause: err,
    });
  }
  if (err instanceof Error && err.name === "AbortError") {
    return new AppError("CLIENT_CLOSED_REQUEST", "The request was cancelled", { cause: err });
  }
  return err;
}
