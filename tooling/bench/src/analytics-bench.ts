/**
 * `pnpm bench:analytics`: how fast the analytics queries answer on the database
 * `pnpm db:seed:large` filled (10 million usage rows), for its largest organization.
 *
 * The API runs in-process (startServer on PostgreSQL, no web apps). Every query is run warm,
 * one at a time, several times: the services directly (analytics.usage for a month, the last 30
 * days, a quarter and the year; billing.calculateMonthlyCosts; billing.checkCreditLimits; the
 * invoice preview), and the same through real HTTP with the typed client
 * and an API key. The baseline, measured in the same run: the same answers (totals, breakdowns by
 * feature, client, model and day, last year's totals, the monthly history, exact percentiles)
 * aggregated directly from ai_usage_logs, as a dashboard without rollups would. Target: every
 * analytics query under 100 ms. Then EXPLAIN (ANALYZE, BUFFERS) of the statements the services
 * themselves send for analytics.usage and the invoice preview, recorded as they are sent.
 */
import { execFileSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { type RunningServer, startServer } from "@wedsync/api/server";
import { createWedsyncClient } from "@wedsync/client";
import {
  addDays,
  type LatencySummary,
  lastDayOfMonth,
  sameDayLastYear,
  summarizeLatencies,
  toMicros,
} from "@wedsync/core";
import postgres from "postgres";
import { ANALYTICS_DATABASE_URL, benchDatabaseUrl, optionsFrom, parseFlags, valueFlags } from "./cli";
import { type CpuGroup, cpuShare, sampleCpu } from "./cpu";
import { type ExplainedStatement, explainStatements, recordingDatabase } from "./explain";

const HELP = `pnpm bench:analytics [--reps=30] [--warmup=3] [--raw-reps=5] [--quiet-wait=900] [--database-url=postgres://...]
Environment: BENCH_REPS, BENCH_WARMUP, BENCH_RAW_REPS, BENCH_QUIET_WAIT (seconds to wait for an idle
machine before each measurement), BENCH_DATABASE_URL or DATABASE_URL
(default ${ANALYTICS_DATABASE_URL}, filled by pnpm db:seed:large).`;

const env = process.env;
const opt = optionsFrom(
  parseFlags(
    process.argv.slice(2),
    valueFlags("reps", "warmup", "raw-reps", "quiet-wait", "database-url"),
    HELP,
  ),
  env,
);
const databaseUrl = benchDatabaseUrl(
  opt.raw("database-url", "BENCH_DATABASE_URL") ?? env.DATABASE_URL ?? ANALYTICS_DATABASE_URL,
  ANALYTICS_DATABASE_URL,
);
const REPS = opt.int("reps", "BENCH_REPS", 30);
const WARMUP = opt.int("warmup", "BENCH_WARMUP", 3, { allowZero: true });
const RAW_REPS = opt.int("raw-reps", "BENCH_RAW_REPS", 5);
const QUIET_WAIT_S = opt.int("quiet-wait", "BENCH_QUIET_WAIT", 900, { allowZero: true });
const TARGET_MS = 100;

const fmt = (n: number | string) => Number(n).toLocaleString("en-US");
const ms = (n: number) => (n >= 100 ? n.toFixed(0) : n.toFixed(1));
const sql = postgres(databaseUrl, {
  max: 1,
  onnotice: () => {},
  connection: { application_name: "bench-raw" },
});

const [run] = await sql<{ summary: { rows: number; totalSeconds: number; seededAt: string } }[]>`
  select summary from bench_seed.run order by id desc limit 1`.catch(() => []);
if (!run) throw new Error(`${databaseUrl} has not been seeded: run pnpm db:seed:large first`);

// ---------------------------------------------------------------------------------------------
// The organization and the periods
// ---------------------------------------------------------------------------------------------

const [org] = await sql<{ id: string; name: string; timezone: string; first: string; last: string }[]>`
  select o.id, o.name, o.timezone, min(r.day)::text as first, max(r.day)::text as last
    from organizations o join ai_usage_daily_rollups r on r.organization_id = o.id
   group by o.id order by sum(r.requests + r.rejected) desc limit 1`;
if (!org) throw new Error("no usage in the database");
const byMonth = await sql<{ month: string; n: string }[]>`
  select to_char(day, 'YYYY-MM') as month, sum(requests + rejected)::text as n
    from ai_usage_daily_rollups where organization_id = ${org.id} group by 1 order by 1`;
const complete = byMonth.filter((m) => `${m.month}-01` >= org.first && lastDayOfMonth(m.month) <= org.last);
const peakMonth = complete.reduce((a, b) => (Number(b.n) > Number(a.n) ? b : a)).month;
const quarters = new Map<string, number>();
for (const m of complete) {
  const [y, mm] = m.month.split("-").map(Number) as [number, number];
  const q = `${y}-Q${Math.ceil(mm / 3)}`;
  quarters.set(q, (quarters.get(q) ?? 0) + Number(m.n));
}
const fullQuarters = [...quarters].filter(
  ([q]) =>
    complete.filter((m) => `${m.month.slice(0, 4)}-Q${Math.ceil(Number(m.month.slice(5)) / 3)}` === q)
      .length === 3,
);
const [peakQuarter] = fullQuarters.reduce((a, b) => (b[1] > a[1] ? b : a));
const qStartMonth = (Number(peakQuarter.slice(6)) - 1) * 3 + 1;
const qFrom = `${peakQuarter.slice(0, 4)}-${String(qStartMonth).padStart(2, "0")}-01`;
const qTo = lastDayOfMonth(`${peakQuarter.slice(0, 4)}-${String(qStartMonth + 2).padStart(2, "0")}`);

interface Period {
  label: string;
  from: string;
  to: string;
}
const periods: Period[] = [
  { label: `month (${peakMonth}, the busiest)`, from: `${peakMonth}-01`, to: lastDayOfMonth(peakMonth) },
  { label: "last 30 days", from: addDays(org.last, -29), to: org.last },
  { label: `quarter (${peakQuarter}, the busiest)`, from: qFrom, to: qTo },
  { label: "year (365 days)", from: addDays(org.last, -364), to: org.last },
];

/**
 * How many rows each period holds: in the raw log, and in the client-level daily rollup (what
 * the service read before the coarser rollups). What the service's statements read now is in
 * their plans, below.
 */
async function rowCounts(p: Period) {
  const [c] = await sql<{ raw: string; rollups: string }[]>`
    select
      (select count(*) from ai_usage_logs where organization_id = ${org!.id}
          and created_at >= (${p.from}::date::timestamp at time zone ${org!.timezone})
          and created_at < ((${p.to}::date + 1)::timestamp at time zone ${org!.timezone}))::text as raw,
      (select count(*) from ai_usage_daily_rollups where organization_id = ${org!.id}
          and day between ${p.from} and ${p.to})::text as rollups`;
  return c!;
}

// ---------------------------------------------------------------------------------------------
// The baseline: the same answers straight from ai_usage_logs
// ---------------------------------------------------------------------------------------------

const rawTotals = `
  count(*) filter (where status in ('succeeded', 'failed')) as requests,
  count(*) filter (where status = 'succeeded') as succeeded,
  count(*) filter (where status = 'failed') as failed,
  count(*) filter (where status in ('succeeded', 'failed') and degraded) as degraded,
  count(*) filter (where status = 'rejected') as rejected,
  count(*) filter (where rejection_reason = 'feature_disabled') as r_feature_disabled,
  count(*) filter (where rejection_reason = 'tier') as r_tier,
  count(*) filter (where rejection_reason = 'rate_limited') as r_rate_limited,
  count(*) filter (where rejection_reason = 'daily_request_cap') as r_daily_request_cap,
  count(*) filter (where rejection_reason = 'daily_cost_cap') as r_daily_cost_cap,
  count(*) filter (where rejection_reason = 'credit_limit') as r_credit_limit,
  coalesce(sum(input_tokens), 0) as input_tokens, coalesce(sum(output_tokens), 0) as output_tokens,
  coalesce(sum(cached_input_tokens), 0) as cached_input_tokens,
  coalesce(sum((cost_usd * 1000000)::bigint), 0) as cost_micros`;
const inRange = (from: string, to: string) => `
  organization_id = $1
  and created_at >= ('${from}'::date::timestamp at time zone $2)
  and created_at < (('${to}'::date + 1)::timestamp at time zone $2)`;

/** What analytics.usage answers, computed from the raw rows (4 statements, one connection). */
async function rawUsage(p: Period) {
  const breakdown = await sql.unsafe(
    `select feature_type, client_id, model, (created_at at time zone $2)::date as day,
            grouping(feature_type, client_id, model, (created_at at time zone $2)::date) as g, ${rawTotals}
       from ai_usage_logs where ${inRange(p.from, p.to)}
      group by grouping sets ((), (feature_type), (client_id), (model), ((created_at at time zone $2)::date))`,
    [org!.id, org!.timezone],
  );
  const lastYear = await sql.unsafe(
    `select ${rawTotals} from ai_usage_logs where ${inRange(sameDayLastYear(p.from), sameDayLastYear(p.to))}`,
    [org!.id, org!.timezone],
  );
  const history = await sql.unsafe(
    `select to_char((created_at at time zone $2)::date, 'YYYY-MM') as month,
            count(*) filter (where status in ('succeeded', 'failed')) as requests, coalesce(sum(cost_usd), 0) as cost
       from ai_usage_logs
      where ${inRange(addDays(p.to, -365 * 3), p.to)}
      group by 1 order by 1`,
    [org!.id, org!.timezone],
  );
  const percentiles = await sql.unsafe(
    `select percentile_disc(array[0.5, 0.95, 0.99]) within group (order by processing_time_ms) as p
       from ai_usage_logs where ${inRange(p.from, p.to)} and status in ('succeeded', 'failed')`,
    [org!.id, org!.timezone],
  );
  const total = breakdown.find((r) => r.g === 15)!;
  return { total, lastYear: lastYear[0], history, percentiles: percentiles[0]!.p as number[] };
}

// ---------------------------------------------------------------------------------------------
// Measuring
// ---------------------------------------------------------------------------------------------

interface Measured {
  group: string;
  name: string;
  period: string;
  via: "service" | "http" | "sql";
  reps: number;
  summary: LatencySummary;
  /** CPU of everything but this process and PostgreSQL during the repetitions (share of one core). */
  other: number;
  /** How long the bench waited for a quiet machine first (ms). */
  waitedMs: number;
}
const results: Measured[] = [];

/**
 * CPU accounting during a measurement. PostgreSQL's parallel workers live for one query, too short
 * to be sampled, so "other" is not the machine minus what was sampled: it is the CPU of every
 * process that is neither PostgreSQL nor this one (the API runs in it). Other people's queries in
 * PostgreSQL are not seen; waitForQuiet covers them before each measurement.
 */
const cpuGroups: CpuGroup[] = [
  { name: "bench", pids: [process.pid] },
  { name: "postgres", comm: /^postgres$/ },
  { name: "notPostgres", comm: /^(?!postgres$)/ },
];
const otherShare = (share: Record<string, number>) =>
  Math.max(0, (share.notPostgres ?? 0) - (share.bench ?? 0));
const OTHER_LIMIT = 0.15;

/**
 * The machine is shared: before each measurement, wait (up to QUIET_WAIT_S) until the machine is
 * idle while the bench is (under a quarter of a core busy over a second).
 */
async function waitForQuiet(): Promise<number> {
  const t0 = performance.now();
  for (;;) {
    const before = sampleCpu([]);
    await new Promise((r) => setTimeout(r, 1_000));
    const busy = cpuShare(before, sampleCpu([]), 1).other ?? 0;
    if (busy < 0.25) return performance.now() - t0;
    if (performance.now() - t0 > QUIET_WAIT_S * 1000) {
      console.log(`  (the machine is still busy after ${QUIET_WAIT_S} s: measuring anyway)`);
      return performance.now() - t0;
    }
    await new Promise((r) => setTimeout(r, 4_000));
  }
}

async function measure(
  m: Omit<Measured, "summary" | "reps" | "other" | "waitedMs">,
  fn: () => Promise<unknown>,
  reps = REPS,
  warmup = WARMUP,
): Promise<LatencySummary> {
  const waitedMs = await waitForQuiet();
  for (let i = 0; i < warmup; i++) await fn();
  const times: number[] = [];
  const cpu0 = sampleCpu(cpuGroups);
  const t00 = performance.now();
  for (let i = 0; i < reps; i++) {
    const t0 = performance.now();
    await fn();
    times.push(performance.now() - t0);
  }
  const other = otherShare(cpuShare(cpu0, sampleCpu(cpuGroups), (performance.now() - t00) / 1000));
  const summary = summarizeLatencies(times)!;
  results.push({ ...m, reps, summary, other, waitedMs });
  const verdict = summary.p95Ms < TARGET_MS ? "ok" : "MISS";
  console.log(
    `  ${m.name.padEnd(42)} ${m.period.padEnd(30)} p50 ${ms(summary.p50Ms).padStart(7)}  ` +
      `p95 ${ms(summary.p95Ms).padStart(7)}  max ${ms(summary.maxMs).padStart(7)} ms  ` +
      `other ${(100 * other).toFixed(0).padStart(3)}%${other > OTHER_LIMIT ? "!" : " "} ${m.via === "sql" ? "" : verdict}`,
  );
  return summary;
}

const server = await startServer({ port: 0, databaseUrl, logLevel: "warn", serveApps: false });
const { services } = server;
const { secret } = await services.auth.createApiKey({
  organizationId: org.id,
  name: `bench:analytics ${new Date().toISOString()}`,
  role: "admin",
  defaultFeature: null,
  createdBy: null,
});
const client = createWedsyncClient({ url: server.url, apiKey: secret });

const [version] = await sql<{ v: string; jit: string; sb: string; wm: string }[]>`
  select version() as v, current_setting('jit') as jit, current_setting('shared_buffers') as sb,
         current_setting('work_mem') as wm`;
let commit = "unknown";
let dirty = "";
const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "..");
try {
  commit = execFileSync("git", ["-C", root, "rev-parse", "--short", "HEAD"], { encoding: "utf8" }).trim();
  dirty = execFileSync("git", ["-C", root, "status", "--porcelain", "--", "packages"], {
    encoding: "utf8",
  }).trim();
} catch {
  // not a git checkout
}
console.log(
  `${org.name} (${org.timezone}), the largest of the seeded organizations; data ${org.first}..${org.last}; ` +
    `${fmt(run.summary.rows)} usage rows in all`,
);
console.log(
  `commit ${commit}${dirty ? " (packages/ has uncommitted changes)" : ""}; ${version!.v.split(" on ")[0]}; ` +
    `jit ${version!.jit}, shared_buffers ${version!.sb}, work_mem ${version!.wm}; ` +
    `${REPS} warm repetitions after ${WARMUP} warm-ups (${RAW_REPS} for raw-log queries)`,
);

