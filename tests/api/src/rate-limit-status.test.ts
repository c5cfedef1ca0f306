/**
 * usage.rateLimits: each feature's rate limit, what is left of it and when a slot frees up, read
 * with the key and window admission counts under and WITHOUT using any of it. On the in-process
 * limiter, and on the Redis one (through the Upstash REST proxy) when REDIS_URL is set; with
 * REQUIRE_REDIS=1 (CI) a missing Redis fails the run.
 */
import type { RunningServer } from "@wedsync/api/server";
import { createWedsyncClient, type WedsyncClient } from "@wedsync/client";
import { startUpstashProxy, type UpstashProxy } from "@wedsync/upstash-proxy";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expectError } from "./harness/errors";
import { startTestServer } from "./harness/server";
import { skipNote } from "./harness/skips";
import { createTenant, type Tenant } from "./harness/tenant";

const redisUrl = process.env.REDIS_URL;
if (!redisUrl && process.env.REQUIRE_REDIS === "1") {
  throw new Error("the Redis rate-limit status tests need REDIS_URL (REQUIRE_REDIS=1)");
}

const LIMIT = 10;

/**
 * Upstash's window is two epoch-aligned buckets, the previous one weighted by how much of it still
 * overlaps: requests sent just before a minute boundary count for less just after it. Start well
 * inside a minute so every request and every reading falls in one bucket (harmless in process).
 */
async function startInsideAMinute() {
  const intoMinute = Date.now() % 60_000;
  if (intoMinute > 40_000) await new Promise((r) => setTimeout(r, 60_000 - intoMinute + 200));
}

/** A tenant whose field extraction allows LIMIT requests a minute, and its member API key. */
async function tenantAt(server: RunningServer, limit = LIMIT) {
  const t = await createTenant(server, { clients: 1 });
  const owner = await t.as("owner");
  await owner.platform.config.update.mutate({
    featureType: "field_extraction",
    expectedVersion: 1,
    patch: { rateLimitPerMinute: limit },
  });
  const { client: key } = await t.apiKey("member");
  return { t, key, member: await t.as("member") };
}

const extract = (client: WedsyncClient, t: Tenant, n: number) =>
  client.clients.process.mutate({
    clientId: t.clientIds[0]!,
    featureType: "field_extraction",
    input: { text: `Request ${n}: Emma & Liam, 12 June 2027` },
  });

async function statusOf(client: WedsyncClient, feature = "field_extraction") {
  const status = await client.usage.rateLimits.query();
  return status.features.find((f) => f.featureType === feature)!;
}

function suite(name: string, start: () => Promise<RunningServer>) {
  describe(name, () => {
    let server: RunningServer;
    beforeAll(async () => {
      server = await start();
    });
    afterAll(() => server?.close());

    it("after N requests remaining is limit − N, reading it uses none, and the rest are still admitted", async () => {
      await startInsideAMinute();
      const { t, key, member } = await tenantAt(server);
      const before = await statusOf(member);
      expect(before).toMatchObject({
        limitPerMinute: LIMIT,
        remaining: LIMIT,
        resetAt: null,
        resetsInMs: null,
      });

      const sent = 4;
      for (let i = 0; i < sent; i++) await extract(key, t, i);
      const after = await statusOf(member);
      expect(after).toMatchObject({ limitPerMinute: LIMIT, remaining: LIMIT - sent, refusedBecause: null });
      expect(after.resetsInMs).toBeGreaterThan(0);
      expect(after.resetsInMs).toBeLessThanOrEqual(60_000);
      expect(Date.parse(after.resetAt!)).toBeGreaterThan(Date.now() - 1_000);

      // Peeking many times (as the member and with the key) changes nothing...
      for (let i = 0; i < 10; i++) {
        expect((await statusOf(i % 2 ? member : key)).remaining).toBe(LIMIT - sent);
      }
      // ...and every slot it reported is really there: exactly LIMIT − N more are admitted.
      for (let i = sent; i < LIMIT; i++) await extract(key, t, i);
      expect((await statusOf(member)).remaining).toBe(0);
      const refused = await expectError(extract(key, t, LIMIT), "TOO_MANY_REQUESTS");
      expect(refused.message).toMatch(/Rate limit of 10 requests a minute/);
      expect((await statusOf(member)).remaining).toBe(0);
    });

    it("another organization, and the organization's other features, are unaffected", async () => {
      await startInsideAMinute();
      const busy = await tenantAt(server);
      const quiet = await tenantAt(server);
      for (let i = 0; i < 3; i++) await extract(busy.key, busy.t, i);
      expect((await statusOf(busy.member)).remaining).toBe(LIMIT - 3);
      expect(await statusOf(quiet.member)).toMatchObject({ remaining: LIMIT, resetAt: null });
      const pdf = await statusOf(busy.member, "pdf_analysis");
      expect(pdf.remaining).toBe(pdf.limitPerMinute);
      // Each organization reads its own: naming another one is NOT_FOUND.
      await expectError(
        busy.member.usage.rateLimits.query({ organizationId: quiet.t.organizationId }),
        "NOT_FOUND",
      );
    });

    it("follows the configuration: a new limit at once, a limit of 0, and features outside the tier", async () => {
      const { t, member } = await tenantAt(server, 7);
      expect((await statusOf(member)).limitPerMinute).toBe(7);
      const owner = await t.as("owner");
      await owner.platform.config.update.mutate({
        featureType: "field_extraction",
        expectedVersion: 2,
        patch: { rateLimitPerMinute: 0 },
      });
      expect(await statusOf(member)).toMatchObject({ limitPerMinute: 0, remaining: 0, resetAt: null });

      const free = await createTenant(server, { tier: "free" });
      const freeMember = await free.as("member");
      const status = await freeMember.usage.rateLimits.query();
      expect(status.windowSeconds).toBe(60);
      expect(status.features.map((f) => [f.featureType, f.refusedBecause])).toEqual([
        ["pdf_analysis", "tier"],
        ["field_extraction", null],
        ["smart_mapping", "tier"],
      ]);
    });

    it("needs a member of the organization", async () => {
      const anonymous = createWedsyncClient({ url: server.url });
      await expectError(anonymous.usage.rateLimits.query(), "UNAUTHORIZED");
    });
  });
}

suite("usage.rateLimits (in-process limiter)", () => startTestServer());

describe.skipIf(!redisUrl)(skipNote("on Redis", redisUrl ? null : "needs REDIS_URL"), () => {
  let proxy: UpstashProxy;
  beforeAll(async () => {
    proxy = await startUpstashProxy({ redisUrl: redisUrl!, token: `rl-status-${Date.now()}` });
  });
  afterAll(() => proxy?.close());
  suite("usage.rateLimits (Redis limiter, shared by instances)", () =>
    startTestServer({ upstash: { url: proxy.url, token: proxy.token } }));
});
