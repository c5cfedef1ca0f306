import type { RequestPriority } from "@wedsync/core";
import {
  BrokenCircuitError,
  type CircuitBreakerPolicy,
  CircuitState,
  ConsecutiveBreaker,
  circuitBreaker,
  ExponentialBackoff,
  type GeneratorFn,
  handleWhen,
  type IBackoff,
  type IBackoffFactory,
  type IRetryBackoffContext,
  noJitterGenerator,
  retry,
  TaskCancelledError,
  type TimeoutPolicy,
  TimeoutStrategy,
  timeout,
} from "cockatiel";
import { linkSignals } from "../lib/signals";
import { InvalidResultError } from "./openai-provider";
import type { GateSnapshot, Permit, ProviderGate } from "./provider-gate";
import { type CircuitStateName, FailureLog, type ProviderHealth } from "./provider-health";
import {
  type AIProvider,
  type AttemptUsage,
  type ChatChunk,
  type ChatRequest,
  type ChatResult,
  type ChatStream,
  ProviderError,
  type ProviderRequest,
  type ProviderResult,
} from "./types";

/** A provider's result, plus whether a fallback (not the primary) produced it. */
export type Resilient<T> = T & { degraded: boolean };

export type Operation = "process" | "chat" | "chatStream";

export type ResilienceEvent =
  /** An attempt failed with a retryable error; the next starts after delayMs. */
  | {
      type: "retry";
      provider: string;
      operation: Operation;
      attempt: number;
      delayMs: number;
      error: unknown;
    }
  /** The call moves on to the next provider. */
  | {
      type: "fallback";
      from: string;
      to: string;
      operation: Operation;
      reason: "circuit_open" | "failed";
      error: unknown;
    }
  | { type: "circuit"; provider: string; state: CircuitStateName; error?: unknown };

export interface ResilienceOptions {
  /** Primary first, then the fallbacks in order. */
  providers: AIProvider[];
  /** Per attempt (for streams: until the first chunk). */
  timeoutMs: number;
  retry: {
    /** Attempts per provider per call, the first included (1 = no retries). */
    maxAttempts: number;
    initialDelayMs: number;
    maxDelayMs: number;
    /** A Retry-After longer than this is not waited for: the call falls back instead. Default 30 s. */
    maxRetryAfterMs?: number;
    /**
     * The time one call may spend on one provider (attempts and waits) before a retry must have
     * started; a wait that would end later falls back instead. Default timeoutMs × maxAttempts.
     */
    budgetMs?: number;
    /** Jitter source, for tests. Default Math.random. */
    random?: () => number;
  };
  breaker: {
    /** Failed calls in a row that open the circuit. */
    failureThreshold: number;
    /** How long an open circuit rejects calls before letting one trial call through. */
    halfOpenAfterMs: number;
  };
  onEvent?: (e: ResilienceEvent) => void;
  /**
   * Per provider (by name), the bound on its concurrent calls: each attempt waits for a slot in
   * priority order (the request's `priority`), outside its timeout. A refusal at the wait bound is
   * not the provider's fault: no retry, no fallback, no breaker failure. Ungated when absent.
   */
  gates?: Readonly<Record<string, ProviderGate>>;
}

/** A client's say in which provider serves it (its processing preferences). */
export interface ProviderRoute {
  /** Start with this provider (by name) instead of the primary; unknown names are ignored. */
  provider?: string | undefined;
  /** false: only the first provider of the route, never a fallback (default true). */
  fallback?: boolean | undefined;
}

/**
 * Receives, in order, what each failed attempt of one call consumed: an upstream that answered
 * (and charged) with something that could not be used. The answer's own usage is on the result;
 * together they are what the call cost. Filled whether the call then succeeds or fails.
 */
export type FailedAttempts = AttemptUsage[];