const cpuBefore = sampleCpu(cpuGroups);
const wallStart = performance.now();

const counts = new Map<string, Awaited<ReturnType<typeof rowCounts>>>();
for (const p of periods) counts.set(p.label, await rowCounts(p));
console.log("\nrows in the period (largest organization):");
for (const p of periods) {
  const c = counts.get(p.label)!;
  console.log(
    `  ${p.label.padEnd(30)} ${p.from}..${p.to}  raw log ${fmt(c.raw).padStart(9)}  client-level daily rollups ` +
      `${fmt(c.rollups).padStart(8)}`,
  );
}

// Cross-check: the rollups and the raw log give the same answer for every period.
for (const p of periods) {
  const viaRollups = await services.analytics.usage(org.id, { from: p.from, to: p.to });
  const raw = await rawUsage(p);
  const same =
    Number(raw.total.requests) === viaRollups.totals.requests &&
    Number(raw.total.rejected) === viaRollups.totals.rejected &&
    Number(raw.total.input_tokens) === viaRollups.totals.inputTokens &&
    BigInt(raw.total.cost_micros) === toMicros(viaRollups.totals.costUsd);
  const p95 = viaRollups.performance.p95Ms ?? 0;
  const exactP95 = Number(raw.percentiles[1]);
  console.log(
    `  check ${p.label}: rollups ${same ? "=" : "≠"} raw log (${fmt(viaRollups.totals.requests)} requests, ` +
      `$${viaRollups.totals.costUsd}); p95 ${p95.toFixed(0)} ms from the histogram vs ${exactP95} ms exact ` +
      `(${((100 * (p95 - exactP95)) / exactP95).toFixed(2)}%)`,
  );
  if (!same) throw new Error(`rollups and raw log disagree for ${p.label}`);
}

