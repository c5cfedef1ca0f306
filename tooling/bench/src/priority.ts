/**
 * `npm run bench:priority`: priority under provider saturation. The OpenAI-compatible provider is
 * the fake upstream (tooling/fake-openai, a real HTTP server) answering after a fixed latency, and
 * the platform lets only a few calls reach it at once; a burst of requests from organizations
 * whose feature runs at high, normal and low priority arrives all at once, in shuffled order,
 * through /v1/chat/completions (real HTTP, admission and billing included).
 *
 * Two waits per request: in the queue, from its admission (its usage row's creation) to the
 * moment the upstream receives it, or to its refusal at the wait bound (the row's completion);
 * and end to end, from the moment it is sent (admission included: 200 admissions at once on one
 * database take a while, and whoever is admitted first meets free slots whatever its priority).
 * Every request must be answered or refused with its reason, with exactly one completed usage row.
 */
import { startServer } from "@wedsync/api/server";
import { aiPlatformConfigs, aiUsageLogs, summarizeLatencies } from "@wedsync/core";
import { startFakeOpenAI } from "@wedsync/fake-openai";
import { eq, inArray } from "drizzle-orm";
import { benchDatabaseUrl, optionsFrom, parseFlags, valueFlags } from "./cli";
import { recreateDatabase } from "./database";

const HELP = `npm run bench:priority [-- --requests=200 --concurrency=4 --latency-ms=200 --max-wait-ms=10000 --mix=20,30,50]
  --requests     requests sent at once (BENCH_PRIORITY_REQUESTS, default 200)
  --concurrency  calls the provider takes at once (BENCH_PRIORITY_CONCURRENCY, default 4)
  --latency-ms   the fake upstream's answer time (BENCH_PRIORITY_LATENCY_MS, default 200)
  --max-wait-ms  the queue's wait bound, AI_QUEUE_MAX_WAIT_MS (BENCH_PRIORITY_MAX_WAIT_MS, default 10000)
  --mix          percent of high,normal,low requests (BENCH_PRIORITY_MIX, default 20,30,50)
  --database-url PostgreSQL to run on (BENCH_DATABASE_URL; dropped and recreated, so its name must
                 contain "bench", e.g. postgres://postgres@127.0.0.1:5433/wedsync_bench_priority);
                 without it, an in-memory PGlite database.`;

const opt = optionsFrom(
  parseFlags(
    process.argv.slice(2),
    valueFlags("requests", "concurrency", "latency-ms", "max-wait-ms", "mix", "database-url"),
    HELP,
  ),
  process.env,
);
const REQUESTS = opt.int("requests", "BENCH_PRIORITY_REQUESTS", 200);
const CONCURRENCY = opt.int("concurrency", "BENCH_PRIORITY_CONCURRENCY", 4);
const LATENCY_MS = opt.int("latency-ms", "BENCH_PRIORITY_LATENCY_MS", 200, { allowZero: true });
const MAX_WAIT_MS = opt.int("max-wait-ms", "BENCH_PRIORITY_MAX_WAIT_MS", 10_000);
const MIX = (opt.raw("mix", "BENCH_PRIORITY_MIX") ?? "20,30,50").split(",").map(Number);
if (
  MIX.length !== 3 ||
  MIX.some((n) => !Number.isFinite(n) || n < 0) ||
  MIX[0]! + MIX[1]! + MIX[2]! !== 100
) {
  throw new Error(`--mix must be three percentages adding up to 100, got "${MIX.join(",")}"\n\n${HELP}`);
}

const rawDatabaseUrl = opt.raw("database-url", "BENCH_DATABASE_URL");
const DATABASE_URL = rawDatabaseUrl
  ? benchDatabaseUrl(rawDatabaseUrl, "postgres://postgres@127.0.0.1:5433/wedsync_bench_priority")
  : undefined;
if (DATABASE_URL) recreateDatabase(DATABASE_URL);

const BANDS = [
  { band: "high", level: 2 },
  { band: "normal", level: 5 },
  { band: "low", level: 8 },
] as const;
type Band = (typeof BANDS)[number]["band"];

