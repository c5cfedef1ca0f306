/**
 * Two API server processes on one PostgreSQL and one Redis (through the Upstash-REST proxy):
 * the limits are global, a change on one instance reaches the other's subscribers and drops its
 * cached configuration, and racing updates lose nothing. PostgreSQL project only (PGlite cannot
 * be shared by two processes); with REQUIRE_REDIS=1 (CI) a missing Redis fails the run.
 */

import type { RunningServer } from "@wedsync/api/server";
import { createWedsyncClient, type RouterOutputs, type WedsyncClient } from "@wedsync/client";
import { type Cluster, startCluster } from "@wedsync/cluster";
import { aiConfigAudit } from "@wedsync/core";
import { and, asc, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ClientError } from "./harness/errors";
import { expectError } from "./harness/errors";
import { startTestServer } from "./harness/server";
import { postgresOnly, skipNote } from "./harness/skips";
import { subscribe } from "./harness/subscriptions";
import { createTenant, type Tenant } from "./harness/tenant";
import { byStatus, usageRows } from "./harness/usage";

const onPostgres = process.env.TEST_DB === "postgres";
const redisUrl = process.env.REDIS_URL;
if (onPostgres && !redisUrl && process.env.REQUIRE_REDIS === "1") {
  throw new Error("the cluster tests need REDIS_URL (REQUIRE_REDIS=1)");
}

type ConfigChange = RouterOutputs["platform"]["onConfigChange"] extends AsyncIterable<infer T> ? T : never;