console.log(`\nin-process services (target: p95 < ${TARGET_MS} ms):`);
const usageSummary = new Map<string, LatencySummary>();
for (const p of periods) {
  usageSummary.set(
    p.label,
    await measure({ group: "usage", name: "analytics.usage", period: p.label, via: "service" }, () =>
      services.analytics.usage(org.id, { from: p.from, to: p.to }),
    ),
  );
}
await measure(
  { group: "billing", name: "billing.calculateMonthlyCosts", period: periods[0]!.label, via: "service" },
  () => services.billing.calculateMonthlyCosts(org.id, peakMonth),
);
await measure(
  {
    group: "billing",
    name: "billing.calculateMonthlyCosts (this month)",
    period: "current month",
    via: "service",
  },
  () => services.billing.calculateMonthlyCosts(org.id),
);
await measure(
  { group: "billing", name: "billing.checkCreditLimits", period: "current month", via: "service" },
  () => services.billing.checkCreditLimits(org.id),
);
await measure(
  {
    group: "billing",
    name: "billing.generateInvoiceData",
    period: periods[0]!.label,
    via: "service",
  },
  () => services.billing.generateInvoiceData(org.id, { from: periods[0]!.from, to: periods[0]!.to }),
);

// The performance report (AIPerformanceMonitor), where this checkout has it.
const perf = (
  services as unknown as {
    performance?: {
      generatePerformanceReport?: (org: string, p: { from?: string; to?: string }) => Promise<unknown>;
    };
  }
).performance;
if (perf?.generatePerformanceReport) {
  for (const p of [periods[0]!, periods[1]!, periods[2]!]) {
    await measure(
      {
        group: "performance",
        name: "performance.generatePerformanceReport",
        period: p.label,
        via: "service",
      },
      () => perf.generatePerformanceReport!(org.id, { from: p.from, to: p.to }),
    );
  }
}

