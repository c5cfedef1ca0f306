/**
 * `pnpm bench:events`: how long a committed configuration change takes to reach subscribers,
 * on the instance that made it (the baseline) and on another instance (through PostgreSQL
 * LISTEN/NOTIFY), idle and while both instances serve AI requests.
 *
 * Two API processes on one PostgreSQL and one Redis (tooling/cluster). A writer changes a
 * platform config through instance A, one change at a time; a member's subscription on A and one
 * on B record when each change arrives. The commit happens somewhere inside the mutation's round
 * trip, so "sent → arrived" is an upper bound on commit → arrived.
 */
import { startServer } from "@wedsync/api/server";
import { createWedsyncClient, type WedsyncClient } from "@wedsync/client";
import { startCluster } from "@wedsync/cluster";
import { aiPlatformConfigs, summarizeLatencies } from "@wedsync/core";
import { eq } from "drizzle-orm";
import { benchDatabaseUrl, optionsFrom, parseFlags, valueFlags } from "./cli";
import { recreateDatabase } from "./database";

const DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5433/wedsync_bench_events";
const HELP = `pnpm bench:events [--changes=300] [--load=8] [--database-url=postgres://...] [--redis-url=redis://...]
Environment: BENCH_EVENT_CHANGES, BENCH_EVENT_LOAD (concurrent AI requests during the loaded run),
BENCH_DATABASE_URL (default ${DEFAULT_DATABASE_URL}; dropped and recreated, so its name must
contain "bench"), REDIS_URL.`;

const env = process.env;
const opt = optionsFrom(
  parseFlags(process.argv.slice(2), valueFlags("changes", "load", "database-url", "redis-url"), HELP),
  env,
);
const DATABASE_URL = benchDatabaseUrl(
  opt.raw("database-url", "BENCH_DATABASE_URL") ?? DEFAULT_DATABASE_URL,
  DEFAULT_DATABASE_URL,
);
const REDIS_URL = opt.raw("redis-url", "REDIS_URL") ?? "redis://127.0.0.1:6379";
const CHANGES = opt.int("changes", "BENCH_EVENT_CHANGES", 300);
const LOAD_CONCURRENCY = opt.int("load", "BENCH_EVENT_LOAD", 8);

recreateDatabase(DATABASE_URL);

// An in-process instance migrates and seeds; the cluster's two processes are measured.
const setup = await startServer({ port: 0, databaseUrl: DATABASE_URL, logLevel: "warn", serveApps: false });
const org = await setup.services.organizations.createOrganization({
  name: "Event Bench Weddings",
  slug: `event-bench-${Date.now()}`,
  tier: "enterprise",
  billingEmail: "bench@wedsync.invalid",
});
await setup.services.db
  .update(aiPlatformConfigs)
  .set({ maxRequestsPerDay: 2_000_000_000, rateLimitPerMinute: 100_000 })
  .where(eq(aiPlatformConfigs.organizationId, org.id));
const client = await setup.services.organizations.createClient({
  organizationId: org.id,
  coupleNames: "Bench Couple",
});
const key = async (role: "admin" | "member") =>
  (
    await setup.services.auth.createApiKey({
      organizationId: org.id,
      name: `bench ${role}`,
      role,
      defaultFeature: "field_extraction",
      createdBy: null,
    })
  ).secret;
const [adminKey, memberKey] = [await key("admin"), await key("member")];
await setup.close();

const cluster = await startCluster({ instances: 2, databaseUrl: DATABASE_URL, redisUrl: REDIS_URL });
const [a, b] = cluster.instances as [(typeof cluster.instances)[0], (typeof cluster.instances)[0]];
const on = (url: string, apiKey: string) => createWedsyncClient({ url, apiKey });
const writer = on(a.url, adminKey);

type Arrivals = Map<string, number>;
function listen(c: WedsyncClient): { arrivals: Arrivals; ready: Promise<void>; stop(): void } {
  const arrivals: Arrivals = new Map();
  let started!: () => void;
  const ready = new Promise<void>((r) => {
    started = r;
  });
  const sub = c.platform.onConfigChange.subscribe(
    {},
    {
      onStarted: () => started(),
      onData: (e) => arrivals.set(String(e.data.auditId), performance.now()),
      onError: (err) => console.error("subscription failed", err),
    },
  );
  return { arrivals, ready, stop: () => sub.unsubscribe() };
}