export interface ResilientProvider extends AIProvider {
  /** `degraded` when a provider other than the route's first answered. */
  process(
    req: ProviderRequest,
    signal: AbortSignal,
    route?: ProviderRoute,
    failedAttempts?: FailedAttempts,
  ): Promise<Resilient<ProviderResult>>;
  chat(
    req: ChatRequest,
    signal: AbortSignal,
    failedAttempts?: FailedAttempts,
  ): Promise<Resilient<ChatResult>>;
  chatStream(
    req: ChatRequest,
    signal: AbortSignal,
    failedAttempts?: FailedAttempts,
  ): Promise<Resilient<ChatStream>>;
  health(): ProviderHealth[];
  /** Each gated provider's slots and queue, for metrics. */
  queues(): GateSnapshot[];
}

/** Upstream statuses that mean "this provider is misconfigured or refusing us", not "the caller sent something bad". */
const PROVIDER_SIDE_STATUSES = new Set([401, 403]);

/**
 * Whether an error is the provider's fault: it counts against the breaker and the call may fall back.
 * Anything else (a 400, the local engine's BAD_REQUEST, an abort) is rethrown as it is.
 */
export function isProviderFault(e: unknown): boolean {
  if (!(e instanceof ProviderError)) return false;
  return (
    e.opts.retryable ||
    e instanceof InvalidResultError ||
    (e.opts.status !== undefined && PROVIDER_SIDE_STATUSES.has(e.opts.status))
  );
}

const stateName = (s: CircuitState): CircuitStateName =>
  s === CircuitState.Closed ? "closed" : s === CircuitState.HalfOpen ? "half-open" : "open";

const abortedError = (signal: AbortSignal, cause?: unknown) =>
  new ProviderError("request aborted", { retryable: false, cause: cause ?? signal.reason });

/** Full jitter (a uniform delay between 0 and the exponential step), with an injectable random source. */
const fullJitter =
  (random: () => number): GeneratorFn<number> =>
  (state, options) => {
    const [delay, next] = noJitterGenerator(state, options);
    return [Math.floor(random() * delay), next];
  };

const retryAfterOf = (ctx: IRetryBackoffContext<unknown>): number => {
  const e = "error" in ctx.result ? ctx.result.error : undefined;
  return e instanceof ProviderError && e.opts.retryAfterMs !== undefined ? e.opts.retryAfterMs : 0;
};

/** The exponential backoff, stretched to at least the upstream's Retry-After when it sent one. */
function honourRetryAfter(inner: IBackoffFactory<unknown>): IBackoffFactory<IRetryBackoffContext<unknown>> {
  const wrap = (
    b: IBackoff<unknown>,
    ctx: IRetryBackoffContext<unknown>,
  ): IBackoff<IRetryBackoffContext<unknown>> => ({
    duration: Math.max(b.duration, retryAfterOf(ctx)),
    next: (c) => wrap(b.next(c), c),
  });
  return { next: (ctx) => wrap(inner.next(ctx), ctx) };
}

/** Rejects as soon as the signal aborts, without waiting for `p` (whose later failure is swallowed). */
function untilAborted<T>(signal: AbortSignal, p: Promise<T>): Promise<T> {
  p.catch(() => undefined);
  if (signal.aborted) return Promise.reject(abortedError(signal));
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(abortedError(signal));
    signal.addEventListener("abort", onAbort, { once: true });
    p.then(
      (v) => {
        signal.removeEventListener("abort", onAbort);
        resolve(v);
      },
      (e) => {
        signal.removeEventListener("abort", onAbort);
        reject(e);
      },
    );
  });
}

/** An ungated provider's "slot": nothing to give back. */
const NO_PERMIT: Permit = { release: () => undefined };

interface Slot {
  provider: AIProvider;
  gate: ProviderGate | null;
  breaker: CircuitBreakerPolicy;
  consecutive: ConsecutiveBreaker;
  timeout: TimeoutPolicy;
  openedAt: Date | null;
  lastErrorMessage: string | null;
  lastErrorAt: Date | null;
  totalCalls: number;
  totalFailures: number;
  totalAttempts: number;
  shortCircuited: number;
  failures: FailureLog;
}