describe.skipIf(!onPostgres || !redisUrl)(
  skipNote("two instances, one PostgreSQL, one Redis", postgresOnly ?? (redisUrl ? null : "needs REDIS_URL")),
  () => {
    let cluster: Cluster;
    /** An in-process instance on the same database, used to create test organizations. */
    let setup: RunningServer;

    beforeAll(async () => {
      cluster = await startCluster({
        instances: 2,
        databaseUrl: process.env.DATABASE_URL!,
        redisUrl: redisUrl!,
        // Cached configurations live for 10 minutes: only a change event can make them go.
        env: { CONFIG_CACHE_TTL_MS: "600000" },
      });
      setup = await startTestServer({ upstash: cluster.upstash });
    }, 180_000);
    afterAll(async () => {
      await setup?.close();
      await cluster?.stop();
    });

    /** The tenant's member API key, once per instance. */
    async function keyClients(t: Tenant): Promise<WedsyncClient[]> {
      const { key } = await t.apiKey("member");
      return cluster.instances.map((i) => createWedsyncClient({ url: i.url, apiKey: key }));
    }

    /** `total` extraction requests spread evenly over the instances, `concurrency` at a time. */
    async function spread(clients: WedsyncClient[], clientId: string, total: number, concurrency = 30) {
      const outcomes: string[] = [];
      let sent = 0;
      const worker = async () => {
        while (sent < total) {
          const n = sent++;
          try {
            await clients[n % clients.length]!.clients.process.mutate({
              clientId,
              featureType: "field_extraction",
              input: { text: `Request ${n}: Emma & Liam, 12 June 2027` },
            });
            outcomes.push("ok");
          } catch (err) {
            outcomes.push((err as ClientError).data?.code ?? "error");
          }
        }
      };
      await Promise.all(Array.from({ length: concurrency }, worker));
      return outcomes;
    }

    const count = (xs: string[], x: string) => xs.filter((y) => y === x).length;

    it("the rate limit is global: 300 requests over both instances against 60 a minute, exactly 60 admitted", async () => {
      // Upstash's sliding window weighs the previous minute's bucket: start well inside a minute.
      const intoMinute = Date.now() % 60_000;
      if (intoMinute > 40_000) await new Promise((r) => setTimeout(r, 60_000 - intoMinute + 200));
      const t = await createTenant(setup);
      const clients = await keyClients(t);
      const outcomes = await spread(clients, t.clientIds[0]!, 300);
      expect(count(outcomes, "ok")).toBe(60);
      expect(count(outcomes, "TOO_MANY_REQUESTS")).toBe(240);
      const rows = await usageRows(setup, t.organizationId);
      expect(byStatus(rows)).toEqual({ succeeded: 60, rejected: 240 });
    });

    it("the daily request cap is global: 200 requests over both instances against 40 a day, exactly 40 admitted", async () => {
      const t = await createTenant(setup);
      const owner = await t.as("owner");
      await owner.platform.config.update.mutate({
        featureType: "field_extraction",
        expectedVersion: 1,
        patch: { maxRequestsPerDay: 40, rateLimitPerMinute: 100_000 },
      });
      const outcomes = await spread(await keyClients(t), t.clientIds[0]!, 200);
      expect(count(outcomes, "ok")).toBe(40);
      expect(outcomes.length).toBe(200);
      const rows = await usageRows(setup, t.organizationId);
      expect(rows.filter((r) => r.status === "succeeded")).toHaveLength(40);
    });

    it("a change on instance A reaches B's subscribers and drops B's cached configuration at once", async () => {
      const t = await createTenant(setup);
      const [a, b] = cluster.instances as [Cluster["instances"][0], Cluster["instances"][0]];
      const { key: adminKey } = await t.apiKey("admin");
      const adminOnA = createWedsyncClient({ url: a.url, apiKey: adminKey });
      const [, memberOnB] = await keyClients(t);
      const clientId = t.clientIds[0]!;
      const request = () =>
        memberOnB!.clients.process.mutate({
          clientId,
          featureType: "field_extraction",
          input: { text: "Emma & Liam" },
        });

      await request(); // B now caches the enabled configuration (for 10 minutes)
      const invalidationsBefore = await eventInvalidations(b.url);
      const sub = subscribe<ConfigChange>((h) => memberOnB!.platform.onConfigChange.subscribe({}, h));
      await sub.started;

      const sentAt = performance.now();
      await adminOnA.platform.features.toggle.mutate({
        toggles: [{ featureType: "field_extraction", isEnabled: false }],
      });
      const [event] = await sub.waitFor(1, 1_000); // within a second, always
      const arrivedAfterMs = performance.now() - sentAt;
      expect(event!.data).toMatchObject({
        organizationId: t.organizationId,
        action: "toggle",
        after: { isEnabled: false },
      });
      expect(arrivedAfterMs).toBeLessThan(1_000);
      // B refuses at once: its cache was dropped by the event, not by a TTL.
      await expectError(request(), "FORBIDDEN");
      expect(await eventInvalidations(b.url)).toBeGreaterThan(invalidationsBefore);
      sub.stop();
    });

    it("1,000 updates racing from both instances: each based on a stale version gets CONFLICT with the current row, and no update is lost", async () => {
      const t = await createTenant(setup);
      const { key } = await t.apiKey("admin");
      const admins = cluster.instances.map((i) => createWedsyncClient({ url: i.url, apiKey: key }));
      const start = (await admins[0]!.platform.config.get.query()).features.find(
        (f) => f.featureType === "field_extraction",
      )!;
      const TARGET = 1_000;
      let claimed = 0;
      let conflicts = 0;
      const winners: number[] = [];
      // Each worker adds one to the daily cap, based on the row it last saw; on CONFLICT it takes
      // the current row from the error and tries again. Every increment must land exactly once.
      const worker = async (w: number) => {
        const client = admins[w % admins.length]!;
        let seen = { version: start.version, maxRequestsPerDay: start.maxRequestsPerDay };
        while (claimed < TARGET) {
          claimed++;
          for (;;) {
            try {
              const { config } = await client.platform.config.update.mutate({
                featureType: "field_extraction",
                expectedVersion: seen.version,
                patch: { maxRequestsPerDay: seen.maxRequestsPerDay + 1 },
              });
              winners.push(config.version);
              seen = config;
              break;
            } catch (err) {
              const e = err as ClientError;
              if (e.data?.code !== "CONFLICT") throw err;
              conflicts++;
              const current = (e.data.details as { current: typeof start }).current;
              expect(current.version).toBeGreaterThan(seen.version);
              seen = current;
            }
          }
        }
      };
      await Promise.all(Array.from({ length: 16 }, (_, w) => worker(w)));

      const end = (await admins[1]!.platform.config.get.query()).features.find(
        (f) => f.featureType === "field_extraction",
      )!;
      expect(winners).toHaveLength(TARGET);
      expect(new Set(winners).size).toBe(TARGET);
      expect(end.version).toBe(start.version + TARGET);
      expect(end.maxRequestsPerDay).toBe(start.maxRequestsPerDay + TARGET);
      expect(conflicts).toBeGreaterThan(0);
      const audit = await setup.services.db
        .select({ version: aiConfigAudit.version })
        .from(aiConfigAudit)
        .where(and(eq(aiConfigAudit.organizationId, t.organizationId), eq(aiConfigAudit.entityId, end.id)))
        .orderBy(asc(aiConfigAudit.version));
      expect(audit.map((r) => r.version)).toEqual(
        Array.from({ length: TARGET }, (_, i) => start.version + 1 + i),
      );
      // About 8,000 update attempts: ~60 s on a quiet 2-core machine, several times that when the
      // suite's other files load it. The assertions are about outcomes, never time.
    }, 480_000);
  },
);

async function eventInvalidations(url: string): Promise<number> {
  const text = await (await fetch(`${url}/metrics`)).text();
  const m = text.match(/^wedsync_config_cache_invalidations_total\{cause="event"\} (\d+)/m);
  return m ? Number(m[1]) : 0;
}
