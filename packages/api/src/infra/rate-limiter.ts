import { LRUCache } from "lru-cache";

export interface RateLimitResult {
  success: boolean;
  limit: number;
  remaining: number;
  /** Epoch ms when the oldest counted hit leaves the window. */
  reset: number;
}

/** Counts hits per key in a sliding window. Implementations: in-process (here), Redis (later). */
export interface RateLimiter {
  limit(key: string, opts: { limit: number; windowMs: number; now?: number }): Promise<RateLimitResult>;
  /**
   * Where `key` stands now, as `limit` with the same options would see it, without counting a hit.
   * `success` says whether a hit now would be admitted.
   */
  peek(key: string, opts: { limit: number; windowMs: number; now?: number }): Promise<RateLimitResult>;
  /** Resolves when a shared store behind the limiter answers (readiness); absent in process. */
  ping?(): Promise<void>;
}

/**
 * Sliding-window log kept in process memory: exact, and good for one instance (the embedded
 * default). The LRU bound keeps a flood of distinct keys from growing memory without limit.
 */
export class InMemoryRateLimiter implements RateLimiter {
  private readonly hits = new LRUCache<string, number[]>({ max: 100_000 });

  async limit(
    key: string,
    opts: { limit: number; windowMs: number; now?: number },
  ): Promise<RateLimitResult> {
    const now = opts.now ?? Date.now();
    const since = now - opts.windowMs;
    const kept = (this.hits.get(key) ?? []).filter((t) => t > since);
    const success = kept.length < opts.limit;
    if (success) kept.push(now);
    this.hits.set(key, kept);
    return this.standing(kept, success, opts.limit, opts.windowMs, now);
  }

  async peek(key: string, opts: { limit: number; windowMs: number; now?: number }): Promise<RateLimitResult> {
    const now = opts.now ?? Date.now();
    const since = now - opts.windowMs;
    // Read without touching the LRU order or storing anything: a peek leaves no trace.
    const kept = (this.hits.peek(key) ?? []).filter((t) => t > since);
    return this.standing(kept, kept.length < opts.limit, opts.limit, opts.windowMs, now);
  }

  private standing(kept: number[], success: boolean, limit: number, windowMs: number, now: number) {
    const oldest = kept[0] ?? now;
    return {
      success,
      limit,
      remaining: Math.max(0, limit - kept.length),
      reset: oldest + windowMs,
    };
  }
}
