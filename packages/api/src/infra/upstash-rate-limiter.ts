import { Ratelimit } from "@upstash/ratelimit";
import { Redis } from "@upstash/redis";
import { LRUCache } from "lru-cache";
import { InMemoryRateLimiter, type RateLimiter, type RateLimitResult } from "./rate-limiter";
import { createHttpRequester } from "./upstash-requester";

export interface UpstashRateLimiterOptions {
  /** UPSTASH_REDIS_REST_URL (Upstash, or tooling/upstash-proxy in front of a plain Redis). */
  url: string;
  /** UPSTASH_REDIS_REST_TOKEN */
  token: string;
  /** Prefix of every Redis key; default "wedsync:rl". */
  prefix?: string;
  /**
   * Upper bound on one limit() call, retries included (default 5000). When it is exceeded, or Redis
   * cannot be reached, limit() REJECTS: the limiter fails closed rather than admitting unmetered.
   */
  timeoutMs?: number;
}

/**
 * Rate limits shared by every API instance, kept in Redis through the Upstash REST API with
 * @upstash/ratelimit's sliding window. Each check is one Lua script run atomically in Redis, so
 * concurrent calls from any number of instances never admit more than `limit` in a window.
 *
 * Differences from InMemoryRateLimiter (a sliding-window log):
 * - The window is Upstash's approximation: two epoch-aligned fixed buckets of `windowMs`, the
 *   previous bucket weighted by how much of it still overlaps the sliding window. Right after a
 *   bucket boundary a key can therefore be admitted again slightly sooner/later than with an exact log.
 * - `reset` is the end of the current bucket (at most `windowMs` ahead), not when the oldest hit leaves.
 * - `opts.now` is ignored: the script uses the calling process's `Date.now()` (keep clocks in sync).
 */
export class UpstashRateLimiter implements RateLimiter {
  private readonly redis: Redis;
  private readonly prefix: string;
  /** Limits come from each organization's config: one Ratelimit per (limit, windowMs) pair. */
  private readonly limiters = new LRUCache<string, Ratelimit>({ max: 1_000 });

  constructor(opts: UpstashRateLimiterOptions) {
    const timeoutMs = opts.timeoutMs ?? 5_000;
    this.prefix = opts.prefix ?? "wedsync:rl";
    // A hung Redis makes limit() throw after timeoutMs (fail closed), never admit unmetered.
    this.redis = new Redis(createHttpRequester({ url: opts.url, token: opts.token, timeoutMs }));
  }

  private limiterFor(limit: number, windowMs: number): Ratelimit {
    const id = `${limit}:${windowMs}`;
    let limiter = this.limiters.get(id);
    if (!limiter) {
      limiter = new Ratelimit({
        redis: this.redis,
        limiter: Ratelimit.slidingWindow(limit, `${windowMs} ms`),
        // The window length is part of the key: buckets of different sizes never share a counter.
        prefix: `${this.prefix}:${windowMs}ms`,
        analytics: false,
        enableTelemetry: false,
        // The ephemeral cache blocks a key locally until the bucket ends once Redis said no, but the
        // weighted window may admit again before that: it would disagree with Redis. It is also unbounded.
        ephemeralCache: false,
        // The library's own timeout resolves with success: true (fails open); ours above throws instead.
        timeout: 0,
      });
      this.limiters.set(id, limiter);
    }
    return limiter;
  }

  async ping(): Promise<void> {
    await this.redis.ping();
  }

  async limit(
    key: string,
    opts: { limit: number; windowMs: number; now?: number },
  ): Promise<RateLimitResult> {
    checkOptions(opts);
    const res = await this.limiterFor(opts.limit, opts.windowMs).limit(key);
    return { success: res.success, limit: opts.limit, remaining: res.remaining, reset: res.reset };
  }

  /** The same window's remaining count (one read-only script in Redis), without counting a hit. */
  async peek(key: string, opts: { limit: number; windowMs: number; now?: number }): Promise<RateLimitResult> {
    checkOptions(opts);
    const res = await this.limiterFor(opts.limit, opts.windowMs).getRemaining(key);
    return { success: res.remaining > 0, limit: opts.limit, remaining: res.remaining, reset: res.reset };
  }
}

function checkOptions(opts: { limit: number; windowMs: number }) {
  if (!Number.isInteger(opts.limit) || opts.limit < 0) throw new RangeError(`invalid limit ${opts.limit}`);
  if (!Number.isInteger(opts.windowMs) || opts.windowMs <= 0) {
    throw new RangeError(`invalid windowMs ${opts.windowMs}`);
  }
}

/** Redis-backed (shared by all instances) when Upstash REST credentials are set, else in-process. */
export function createRateLimiter(env: {
  UPSTASH_REDIS_REST_URL?: string;
  UPSTASH_REDIS_REST_TOKEN?: string;
}): RateLimiter {
  const url = env.UPSTASH_REDIS_REST_URL;
  const token = env.UPSTASH_REDIS_REST_TOKEN;
  return url && token ? new UpstashRateLimiter({ url, token }) : new InMemoryRateLimiter();
}