/** Bytes of platform.usage's HTTP answer (superjson), fetched once without the client. */
async function responseBytes(p: Period): Promise<number> {
  const input = encodeURIComponent(JSON.stringify({ json: { from: p.from, to: p.to } }));
  const res = await fetch(`${server.url}/trpc/platform.usage?input=${input}`, {
    headers: { authorization: `Bearer ${secret}` },
  });
  if (!res.ok) throw new Error(`platform.usage answered ${res.status}`);
  return (await res.arrayBuffer()).byteLength;
}
const bytes = new Map<string, number>();
for (const p of periods) bytes.set(p.label, await responseBytes(p));
console.log(
  "\nthrough HTTP, typed client, API key (superjson, one request per call; answer sizes: " +
    periods.map((p) => `${p.label.split(" (")[0]} ${(bytes.get(p.label)! / 1024).toFixed(0)} kB`).join(", ") +
    "):",
);
const httpSummary = new Map<string, LatencySummary>();
for (const p of periods) {
  httpSummary.set(
    p.label,
    await measure({ group: "usage", name: "platform.usage", period: p.label, via: "http" }, () =>
      client.platform.usage.query({ from: p.from, to: p.to }),
    ),
  );
}
for (const p of periods) {
  await measure({ group: "usage", name: "platform.usageByClient (50)", period: p.label, via: "http" }, () =>
    client.platform.usageByClient.query({ from: p.from, to: p.to, limit: 50 }),
  );
}
await measure(
  { group: "billing", name: "billing.invoices.preview", period: periods[0]!.label, via: "http" },
  () => client.billing.invoices.preview.query({ from: periods[0]!.from, to: periods[0]!.to }),
);
await measure(
  { group: "billing", name: "billing.monthlyCosts", period: periods[0]!.label, via: "http" },
  () => client.billing.monthlyCosts.query({ month: peakMonth }),
);
await measure({ group: "billing", name: "billing.creditStatus", period: "current month", via: "http" }, () =>
  client.billing.creditStatus.query(),
);

