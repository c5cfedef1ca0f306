/**
 * The Upstash REST proxy (tooling/upstash-proxy) against a real Redis, the Redis limiter's own
 * properties (shared across instances, fails closed) and the factory. The behavioural suite common to
 * all limiters is in rate-limiter.test.ts. Without Redis the Redis tests are skipped, unless
 * REQUIRE_REDIS=1 (CI), where a missing Redis fails the run.
 */
import { createHash, randomUUID } from "node:crypto";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { Redis } from "@upstash/redis";
import { probeRedis, startUpstashProxy, type UpstashProxy } from "@wedsync/upstash-proxy";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { InMemoryRateLimiter } from "./rate-limiter";
import { createRateLimiter, UpstashRateLimiter } from "./upstash-rate-limiter";

const REDIS_URL = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";
const redisProblem = await probeRedis(REDIS_URL);
const RUN_PREFIX = `wedsync:test:proxy:${randomUUID()}`;
const HOUR = 3_600_000;

if (redisProblem !== null) {
  if (process.env.REQUIRE_REDIS === "1") {
    describe("upstash-proxy", () => {
      it("needs Redis (REQUIRE_REDIS=1)", () => {
        throw new Error(`Redis is not reachable at ${REDIS_URL} (${redisProblem}) and REQUIRE_REDIS=1`);
      });
    });
  } else {
    console.warn(`Skipping the upstash-proxy tests: Redis not reachable at ${REDIS_URL} (${redisProblem})`);
  }
}

const sha1 = (text: string) => createHash("sha1").update(text).digest("hex");

