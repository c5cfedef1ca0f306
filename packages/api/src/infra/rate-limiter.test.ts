/**
 * One behavioural suite, run against every RateLimiter: the in-process one always, the Redis one
 * (through tooling/upstash-proxy to the Redis at REDIS_URL) when Redis answers. Without Redis the
 * Redis half is skipped, unless REQUIRE_REDIS=1 (CI), where a missing Redis fails the run.
 */
import { randomUUID } from "node:crypto";
import { probeRedis, startUpstashProxy, type UpstashProxy } from "@wedsync/upstash-proxy";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { InMemoryRateLimiter, type RateLimiter } from "./rate-limiter";
import { UpstashRateLimiter } from "./upstash-rate-limiter";

const REDIS_URL = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";
const redisProblem = await probeRedis(REDIS_URL);
const RUN_PREFIX = `wedsync:test:rl:${randomUUID()}`;

/** Long enough that a test never straddles a boundary of Upstash's epoch-aligned buckets. */
const HOUR = 3_600_000;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface Implementation {
  name: string;
  setup?: () => Promise<void>;
  teardown?: () => Promise<void>;
  /** A fresh limiter that shares no state with any other test's. */
  make: () => RateLimiter;
}

let proxy: UpstashProxy | undefined;
const implementations: Implementation[] = [
  { name: "InMemoryRateLimiter", make: () => new InMemoryRateLimiter() },
];

if (redisProblem === null) {
  implementations.push({
    name: "UpstashRateLimiter (upstash-proxy -> Redis)",
    async setup() {
      proxy = await startUpstashProxy({ redisUrl: REDIS_URL, token: `test-${randomUUID()}` });
    },
    async teardown() {
      if (!proxy) return;
      await deleteKeys(proxy, `${RUN_PREFIX}:*`);
      await proxy.close();
    },
    make: () => {
      if (!proxy) throw new Error("proxy not started");
      return new UpstashRateLimiter({
        url: proxy.url,
        token: proxy.token,
        prefix: `${RUN_PREFIX}:${randomUUID()}`,
      });
    },
  });
} else if (process.env.REQUIRE_REDIS === "1") {
  describe("UpstashRateLimiter", () => {
    it("needs Redis (REQUIRE_REDIS=1)", () => {
      throw new Error(`Redis is not reachable at ${REDIS_URL} (${redisProblem}) and REQUIRE_REDIS=1`);
    });
  });
} else {
  const why = `Redis not reachable at ${REDIS_URL} (${redisProblem}); start redis-server or set REDIS_URL`;
  console.warn(`Skipping the UpstashRateLimiter suite: ${why}`);
  describe.skip(`UpstashRateLimiter — skipped: ${why}`, () => {
    it("behavioural suite", () => {});
  });
}

async function deleteKeys(p: UpstashProxy, pattern: string) {
  const call = async (command: string[]) => {
    const res = await fetch(p.url, {
      method: "POST",
      headers: { authorization: `Bearer ${p.token}` },
      body: JSON.stringify(command),
    });
    return ((await res.json()) as { result: unknown }).result;
  };
  const keys = (await call(["KEYS", pattern])) as string[];
  if (keys.length > 0) await call(["DEL", ...keys]);
}

/** Waits until a little after a `windowMs` boundary, so a short burst stays inside one bucket. */
async function startOfWindow(windowMs: number) {
  const into = Date.now() % windowMs;
  if (into < 20 || into > windowMs / 4) await sleep(windowMs - into + 20);
}

async function hits(limiter: RateLimiter, key: string, n: number, limit: number, windowMs: number) {
  const results = [];
  for (let i = 0; i < n; i++) results.push(await limiter.limit(key, { limit, windowMs }));
  return results;
}

describe.each(implementations)("$name", (impl) => {
  beforeAll(async () => {
    await impl.setup?.();
  });
  afterAll(async () => {
    await impl.teardown?.();
  });

  it("admits exactly N of N+k sequential hits in a window", async () => {
    const results = await hits(impl.make(), "user:1", 8, 5, HOUR);
    expect(results.map((r) => r.success)).toEqual([true, true, true, true, true, false, false, false]);
    expect(results.every((r) => r.limit === 5)).toBe(true);
  });

  it("counts remaining down to zero", async () => {
    const results = await hits(impl.make(), "user:1", 6, 4, HOUR);
    expect(results.map((r) => r.remaining)).toEqual([3, 2, 1, 0, 0, 0]);
  });

  it("keeps keys independent", async () => {
    const limiter = impl.make();
    expect((await hits(limiter, "org:a", 3, 2, HOUR)).map((r) => r.success)).toEqual([true, true, false]);
    expect((await hits(limiter, "org:b", 3, 2, HOUR)).map((r) => r.success)).toEqual([true, true, false]);
    expect((await limiter.limit("org:a", { limit: 2, windowMs: HOUR })).success).toBe(false);
  });

  it("applies a different limit to another key", async () => {
    const limiter = impl.make();
    const small = await hits(limiter, "org:small", 6, 2, HOUR);
    const large = await hits(limiter, "org:large", 6, 5, HOUR);
    expect(small.filter((r) => r.success)).toHaveLength(2);
    expect(large.filter((r) => r.success)).toHaveLength(5);
    expect(large.map((r) => r.limit)).toEqual([5, 5, 5, 5, 5, 5]);
  });

  it("admits exactly `limit` of 200 concurrent calls", async () => {
    const limiter = impl.make();
    const results = await Promise.all(
      Array.from({ length: 200 }, () => limiter.limit("burst", { limit: 50, windowMs: HOUR })),
    );
    const admitted = results.filter((r) => r.success);
    expect(admitted).toHaveLength(50);
    // Each admitted call took its own slot: remaining values are exactly 49..0.
    expect(admitted.map((r) => r.remaining).sort((a, b) => a - b)).toEqual(
      Array.from({ length: 50 }, (_, i) => i),
    );
    expect((await limiter.limit("burst", { limit: 50, windowMs: HOUR })).success).toBe(false);
  });

  it("admits again once the window has passed", async () => {
    const limiter = impl.make();
    const windowMs = 1_000;
    await startOfWindow(windowMs);
    const burst = await hits(limiter, "short", 4, 3, windowMs);
    expect(burst.map((r) => r.success)).toEqual([true, true, true, false]);
    await sleep(windowMs + 100);
    expect((await limiter.limit("short", { limit: 3, windowMs })).success).toBe(true);
  });

  it("returns a reset in the future and within the window", async () => {
    const limiter = impl.make();
    const windowMs = HOUR;
    for (const expectSuccess of [true, false]) {
      const before = Date.now();
      const r = await limiter.limit("reset", { limit: 1, windowMs });
      const after = Date.now();
      expect(r.success).toBe(expectSuccess);
      expect(r.reset).toBeGreaterThan(before);
      expect(r.reset).toBeLessThanOrEqual(after + windowMs);
    }
  });
});
