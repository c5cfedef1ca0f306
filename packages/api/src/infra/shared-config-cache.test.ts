/**
 * The Redis layer of the config cache, against a real Redis through the Upstash REST proxy, and
 * the in-process cache on top of it with a real (PGlite) database. Without Redis these are
 * skipped, unless REQUIRE_REDIS=1 (CI), where a missing Redis fails the run.
 */
import { randomUUID } from "node:crypto";
import { aiPlatformConfigs } from "@wedsync/core";
import { probeRedis, startUpstashProxy, type UpstashProxy } from "@wedsync/upstash-proxy";
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ConfigCache } from "../services/config-cache";
import { OrganizationService } from "../services/organization-service";
import { type DatabaseHandle, openDatabase } from "./database";
import { createMetrics } from "./metrics";
import { UpstashSharedConfigCache } from "./shared-config-cache";

const REDIS_URL = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";
const redisProblem = await probeRedis(REDIS_URL);
if (redisProblem !== null && process.env.REQUIRE_REDIS === "1") {
  describe("shared config cache", () => {
    it("needs Redis (REQUIRE_REDIS=1)", () => {
      throw new Error(`Redis is not reachable at ${REDIS_URL} (${redisProblem}) and REQUIRE_REDIS=1`);
    });
  });
}

describe.skipIf(redisProblem !== null)("shared config cache (Redis at REDIS_URL)", () => {
  let proxy: UpstashProxy;
  let shared: UpstashSharedConfigCache;
  beforeAll(async () => {
    proxy = await startUpstashProxy({ redisUrl: REDIS_URL, token: "test-token" });
    shared = new UpstashSharedConfigCache({
      url: proxy.url,
      token: "test-token",
      ttlMs: 60_000,
      prefix: `wedsync:test:cfg:${randomUUID()}`,
    });
  });
  afterAll(() => proxy?.close());

  it("stores under the current generation; a bump hides it; a write from before the bump is refused", async () => {
    const org = randomUUID();
    const value = { at: new Date("2027-06-12T10:00:00Z"), limit: 5n, name: "x" };
    expect(await shared.read(org, "f")).toEqual({ generation: "0", value: null });
    await shared.write(org, "f", "0", value);
    expect(await shared.read(org, "f")).toEqual({ generation: "0", value });

    await shared.bump(org);
    expect(await shared.read(org, "f")).toEqual({ generation: "1", value: null });
    // A loader that read generation 0 before the change must not store what it loaded.
    await shared.write(org, "f", "0", { stale: true });
    expect(await shared.read(org, "f")).toEqual({ generation: "1", value: null });
    await shared.write(org, "f", "1", { fresh: true });
    expect((await shared.read(org, "f")).value).toEqual({ fresh: true });
    // Other organizations are untouched.
    expect(await shared.read(randomUUID(), "f")).toEqual({ generation: "0", value: null });
  });

  describe("under the in-process cache", () => {
    let handle: DatabaseHandle;
    beforeAll(async () => {
      handle = await openDatabase({ dataDir: "memory://" });
      await handle.migrate();
    });
    afterAll(() => handle?.close());

    it("a second instance answers from Redis; after a change both reload from the database", async () => {
      const org = await new OrganizationService(handle.db).createOrganization({
        name: "Cache Co",
        slug: `cache-${randomUUID().slice(0, 8)}`,
        tier: "enterprise",
        billingEmail: "c@cache.test",
      });
      const [m1, m2] = [createMetrics(), createMetrics()];
      const one = new ConfigCache(handle.db, { shared, metrics: m1 });
      const two = new ConfigCache(handle.db, { shared, metrics: m2 });
      const lookups = async (m: typeof m1) =>
        Object.fromEntries(
          (await m.configCacheLookups.get()).values.map((v) => [String(v.labels.result), v.value]),
        );

      expect((await one.get(org.id, "field_extraction", null)).platform.rateLimitPerMinute).toBe(60);
      await new Promise((r) => setTimeout(r, 100)); // the shared write is off the request path
      await two.get(org.id, "field_extraction", null);
      await two.get(org.id, "field_extraction", null);
      expect(await lookups(m1)).toEqual({ miss: 1 });
      expect(await lookups(m2)).toEqual({ shared_hit: 1, hit: 1 });

      await handle.db
        .update(aiPlatformConfigs)
        .set({ rateLimitPerMinute: 7 })
        .where(
          and(
            eq(aiPlatformConfigs.organizationId, org.id),
            eq(aiPlatformConfigs.featureType, "field_extraction"),
          ),
        );
      one.invalidateOrganization(org.id); // the instance that made the change
      two.invalidateOrganization(org.id, "event"); // another instance, told by the change event
      expect((await two.get(org.id, "field_extraction", null)).platform.rateLimitPerMinute).toBe(7);
      expect((await one.get(org.id, "field_extraction", null)).platform.rateLimitPerMinute).toBe(7);
      const invalidations = (await m2.configCacheInvalidations.get()).values;
      expect(invalidations).toEqual([expect.objectContaining({ labels: { cause: "event" }, value: 1 })]);
    });
  });
});