describe.skipIf(redisProblem !== null)("upstash-proxy (Redis at REDIS_URL)", () => {
  let proxy: UpstashProxy;
  const key = (name: string) => `${RUN_PREFIX}:${name}`;

  async function post(path: string, body: unknown, headers: Record<string, string> = {}) {
    const res = await fetch(`${proxy.url}${path}`, {
      method: "POST",
      headers: { authorization: `Bearer ${proxy.token}`, ...headers },
      body: JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json()) as never };
  }

  beforeAll(async () => {
    proxy = await startUpstashProxy({ redisUrl: REDIS_URL, token: `test-${randomUUID()}` });
  });
  afterAll(async () => {
    const { body } = await post("/", ["KEYS", `${RUN_PREFIX}:*`]);
    const keys = (body as { result: string[] }).result;
    if (keys.length > 0) await post("/", ["DEL", ...keys]);
    await proxy.close();
  });

  it("requires the bearer token", async () => {
    const call = (headers: Record<string, string>) =>
      fetch(proxy.url, { method: "POST", headers, body: JSON.stringify(["PING"]) });
    expect((await call({})).status).toBe(401);
    expect((await call({ authorization: "Bearer wrong" })).status).toBe(401);
    expect((await call({ authorization: `Bearer ${proxy.token}` })).status).toBe(200);
  });

  it("runs a single command", async () => {
    expect(await post("/", ["SET", key("single"), "hello"])).toEqual({ status: 200, body: { result: "OK" } });
    expect(await post("/", ["GET", key("single")])).toEqual({ status: 200, body: { result: "hello" } });
    expect(await post("/", ["INCRBY", key("n"), 5])).toEqual({ status: 200, body: { result: 5 } });
    expect(await post("/", ["GET", key("missing")])).toEqual({ status: 200, body: { result: null } });
    const failed = await post("/", ["INCR", key("single")]);
    expect(failed.status).toBe(400);
    expect(failed.body).toEqual({ error: expect.stringContaining("not an integer") });
    expect((await post("/", ["SELECT", "1"])).status).toBe(400);
    expect((await post("/", "not a command")).status).toBe(400);
  });

  it("runs a pipeline, reporting each command's error on its own", async () => {
    const { status, body } = await post("/pipeline", [
      ["SET", key("p"), "1"],
      ["INCR", key("p")],
      ["LPUSH", key("p"), "x"],
      ["GET", key("p")],
    ]);
    expect(status).toBe(200);
    expect(body).toEqual([
      { result: "OK" },
      { result: 2 },
      { error: expect.stringContaining("WRONGTYPE") },
      { result: "2" },
    ]);
  });

  it("runs multi-exec atomically", async () => {
    const { status, body } = await post("/multi-exec", [
      ["SET", key("m"), "a"],
      ["APPEND", key("m"), "b"],
      ["GET", key("m")],
    ]);
    expect(status).toBe(200);
    expect(body).toEqual([{ result: "OK" }, { result: 2 }, { result: "ab" }]);
    const aborted = await post("/multi-exec", [["SET", key("m2"), "x"], ["NOSUCHCOMMAND"]]);
    expect(aborted.status).toBe(400);
    expect(await post("/", ["EXISTS", key("m2")])).toEqual({ status: 200, body: { result: 0 } });
  });

  it("base64-encodes every string of a result when asked", async () => {
    const b64 = (s: string) => Buffer.from(s).toString("base64");
    const headers = { "upstash-encoding": "base64" };
    await post("/", ["RPUSH", key("list"), "héllo", "wörld"]);
    expect((await post("/", ["SET", key("s"), "ünïcode"], headers)).body).toEqual({ result: b64("OK") });
    expect((await post("/", ["GET", key("s")], headers)).body).toEqual({ result: b64("ünïcode") });
    expect((await post("/", ["LRANGE", key("list"), 0, -1], headers)).body).toEqual({
      result: [b64("héllo"), b64("wörld")],
    });
    expect((await post("/", ["EVAL", "return {1, 'a', {2, 'b'}}", 0], headers)).body).toEqual({
      result: [1, b64("a"), [2, b64("b")]],
    });
    expect(
      (
        await post(
          "/pipeline",
          [
            ["INCR", key("c")],
            ["GET", key("nope")],
          ],
          headers,
        )
      ).body,
    ).toEqual([{ result: 1 }, { result: null }]);
  });

  it("returns HGETALL as a flat [field, value, ...] array", async () => {
    await post("/", ["HSET", key("h"), "a", "1", "b", "2"]);
    const { body } = await post("/", ["HGETALL", key("h")]);
    expect((body as { result: string[] }).result).toEqual(["a", "1", "b", "2"]);
    const lower = await post("/", ["hgetall", key("h")]);
    expect((lower.body as { result: string[] }).result).toEqual(["a", "1", "b", "2"]);
  });

  it("answers NOSCRIPT to an EVALSHA of an unknown script", async () => {
    const { status, body } = await post("/", ["EVALSHA", sha1(`return '${randomUUID()}'`), 0]);
    expect(status).toBe(400);
    expect(body).toEqual({ error: expect.stringContaining("NOSCRIPT") });
  });

  it("strips the `#!lua flags=` line Redis 7.0 rejects, keeping the client's SHA1 working", async () => {
    const script = `#!lua flags=allow-key-locking\n  return {KEYS[1], ARGV[1], '${randomUUID()}'}`;
    const clientSha = sha1(script);
    expect((await post("/", ["EVALSHA", clientSha, 1, key("k"), "v"])).body).toEqual({
      error: expect.stringContaining("NOSCRIPT"),
    });
    expect(await post("/", ["SCRIPT", "LOAD", script])).toEqual({ status: 200, body: { result: clientSha } });
    const { status, body } = await post("/", ["EVALSHA", clientSha, 1, key("k"), "v"]);
    expect(status).toBe(200);
    expect((body as { result: string[] }).result.slice(0, 2)).toEqual([key("k"), "v"]);
    expect((await post("/", ["SCRIPT", "EXISTS", clientSha])).body).toEqual({ result: [1] });
    // EVAL of the original text works too.
    expect((await post("/", ["EVAL", "#!lua flags=allow-key-locking\nreturn 7", 0])).body).toEqual({
      result: 7,
    });
  });

  it("serves the official @upstash/redis client", async () => {
    const redis = new Redis({ url: proxy.url, token: proxy.token, enableTelemetry: false });
    await redis.set(key("official"), { a: 1 });
    expect(await redis.get(key("official"))).toEqual({ a: 1 });
    await redis.hset(key("official:h"), { name: "Ada", n: 3 });
    expect(await redis.hgetall(key("official:h"))).toEqual({ name: "Ada", n: 3 });
    const [one, two] = await Promise.all([redis.incr(key("official:n")), redis.incr(key("official:n"))]);
    expect([one, two].sort()).toEqual([1, 2]);
    expect(await redis.multi().set(key("official:t"), "x").get(key("official:t")).exec()).toEqual([
      "OK",
      "x",
    ]);
  });

  it("lets two API instances share one limit", async () => {
    const prefix = `${RUN_PREFIX}:${randomUUID()}`;
    const a = new UpstashRateLimiter({ url: proxy.url, token: proxy.token, prefix });
    const b = new UpstashRateLimiter({ url: proxy.url, token: proxy.token, prefix });
    const results = await Promise.all(
      Array.from({ length: 60 }, (_, i) => (i % 2 ? a : b).limit("shared", { limit: 20, windowMs: HOUR })),
    );
    expect(results.filter((r) => r.success)).toHaveLength(20);
  });
});