/**
 * The providers behind one AIProvider: per provider a timeout per attempt, retries with exponential
 * backoff and full jitter on retryable errors (honouring Retry-After), and a circuit breaker around
 * the retries; when a provider fails or its circuit is open, the next one answers (degraded: true).
 * Streams are retried / fall back only until their first chunk; later errors reach the consumer.
 */
export function createResilientProvider(opts: ResilienceOptions): ResilientProvider {
  const { providers, timeoutMs } = opts;
  if (providers.length === 0) throw new RangeError("at least one provider is needed");
  if (!Number.isInteger(opts.retry.maxAttempts) || opts.retry.maxAttempts < 1) {
    throw new RangeError("retry.maxAttempts must be an integer ≥ 1");
  }
  if (!Number.isInteger(opts.breaker.failureThreshold) || opts.breaker.failureThreshold < 1) {
    throw new RangeError("breaker.failureThreshold must be an integer ≥ 1");
  }
  const maxRetryAfterMs = opts.retry.maxRetryAfterMs ?? 30_000;
  const budgetMs = opts.retry.budgetMs ?? timeoutMs * opts.retry.maxAttempts;
  const random = opts.retry.random ?? Math.random;

  const emit = (e: ResilienceEvent) => {
    try {
      opts.onEvent?.(e);
    } catch {
      // A listener's failure must not change the outcome of a call.
    }
  };

  const slots: Slot[] = providers.map((provider) => {
    const consecutive = new ConsecutiveBreaker(opts.breaker.failureThreshold);
    const breaker = circuitBreaker(handleWhen(isProviderFault), {
      halfOpenAfter: opts.breaker.halfOpenAfterMs,
      breaker: consecutive,
    });
    const slot: Slot = {
      provider,
      gate: opts.gates?.[provider.name] ?? null,
      breaker,
      consecutive,
      // abortOnReturn: false, or the signal of an opened stream would be aborted as the attempt returns.
      timeout: timeout(timeoutMs, { strategy: TimeoutStrategy.Aggressive, abortOnReturn: false }),
      openedAt: null,
      lastErrorMessage: null,
      lastErrorAt: null,
      totalCalls: 0,
      totalFailures: 0,
      totalAttempts: 0,
      shortCircuited: 0,
      failures: new FailureLog(),
    };
    breaker.onBreak((reason) => {
      slot.openedAt = new Date();
      emit({
        type: "circuit",
        provider: provider.name,
        state: "open",
        error: "error" in reason ? reason.error : undefined,
      });
    });
    breaker.onHalfOpen(() => emit({ type: "circuit", provider: provider.name, state: "half-open" }));
    breaker.onReset(() => emit({ type: "circuit", provider: provider.name, state: "closed" }));
    return slot;
  });

  const recordFailure = (slot: Slot, e: unknown) => {
    slot.totalFailures++;
    slot.lastErrorMessage = e instanceof Error ? e.message : String(e);
    slot.lastErrorAt = new Date();
    slot.failures.record({ at: slot.lastErrorAt, message: slot.lastErrorMessage });
  };

  /**
   * One attempt: a slot of the provider's gate (waited for in priority order, not timed), then the
   * provider call under the attempt's timeout and the caller's signal. The slot is given back when
   * the attempt ends, except an opened stream's, which its relay gives back when the stream ends.
   */
  async function attempt<T>(
    slot: Slot,
    operation: Operation,
    signal: AbortSignal,
    priority: RequestPriority | undefined,
    call: (s: AbortSignal, permit: Permit) => Promise<T>,
  ): Promise<T> {
    const permit = slot.gate ? await slot.gate.acquire(priority, signal) : NO_PERMIT;
    let handedOver = false;
    slot.totalAttempts++;
    try {
      const value = await slot.timeout.execute(async ({ signal: attemptSignal }) => {
        const linked = linkSignals(signal, attemptSignal);
        try {
          return await call(linked.signal, permit);
        } finally {
          linked.dispose();
        }
      }, signal);
      handedOver = operation === "chatStream";
      return value;
    } catch (e) {
      if (e instanceof TaskCancelledError) {
        if (signal.aborted) throw abortedError(signal, e);
        throw new ProviderError(`${slot.provider.name} timed out after ${timeoutMs} ms`, {
          retryable: true,
          cause: e,
        });
      }
      throw e;
    } finally {
      if (!handedOver) permit.release();
    }
  }

  /** One provider, one call: retries inside the breaker. */
  function callProvider<T>(
    slot: Slot,
    operation: Operation,
    signal: AbortSignal,
    priority: RequestPriority | undefined,
    call: (slot: Slot, s: AbortSignal, permit: Permit) => Promise<T>,
  ): Promise<T> {
    const startedAt = Date.now();
    const policy = retry(
      handleWhen((e) => {
        if (!(e instanceof ProviderError) || !e.opts.retryable || signal.aborted) return false;
        const wait = e.opts.retryAfterMs ?? 0;
        // Waiting longer than the upstream asks is pointless, and waiting past the budget too slow: fall back.
        return wait <= maxRetryAfterMs && Date.now() - startedAt + wait <= budgetMs;
      }),
      {
        maxAttempts: opts.retry.maxAttempts - 1, // cockatiel counts retries, not attempts
        backoff: honourRetryAfter(
          new ExponentialBackoff({
            initialDelay: opts.retry.initialDelayMs,
            maxDelay: opts.retry.maxDelayMs,
            generator: fullJitter(random),
          }),
        ),
      },
    );
    policy.onRetry((r) =>
      emit({
        type: "retry",
        provider: slot.provider.name,
        operation,
        attempt: r.attempt,
        delayMs: r.delay,
        error: "error" in r ? r.error : undefined,
      }),
    );
    return slot.breaker.execute(() => {
      slot.totalCalls++;
      return policy.execute(
        () => attempt(slot, operation, signal, priority, (s, permit) => call(slot, s, permit)),
        signal,
      );
    }, signal);
  }

  /**
   * Through the chain: the first provider that answers wins. What every failed attempt (any
   * provider, any retry) consumed goes to `failedAttempts`, so that the call is billed for it.
   */
  async function run<T>(
    operation: Operation,
    signal: AbortSignal,
    priority: RequestPriority | undefined,
    call: (slot: Slot, s: AbortSignal, permit: Permit) => Promise<T>,
    route: ProviderRoute = {},
    failedAttempts?: FailedAttempts,
  ): Promise<{ value: T; index: number }> {
    const metered = (slot: Slot, s: AbortSignal, permit: Permit) =>
      call(slot, s, permit).catch((e: unknown) => {
        if (e instanceof ProviderError && e.opts.consumed) failedAttempts?.push(e.opts.consumed);
        throw e;
      });
    let lastFault: unknown = null;
    const preferred = slots.find((s) => s.provider.name === route.provider);
    const ordered = preferred ? [preferred, ...slots.filter((s) => s !== preferred)] : slots;
    const chain = route.fallback === false ? ordered.slice(0, 1) : ordered;
    for (let i = 0; i < chain.length; i++) {
      const slot = chain[i]!;
      const next = chain[i + 1]?.provider.name;
      const fallBack = (reason: "circuit_open" | "failed", error: unknown) => {
        if (reason === "circuit_open") slot.shortCircuited++;
        if (next) emit({ type: "fallback", from: slot.provider.name, to: next, operation, reason, error });
      };
      if (signal.aborted) throw abortedError(signal);
      // While a half-open trial is in flight cockatiel would queue this call behind it: skip instead.
      if (slot.breaker.state === CircuitState.HalfOpen) {
        fallBack("circuit_open", null);
        continue;
      }
      try {
        const value = await untilAborted(signal, callProvider(slot, operation, signal, priority, metered));
        return { value, index: i };
      } catch (e) {
        if (signal.aborted) throw abortedError(signal, e);
        if (e instanceof BrokenCircuitError) {
          fallBack("circuit_open", e);
          continue;
        }
        if (!isProviderFault(e)) throw e;
        recordFailure(slot, e);
        lastFault = e;
        fallBack("failed", e);
      }
    }
    if (lastFault) throw lastFault;
    throw new ProviderError("no AI provider is available (every circuit is open)", {
      retryable: true,
      status: 503,
    });
  }

  /** The first chunk is awaited inside the attempt, so a stream that fails before it can still be retried. */
  async function openStream(slot: Slot, req: ChatRequest, s: AbortSignal, permit: Permit) {
    const stream = await slot.provider.chatStream(req, s);
    const it = stream.chunks[Symbol.asyncIterator]();
    const first = await it.next();
    return { stream, it, first, slot, permit };
  }

  /** The stream holds its provider slot until it ends, however it ends. */
  async function* relay(
    slot: Slot,
    first: IteratorResult<ChatChunk>,
    it: AsyncIterator<ChatChunk>,
    permit: Permit,
  ): AsyncGenerator<ChatChunk> {
    let done = first.done === true;
    try {
      if (done) return;
      yield first.value;
      while (true) {
        const r = await it.next();
        if (r.done) {
          done = true;
          return;
        }
        yield r.value;
      }
    } catch (e) {
      done = true;
      if (isProviderFault(e)) recordFailure(slot, e);
      throw e;
    } finally {
      // The consumer stopped early: let the provider release the upstream request.
      try {
        if (!done) await it.return?.();
      } finally {
        permit.release();
      }
    }
  }

  return {
    name: `resilient(${providers.map((p) => p.name).join(",")})`,

    async process(req, signal, route, failedAttempts) {
      const { value, index } = await run(
        "process",
        signal,
        req.priority,
        (slot, s) => slot.provider.process(req, s),
        route,
        failedAttempts,
      );
      return { ...value, degraded: index > 0 };
    },

    async chat(req, signal, failedAttempts) {
      const { value, index } = await run(
        "chat",
        signal,
        req.priority,
        (slot, s) => slot.provider.chat(req, s),
        {},
        failedAttempts,
      );
      return { ...value, degraded: index > 0 };
    },

    async chatStream(req, signal, failedAttempts) {
      const { value, index } = await run(
        "chatStream",
        signal,
        req.priority,
        (slot, s, permit) => openStream(slot, req, s, permit),
        {},
        failedAttempts,
      );
      const { stream, it, first, slot, permit } = value;
      // A relay never iterated has no finally to run: a cancelled caller gives the slot back too.
      if (signal.aborted) permit.release();
      else signal.addEventListener("abort", () => permit.release(), { once: true });
      return {
        provider: stream.provider,
        get model() {
          return stream.model;
        },
        chunks: relay(slot, first, it, permit),
        degraded: index > 0,
      };
    },

    health() {
      return slots.map((s, i) => ({
        name: s.provider.name,
        role: i === 0 ? ("primary" as const) : ("fallback" as const),
        circuit: stateName(s.breaker.state),
        consecutiveFailures: s.consecutive.state,
        openedAt: s.openedAt,
        lastErrorMessage: s.lastErrorMessage,
        lastErrorAt: s.lastErrorAt,
        totalCalls: s.totalCalls,
        totalFailures: s.totalFailures,
        totalAttempts: s.totalAttempts,
        shortCircuited: s.shortCircuited,
        recentFailures: s.failures.list(),
      }));
    },

    queues() {
      return slots.flatMap((s) => (s.gate ? [s.gate.snapshot()] : []));
    },
  };
}