console.log("\nbaseline: the same answers aggregated from ai_usage_logs (one connection, 4 statements):");
const rawSummary = new Map<string, LatencySummary>();
for (const p of periods) {
  rawSummary.set(
    p.label,
    await measure(
      { group: "raw", name: "raw ai_usage_logs aggregation", period: p.label, via: "sql" },
      () => rawUsage(p),
      RAW_REPS,
      1,
    ),
  );
}

const wallSeconds = (performance.now() - wallStart) / 1000;
const cpu = cpuShare(cpuBefore, sampleCpu(cpuGroups), wallSeconds);

// ---------------------------------------------------------------------------------------------
// Where the time goes: the services' own statements, one by one, and their plans
// ---------------------------------------------------------------------------------------------

type Services = RunningServer["services"];
type Database = Services["db"];
/**
 * The analytics and billing services of this checkout, built again on a database handle that
 * records the statements they send (the same classes as `services`', on a connection of the
 * bench's own), so that what is explained is exactly what they run, whatever they run.
 */
const recorder = recordingDatabase(databaseUrl, "bench-explain");
const Analytics = services.analytics.constructor as new (db: Database) => Services["analytics"];
const Billing = services.billing.constructor as new (
  db: Database,
  readDb: Database,
  analytics: Services["analytics"],
  tracker: Services["tracker"],
) => Services["billing"];
const recordedAnalytics = new Analytics(recorder.db);
const recordedBilling = new Billing(recorder.db, recorder.db, recordedAnalytics, services.tracker);