/** A small seeded generator (mulberry32), so every run sends the same shuffled order. */
function seeded(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

const fake = await startFakeOpenAI();
fake.setBehavior({ kind: "ok", delayMs: LATENCY_MS, usage: { prompt_tokens: 50, completion_tokens: 10 } });
const server = await startServer({
  port: 0,
  logLevel: "warn",
  serveApps: false,
  ...(DATABASE_URL && { databaseUrl: DATABASE_URL }),
  providers: {
    openai: { apiKey: "sk-bench", baseURL: fake.url },
    concurrency: { openai: CONCURRENCY },
    queueMaxWaitMs: MAX_WAIT_MS,
  },
});

try {
  const { services } = server;
  // One organization per band: priorityLevel is the platform's, per organization and feature.
  const orgs = await Promise.all(
    BANDS.map(async ({ band, level }) => {
      const org = await services.organizations.createOrganization({
        name: `Priority Bench ${band}`,
        slug: `priority-bench-${band}-${Date.now()}`,
        tier: "enterprise",
        billingEmail: "bench@wedsync.invalid",
      });
      await services.db
        .update(aiPlatformConfigs)
        .set({ priorityLevel: level, maxRequestsPerDay: 1_000_000, rateLimitPerMinute: 100_000 })
        .where(eq(aiPlatformConfigs.organizationId, org.id));
      const { secret } = await services.auth.createApiKey({
        organizationId: org.id,
        name: "priority bench",
        role: "member",
        defaultFeature: "field_extraction",
        createdBy: null,
      });
      return { band, organizationId: org.id, apiKey: secret };
    }),
  );

  // The burst: MIX percent of each band, shuffled.
  const counts = MIX.map((p) => Math.round((REQUESTS * p) / 100));
  counts[2] = REQUESTS - counts[0]! - counts[1]!;
  const plan: Band[] = BANDS.flatMap(({ band }, i) => Array<Band>(counts[i]!).fill(band));
  const random = seeded(15);
  for (let i = plan.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [plan[i], plan[j]] = [plan[j]!, plan[i]!];
  }

  interface Outcome {
    band: Band;
    sentAt: number;
    endedAt: number;
    kind: "answered" | "refused" | "error";
    reason: string;
    /** The usage row's request id (x-wedsync-request-id), when the request was admitted. */
    requestId: string | null;
  }
  const send = async (band: Band, content: string): Promise<Outcome> => {
    const { apiKey } = orgs.find((o) => o.band === band)!;
    const sentAt = Date.now();
    try {
      const res = await fetch(`${server.url}/v1/chat/completions`, {
        method: "POST",
        headers: { authorization: `Bearer ${apiKey}`, "content-type": "application/json" },
        body: JSON.stringify({ model: "gpt-4o-mini", messages: [{ role: "user", content }] }),
      });
      const body = (await res.json()) as { error?: { code?: string } };
      const endedAt = Date.now();
      const requestId = res.headers.get("x-wedsync-request-id");
      if (res.ok) return { band, sentAt, endedAt, kind: "answered", reason: "ok", requestId };
      const code = body.error?.code ?? String(res.status);
      const refusal = code === "provider_saturated" && res.headers.get("retry-after") !== null;
      return { band, sentAt, endedAt, kind: refusal ? "refused" : "error", reason: code, requestId };
    } catch (err) {
      return { band, sentAt, endedAt: Date.now(), kind: "error", reason: String(err), requestId: null };
    }
  };

  // Warm up (code paths, configuration caches), one request per band at a time; not measured.
  for (let i = 0; i < 5; i++) for (const { band } of BANDS) await send(band, `warm-${band}-${i}`);
  fake.reset();
  fake.setBehavior({ kind: "ok", delayMs: LATENCY_MS, usage: { prompt_tokens: 50, completion_tokens: 10 } });

  const started = Date.now();
  const outcomes = await Promise.all(plan.map((band, i) => send(band, `req-${i}`)));
  const elapsedMs = Date.now() - started;

  // When the upstream received each answered request (its content names it).
  const arrivedAt = new Map<number, number>();
  for (const r of fake.requests) {
    const content = (r.body as { messages: Array<{ content: string }> }).messages.at(-1)!.content;
    arrivedAt.set(Number(content.slice(4)), r.time);
  }
  // Nothing lost: every request has one completed usage row.
  await services.tracker.drain();
  const requestIds = outcomes.flatMap((o) => (o.requestId ? [o.requestId] : []));
  const rows = await services.db
    .select({
      requestId: aiUsageLogs.requestId,
      status: aiUsageLogs.status,
      createdAt: aiUsageLogs.createdAt,
      completedAt: aiUsageLogs.completedAt,
    })
    .from(aiUsageLogs)
    .where(inArray(aiUsageLogs.requestId, requestIds));
  const rowOf = new Map(rows.map((r) => [r.requestId, r]));
  const pending = rows.filter((r) => r.status === "pending").length;

  const queueWaits = new Map<Band, number[]>(BANDS.map(({ band }) => [band, []]));
  const endToEnd = new Map<Band, number[]>(BANDS.map(({ band }) => [band, []]));
  let unmatched = 0;
  outcomes.forEach((o, i) => {
    const arrived = arrivedAt.get(i);
    const row = o.requestId ? rowOf.get(o.requestId) : undefined;
    if (o.kind === "answered" && (arrived === undefined || !row)) unmatched++;
    const servedAt =
      o.kind === "answered" ? (arrived ?? o.endedAt) : (row?.completedAt?.getTime() ?? o.endedAt);
    endToEnd.get(o.band)!.push(Math.max(0, servedAt - o.sentAt));
    if (row) queueWaits.get(o.band)!.push(Math.max(0, servedAt - row.createdAt.getTime()));
  });
  const answered = outcomes.filter((o) => o.kind === "answered").length;
  const refused = outcomes.filter((o) => o.kind === "refused").length;
  const errors = outcomes.filter((o) => o.kind === "error");
  const lost =
    REQUESTS - answered - refused - errors.length + unmatched + pending + Math.abs(rows.length - REQUESTS);

  const fmt = (n: number) => n.toFixed(0).padStart(7);
  console.log(
    `\nPriority under saturation: ${REQUESTS} requests at once (high/normal/low ${counts.join("/")}), provider limited to ` +
      `${CONCURRENCY} concurrent calls of ${LATENCY_MS} ms, wait bound ${MAX_WAIT_MS} ms, ` +
      `${DATABASE_URL ? "PostgreSQL" : "PGlite"}; all done in ${elapsedMs} ms`,
  );
  const table = (title: string, waits: Map<Band, number[]>) => {
    console.log(`  ${title.padEnd(24)} requests   p50 wait   p95 wait   max wait (ms)`);
    const p95: Partial<Record<Band, number>> = {};
    for (const { band } of BANDS) {
      const s = summarizeLatencies(waits.get(band)!);
      if (!s) continue;
      p95[band] = s.p95Ms;
      console.log(
        `    ${band.padEnd(20)} ${String(s.count).padStart(8)}   ${fmt(s.p50Ms)}    ${fmt(s.p95Ms)}    ${fmt(s.maxMs)}`,
      );
    }
    return p95.high !== undefined && p95.low ? p95.high / p95.low : Number.NaN;
  };
  const ratio = table("in the queue", queueWaits);
  console.log(
    `    high p95 / low p95: ${ratio.toFixed(3)} (target at most 0.25: ${ratio <= 0.25 ? "met" : "NOT MET"})`,
  );
  const e2e = table("end to end (from sending)", endToEnd);
  console.log(`    high p95 / low p95: ${e2e.toFixed(3)}`);
  const refusedBy = (band: Band) => outcomes.filter((o) => o.kind === "refused" && o.band === band).length;
  console.log(
    `  answered ${answered}, refused ${refused} (provider_saturated: high ${refusedBy("high")}, normal ${refusedBy("normal")}, low ${refusedBy("low")}), ` +
      `other errors ${errors.length}${errors.length ? ` (${[...new Set(errors.map((e) => e.reason))].join(", ")})` : ""}, ` +
      `lost ${lost} (target 0: ${lost === 0 ? "met" : "NOT MET"}); usage rows ${rows.length}, pending ${pending}`,
  );
  if (lost !== 0 || errors.length > 0) process.exitCode = 1;
} finally {
  await server.close();
  await fake.close();
}
