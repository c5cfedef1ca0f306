import {
  AppError,
  DEFAULT_PRIORITY_LEVEL,
  nextWaiter,
  PRIORITY_BANDS,
  type PriorityBand,
  priorityBand,
  type QueuePolicy,
  type QueueWaiter,
  queuePolicy,
  type RequestPriority,
  saturationMessage,
  saturationRetryAfterSeconds,
} from "@wedsync/core";
import { ProviderError } from "./types";

/**
 * Concurrent calls to the OpenAI-compatible provider. A provider's rate limit is a rate, the gate
 * bounds calls in flight; by Little's law in flight = rate × call time. 16 is, for example, about
 * 500 requests a minute (OpenAI's tier-2 token limit for gpt-4o-mini at ~4,000 tokens a request)
 * at ~2 s a call: below it the provider answers 429s that retries turn into slower, billed-for-
 * nothing round trips. Set AI_PROVIDER_CONCURRENCY to your own rate × typical call time.
 */
export const DEFAULT_PROVIDER_CONCURRENCY = 16;
/**
 * The local rules engine has no upstream limit: it runs in this process, milliseconds a call. Its
 * bound only keeps a flood of large documents from all being held in memory at once.
 */
export const DEFAULT_LOCAL_CONCURRENCY = 128;
/**
 * How long a request waits for a slot before it is refused (SERVICE_UNAVAILABLE, not billed): a
 * person is waiting, and past ~10 s a quick "try again in N s" serves them better than a spinner.
 */
export const DEFAULT_QUEUE_MAX_WAIT_MS = 10_000;

/** What the gate reports to metrics. */
export interface GateObserver {
  /** A request got a slot after `ms` in the queue (0 when one was free). */
  waited(provider: string, band: PriorityBand, ms: number): void;
  /** A request was refused at the wait bound. */
  refused(provider: string, band: PriorityBand): void;
}

/** A held slot. release() is idempotent: every path that may end a call can call it. */
export interface Permit {
  release(): void;
}

/** A gate's state at scrape time. */
export interface GateSnapshot {
  provider: string;
  concurrency: number;
  inFlight: number;
  waiting: Record<PriorityBand, number>;
}

export interface ProviderGateOptions {
  provider: string;
  concurrency: number;
  maxWaitMs: number;
  observer?: GateObserver | undefined;
  /** A monotonic clock in ms (tests pass one). Default performance.now. */
  now?: () => number;
}

interface Waiter extends QueueWaiter {
  grant(permit: Permit): void;
  fail(err: unknown): void;
  timer: ReturnType<typeof setTimeout>;
  dispose(): void;
}

/** A first guess of a call's duration, until calls have been timed. */
const INITIAL_MEAN_CALL_MS = 1_000;
/** Weight of the newest call in the running mean: about the last ten calls count. */
const MEAN_WEIGHT = 0.2;

export function abortedWhileQueued(signal: AbortSignal): ProviderError {
  return new ProviderError("request aborted while waiting for the AI provider", {
    retryable: false,
    cause: signal.reason,
  });
}

/**
 * At most `concurrency` calls in flight to one provider. When full, a call waits its turn as the
 * core ordering rule says (nextWaiter: bands, FIFO, ageing); at the wait bound it is refused with
 * SERVICE_UNAVAILABLE and a Retry-After; an aborted caller leaves the queue at once.
 */
export class ProviderGate {
  readonly provider: string;
  readonly concurrency: number;
  private readonly policy: QueuePolicy;
  private readonly observer: GateObserver | undefined;
  private readonly now: () => number;
  private inFlight = 0;
  private waiting: Waiter[] = [];
  private meanCallMs = INITIAL_MEAN_CALL_MS;

  constructor(opts: ProviderGateOptions) {
    if (!Number.isInteger(opts.concurrency) || opts.concurrency < 1) {
      throw new RangeError("concurrency must be an integer ≥ 1");
    }
    this.provider = opts.provider;
    this.concurrency = opts.concurrency;
    this.policy = queuePolicy(opts.maxWaitMs);
    this.observer = opts.observer;
    this.now = opts.now ?? (() => performance.now());
  }

  /** Resolves with a slot; rejects at the wait bound (AppError) or when `signal` aborts (ProviderError). */
  acquire(priority: RequestPriority | undefined, signal: AbortSignal): Promise<Permit> {
    if (signal.aborted) return Promise.reject(abortedWhileQueued(signal));
    const band = priorityBand(priority?.level ?? DEFAULT_PRIORITY_LEVEL);
    const background = priority?.background ?? false;
    // Nobody queued: take a free slot at once. With anybody queued, the rule decides, even for a free slot.
    if (this.inFlight < this.concurrency && this.waiting.length === 0) {
      this.observer?.waited(this.provider, band, 0);
      return Promise.resolve(this.grant());
    }
    return new Promise<Permit>((resolve, reject) => {
      const onAbort = () => {
        if (this.remove(w)) w.fail(abortedWhileQueued(signal));
      };
      const w: Waiter = {
        band,
        background,
        enqueuedAt: this.now(),
        grant: (permit) => {
          w.dispose();
          this.observer?.waited(this.provider, band, this.now() - w.enqueuedAt);
          resolve(permit);
        },
        fail: (err) => {
          w.dispose();
          reject(err);
        },
        timer: setTimeout(() => this.refuse(w), this.policy.maxWaitMs),
        dispose: () => {
          clearTimeout(w.timer);
          signal.removeEventListener("abort", onAbort);
        },
      };
      signal.addEventListener("abort", onAbort, { once: true });
      this.waiting.push(w);
      // A slot may be free (others were queued when this call came): hand out what can be.
      this.dispatch();
    });
  }

  snapshot(): GateSnapshot {
    const waiting = Object.fromEntries(PRIORITY_BANDS.map((b) => [b, 0])) as Record<PriorityBand, number>;
    for (const w of this.waiting) waiting[w.band]++;
    return { provider: this.provider, concurrency: this.concurrency, inFlight: this.inFlight, waiting };
  }

  private grant(): Permit {
    this.inFlight++;
    const startedAt = this.now();
    let released = false;
    return {
      release: () => {
        if (released) return;
        released = true;
        this.inFlight--;
        this.meanCallMs += MEAN_WEIGHT * (this.now() - startedAt - this.meanCallMs);
        this.dispatch();
      },
    };
  }

  /** Free slots go to the waiters the rule picks; waiters found past the bound are refused. */
  private dispatch() {
    while (this.inFlight < this.concurrency && this.waiting.length > 0) {
      const { next, expired } = nextWaiter(this.waiting, this.now(), this.policy);
      for (const e of expired) this.refuse(e);
      if (!next) return;
      this.remove(next);
      next.grant(this.grant());
    }
  }

  private refuse(w: Waiter) {
    if (!this.remove(w)) return;
    this.observer?.refused(this.provider, w.band);
    const retryAfterSeconds = saturationRetryAfterSeconds({
      waiting: this.waiting.length + 1,
      concurrency: this.concurrency,
      meanCallMs: this.meanCallMs,
    });
    w.fail(
      new AppError("SERVICE_UNAVAILABLE", saturationMessage(retryAfterSeconds), {
        details: { reason: "provider_saturated", provider: this.provider, retryAfterSeconds },
      }),
    );
  }

  private remove(w: Waiter): boolean {
    const i = this.waiting.indexOf(w);
    if (i < 0) return false;
    this.waiting.splice(i, 1);
    return true;
  }
}