const explained: Array<ExplainedStatement & { call: string; period: string }> = [];
console.log(
  "\nanalytics.usage's statements one by one (warm, median of 5; EXPLAIN (ANALYZE, BUFFERS) of each):",
);
for (const p of periods) {
  const statements = await recorder.record(() => recordedAnalytics.usage(org.id, { from: p.from, to: p.to }));
  const facts = await explainStatements(recorder.sql, statements, { runs: 5 });
  const read = facts.reduce((n, f) => n + f.rowsScanned, 0);
  console.log(`  ${p.label}: ${facts.length} statements, ${fmt(read)} rows read in all`);
  for (const f of facts) {
    explained.push({ ...f, call: "analytics.usage", period: p.label });
    console.log(
      `    ${f.label.padEnd(52)} ${ms(f.ms).padStart(7)} ms  (EXPLAIN: ${ms(f.executionMs)} ms, jit ${ms(f.jitMs)} ms, ` +
        `${fmt(f.rowsScanned)} rows scanned, ${fmt(f.buffers)} buffers) ${f.plan}`,
    );
  }
}

{
  const p = periods[0]!;
  const statements = await recorder.record(() =>
    recordedBilling.generateInvoiceData(org.id, { from: p.from, to: p.to }),
  );
  const facts = await explainStatements(recorder.sql, statements, { runs: 0 });
  console.log(`\nthe invoice preview's statements (billing.generateInvoiceData), ${p.label}:`);
  for (const f of facts) {
    explained.push({ ...f, call: "billing.generateInvoiceData", period: p.label });
    console.log(`  ${f.label} (EXPLAIN ANALYZE: ${ms(f.executionMs)} ms):`);
    for (const line of f.tree) console.log(`    ${line}`);
  }
}
await recorder.close();