describe("UpstashRateLimiter without a reachable Redis", () => {
  it("fails closed: limit() rejects when the REST endpoint hangs", async () => {
    const server = createServer(() => {}); // accepts, never answers
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    try {
      const { port } = server.address() as AddressInfo;
      const limiter = new UpstashRateLimiter({ url: `http://127.0.0.1:${port}`, token: "t", timeoutMs: 200 });
      const started = Date.now();
      await expect(limiter.limit("k", { limit: 1, windowMs: 1000 })).rejects.toThrow();
      expect(Date.now() - started).toBeLessThan(2_000);
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it("fails closed: limit() rejects when nothing listens", async () => {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as AddressInfo;
    await new Promise((resolve) => server.close(resolve));
    const limiter = new UpstashRateLimiter({ url: `http://127.0.0.1:${port}`, token: "t", timeoutMs: 300 });
    await expect(limiter.limit("k", { limit: 1, windowMs: 1000 })).rejects.toThrow();
  });

  it("rejects a window the algorithm cannot express", async () => {
    const limiter = new UpstashRateLimiter({ url: "http://127.0.0.1:1", token: "t" });
    await expect(limiter.limit("k", { limit: 1, windowMs: 1.5 })).rejects.toThrow(RangeError);
    await expect(limiter.limit("k", { limit: -1, windowMs: 1000 })).rejects.toThrow(RangeError);
  });
});

describe("createRateLimiter", () => {
  it("uses Redis when both Upstash REST variables are set", () => {
    const limiter = createRateLimiter({
      UPSTASH_REDIS_REST_URL: "http://127.0.0.1:8079",
      UPSTASH_REDIS_REST_TOKEN: "t",
    });
    expect(limiter).toBeInstanceOf(UpstashRateLimiter);
  });

  it("falls back to the in-process limiter otherwise", () => {
    expect(createRateLimiter({})).toBeInstanceOf(InMemoryRateLimiter);
    expect(createRateLimiter({ UPSTASH_REDIS_REST_URL: "http://127.0.0.1:8079" })).toBeInstanceOf(
      InMemoryRateLimiter,
    );
    expect(createRateLimiter({ UPSTASH_REDIS_REST_TOKEN: "t" })).toBeInstanceOf(InMemoryRateLimiter);
    expect(createRateLimiter({ UPSTASH_REDIS_REST_URL: "", UPSTASH_REDIS_REST_TOKEN: "" })).toBeInstanceOf(
      InMemoryRateLimiter,
    );
  });
});