/** Background AI traffic on both instances until stopped (local rules engine). */
function load(concurrency: number) {
  let running = true;
  let done = 0;
  const clients = [on(a.url, memberKey), on(b.url, memberKey)];
  const workers = Array.from({ length: concurrency }, async (_, w) => {
    while (running) {
      await clients[w % 2]!.clients.process.mutate({
        clientId: client.id,
        featureType: "field_extraction",
        input: { text: "Emma & Liam, 12 June 2027" },
      }).catch(() => {});
      done++;
    }
  });
  return {
    stop: async () => {
      running = false;
      await Promise.all(workers);
      return done;
    },
  };
}

async function measure(label: string) {
  const same = listen(on(a.url, memberKey));
  const other = listen(on(b.url, memberKey));
  await Promise.all([same.ready, other.ready]);
  await new Promise((r) => setTimeout(r, 300)); // the generators subscribe just after the stream opens
  const sent = new Map<string, number>();
  const roundTrips: number[] = [];
  let current = (await writer.platform.config.get.query()).features.find(
    (f) => f.featureType === "field_extraction",
  )!;
  for (let i = 0; i < CHANGES; i++) {
    const t0 = performance.now();
    const { config } = await writer.platform.config.update.mutate({
      featureType: "field_extraction",
      expectedVersion: current.version,
      patch: { priorityLevel: (current.priorityLevel % 9) + 1 }, // always a real change
    });
    roundTrips.push(performance.now() - t0);
    current = config;
    const audit = (await writer.platform.audit.list.query({ limit: 1 })).entries[0]!;
    sent.set(String(audit.id), t0);
  }
  const deadline = Date.now() + 5_000;
  while ((same.arrivals.size < sent.size || other.arrivals.size < sent.size) && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 50));
  }
  same.stop();
  other.stop();
  const delays = (arrivals: Arrivals) =>
    [...sent].flatMap(([id, t0]) => (arrivals.has(id) ? [arrivals.get(id)! - t0] : []));
  const sameStats = summarizeLatencies(delays(same.arrivals))!;
  const otherStats = summarizeLatencies(delays(other.arrivals))!;
  const fmt = (n: number) => n.toFixed(1).padStart(7);
  console.log(`\n${label}: ${CHANGES} changes, one at a time, written through instance A`);
  console.log("                          p50      p95      p99      max   received");
  console.log(
    `  subscriber on A    ${fmt(sameStats.p50Ms)}  ${fmt(sameStats.p95Ms)}  ${fmt(sameStats.p99Ms)}  ${fmt(sameStats.maxMs)}   ${same.arrivals.size}/${sent.size}`,
  );
  console.log(
    `  subscriber on B    ${fmt(otherStats.p50Ms)}  ${fmt(otherStats.p95Ms)}  ${fmt(otherStats.p99Ms)}  ${fmt(otherStats.maxMs)}   ${other.arrivals.size}/${sent.size}`,
  );
  const rt = summarizeLatencies(roundTrips)!;
  console.log(
    `  mutation round trip ${fmt(rt.p50Ms)}  ${fmt(rt.p95Ms)}  ${fmt(rt.p99Ms)}  ${fmt(rt.maxMs)}   (ms)`,
  );
  console.log(
    `  B/A ratio at p99: ${(otherStats.p99Ms / sameStats.p99Ms).toFixed(2)}; targets: B within 1000 ms always ` +
      `(max ${otherStats.maxMs.toFixed(1)}: ${otherStats.maxMs <= 1000 && other.arrivals.size === sent.size ? "met" : "NOT MET"}), ` +
      `within 100 ms at p99 (${otherStats.p99Ms.toFixed(1)}: ${otherStats.p99Ms <= 100 ? "met" : "NOT MET"})`,
  );
}

try {
  await measure("Idle");
  const background = load(LOAD_CONCURRENCY);
  await measure(`Under load (${LOAD_CONCURRENCY} concurrent AI requests spread over both instances)`);
  const requests = await background.stop();
  console.log(`  background requests served during the loaded run: ${requests}`);
} finally {
  await cluster.stop();
}