// ---------------------------------------------------------------------------------------------
// Report
// ---------------------------------------------------------------------------------------------

console.log("\nsummary (p50 / p95 ms; ratio = rollups / raw at p50):");
console.log(
  "| period | rows (raw / rollups) | analytics.usage p50 / p95 | platform.usage (HTTP) p50 / p95 | raw log p50 / p95 | ratio | target |",
);
for (const p of periods) {
  const c = counts.get(p.label)!;
  const u = usageSummary.get(p.label)!;
  const h = httpSummary.get(p.label)!;
  const r = rawSummary.get(p.label)!;
  const worst = Math.max(u.p95Ms, h.p95Ms);
  console.log(
    `| ${p.label} | ${fmt(c.raw)} / ${fmt(c.rollups)} | ${ms(u.p50Ms)} / ${ms(u.p95Ms)} | ${ms(h.p50Ms)} / ${ms(h.p95Ms)} | ` +
      `${ms(r.p50Ms)} / ${ms(r.p95Ms)} | ${(u.p50Ms / r.p50Ms).toFixed(3)} | ${worst < TARGET_MS ? "met" : "**not met**"} |`,
  );
}
console.log(
  `\nCPU from the first to the last measurement, waits included (share of one core; the machine has two): ` +
    `bench and API ${(100 * (cpu.bench ?? 0)).toFixed(0)}%, PostgreSQL (long-lived processes) ` +
    `${(100 * (cpu.postgres ?? 0)).toFixed(0)}%, other processes ${(100 * otherShare(cpu)).toFixed(0)}%`,
);
const noisy = results.filter((r) => r.other > OTHER_LIMIT);
if (noisy.length > 0)
  console.log(
    `${noisy.length} measurements ran while other processes used more than ${100 * OTHER_LIMIT}% of a core ` +
      `(marked "!"): ${noisy.map((r) => `${r.name} ${r.period} ${(100 * r.other).toFixed(0)}%`).join("; ")}`,
  );
const misses = results.filter((r) => r.via !== "sql" && r.summary.p95Ms >= TARGET_MS);
console.log(
  misses.length === 0
    ? `every analytics query answered under ${TARGET_MS} ms at p95`
    : `${misses.length} of ${results.filter((r) => r.via !== "sql").length} measured queries missed ${TARGET_MS} ms at p95: ` +
        misses.map((m) => `${m.name} (${m.via}, ${m.period})`).join("; "),
);

const outDir = join(
  dirname(fileURLToPath(import.meta.url)),
  "..",
  "results",
  `${new Date().toISOString().replaceAll(":", "-").replace(".", "-")}-analytics`,
);
mkdirSync(outDir, { recursive: true });
writeFileSync(
  join(outDir, "results.json"),
  JSON.stringify(
    {
      commit,
      dirtyPackages: dirty,
      organization: org,
      periods,
      counts: Object.fromEntries(counts),
      seed: run.summary,
      results,
      responseBytes: Object.fromEntries(bytes),
      explained,
      cpu,
      postgres: version,
    },
    null,
    2,
  ),
);
console.log(`results: ${outDir}/results.json`);

await server.close();
await sql.end();
