/**
 * `pnpm db:seed:large`: a realistic year of AI usage in a PostgreSQL bench database, for
 * `pnpm bench:analytics`. Drops and recreates the database (its name must contain "bench"),
 * migrates it with startServer, creates 20 supplier organizations (three tiers, 14
 * timezones) with their clients (weddings), then writes 10 million ai_usage_logs rows over the
 * last 365 days set-based in SQL, builds the rollups from them as the live path would have, and
 * checks what it wrote:
 *   - the SQL latency-bucket function against core's latencyBucketIndex (every integer ms);
 *   - every sampled cost against core's costMicros (exact, micro-dollars);
 *   - the rollups against the raw rows (totals), and against the live path itself: a sample of
 *     rows replayed through AIUsageTracker (completions) and the insert trigger (rejections)
 *     into a scratch organization gives exactly the rollup rows the aggregate gives.
 */
import { randomUUID } from "node:crypto";
import { startServer } from "@wedsync/api/server";
import {
  aiPlatformConfigs,
  costMicros,
  dayInTimezone,
  FEATURE_TYPES,
  type FeatureType,
  isFeatureAvailable,
  organizations,
  toMicros,
} from "@wedsync/core";
import { and, eq } from "drizzle-orm";
import postgres from "postgres";
import { ANALYTICS_DATABASE_URL, benchDatabaseUrl, optionsFrom, parseFlags, valueFlags } from "./cli";
import { recreateDatabase } from "./database";
import { addDays, buildPlan, daysBetween, resultTemplates } from "./seed-large-plan";
import {
  COUNTERS_SQL,
  DROP_PLAN_TABLES_SQL,
  dropIndexes,
  HELPER_TABLES_SQL,
  INSERT_CHUNK_SQL,
  latencyBucketClosedFormSql,
  latencyBucketFunctionSql,
  restoreIndexes,
  seconds,
  verifyLatencyBuckets,
} from "./seed-large-sql";

/** Thrown to roll a transaction back once it has been looked at. */
class RolledBack extends Error {}

const HELP = `pnpm db:seed:large [--rows=10000000] [--days=365] [--orgs=20] [--seed=42] [--chunk-days=7]
                  [--clients-per-weight=100] [--skip-live-check] [--database-url=postgres://...]
Environment: SEED_ROWS, SEED_DAYS, SEED_ORGS, SEED_SEED, SEED_CHUNK_DAYS, SEED_CLIENTS_PER_WEIGHT,
BENCH_DATABASE_URL or DATABASE_URL (default ${ANALYTICS_DATABASE_URL}; dropped and recreated, so
its name must contain "bench").`;

const env = process.env;
const flags = parseFlags(
  process.argv.slice(2),
  {
    ...valueFlags("rows", "days", "orgs", "seed", "chunk-days", "clients-per-weight", "database-url"),
    "skip-live-check": { type: "boolean" },
  },
  HELP,
);
const opt = optionsFrom(flags, env);
const databaseUrl = benchDatabaseUrl(
  opt.raw("database-url", "BENCH_DATABASE_URL") ?? env.DATABASE_URL ?? ANALYTICS_DATABASE_URL,
  ANALYTICS_DATABASE_URL,
);
const ROWS = opt.int("rows", "SEED_ROWS", 10_000_000);
const DAYS = opt.int("days", "SEED_DAYS", 365);
const ORG_COUNT = opt.int("orgs", "SEED_ORGS", 20);
const SEED = opt.int("seed", "SEED_SEED", 42);
const CHUNK_DAYS = opt.int("chunk-days", "SEED_CHUNK_DAYS", 7);
const CLIENTS_PER_WEIGHT = opt.int("clients-per-weight", "SEED_CLIENTS_PER_WEIGHT", 100);
const SKIP_LIVE_CHECK = flags["skip-live-check"] === true;

const log = (msg: string) => console.log(`[seed] ${msg}`);
const fmt = (n: number | bigint) => Number(n).toLocaleString("en-US");
const mb = (bytes: number | string) => `${(Number(bytes) / 1024 / 1024).toFixed(0)} MB`;

const started = performance.now();
const timings: Record<string, number> = {};
async function phase<T>(name: string, run: () => Promise<T>): Promise<T> {
  const t0 = performance.now();
  log(`${name}...`);
  const out = await run();
  timings[name] = (performance.now() - t0) / 1000;
  log(`${name}: ${seconds(t0)}`);
  return out;
}

const now = new Date();
const plan = buildPlan({
  totalRows: ROWS,
  days: DAYS,
  seed: SEED,
  now,
  orgCount: ORG_COUNT,
  todayIn: (tz) => dayInTimezone(now, tz),
  clientsPerWeight: CLIENTS_PER_WEIGHT,
});
log(
  `${fmt(ROWS)} usage rows over ${DAYS} days for ${plan.orgs.length} organizations and ` +
    `${fmt(plan.orgs.reduce((s, o) => s + o.clients.length, 0))} clients into ${new URL(databaseUrl).pathname.slice(1)}`,
);

// ---------------------------------------------------------------------------------------------
// 1. Schema and the organizations, through the platform's own services
// ---------------------------------------------------------------------------------------------

recreateDatabase(databaseUrl);
const sql = postgres(databaseUrl, {
  max: 1,
  onnotice: () => {},
  connection: { application_name: "seed-large" },
});

const orgRows = await phase("migrate, organizations, users, API keys, clients", async () => {
  const server = await startServer({ port: 0, databaseUrl, logLevel: "warn", serveApps: false });
  try {
    const { services } = server;
    const out: Array<{ orgId: string; userId: string; apiKeyId: string }> = [];
    for (const [i, org] of plan.orgs.entries()) {
      const { spec } = org;
      const row = await services.organizations.createOrganization({
        name: spec.name,
        slug: spec.slug,
        tier: spec.tier,
        billingEmail: `billing@${spec.slug}.example`,
        timezone: spec.timezone,
        monthlyCreditLimit: "1000000.00", // set from the real spend once it is known
      });
      const user = await services.organizations.createUser({
        email: `owner@${spec.slug}.example`,
        name: `Owner ${i + 1}`,
        password: "wedsync-bench",
      });
      await services.organizations.addMember(row.id, user.id, "owner");
      const { apiKey } = await services.auth.createApiKey({
        organizationId: row.id,
        name: "Integrations",
        role: "admin",
        defaultFeature: "field_extraction",
        createdBy: user.id,
      });
      for (const feature of FEATURE_TYPES) {
        await services.db
          .update(aiPlatformConfigs)
          .set({ model: spec.models[feature].after })
          .where(
            and(eq(aiPlatformConfigs.organizationId, row.id), eq(aiPlatformConfigs.featureType, feature)),
          );
      }
      await services.db
        .update(organizations)
        .set({ createdAt: new Date(Date.parse(`${addDays(org.from, spec.onboardDay - 30)}T09:00:00Z`)) })
        .where(eq(organizations.id, row.id));
      out.push({ orgId: row.id, userId: user.id, apiKeyId: apiKey.id });
    }
    const clients = plan.orgs.flatMap((org, o) =>
      org.clients.map((c) => ({
        id: randomUUID(),
        org_idx: o,
        idx: c.index,
        organization_id: out[o]!.orgId,
        couple_names: c.coupleNames,
        wedding_date: c.weddingDate,
        venue: c.venue,
        status: c.status,
        created_at: c.createdAt,
      })),
    );
    for (let i = 0; i < clients.length; i += 2_000) {
      const batch = clients.slice(i, i + 2_000);
      await sql`insert into clients ${sql(
        batch.map(({ org_idx: _o, idx: _i, ...c }) => c),
        "id",
        "organization_id",
        "couple_names",
        "wedding_date",
        "venue",
        "status",
        "created_at",
      )}`;
    }
    return { orgs: out, clients };
  } finally {
    await server.close();
  }
});

// ---------------------------------------------------------------------------------------------
// 2. Helper tables: the plan, in PostgreSQL
// ---------------------------------------------------------------------------------------------

await sql.unsafe(`set synchronous_commit = off; set work_mem = '512MB'; set maintenance_work_mem = '1GB'`);

await phase("helper tables and the latency-bucket function", async () => {
  await sql.unsafe(HELPER_TABLES_SQL);
  await sql`insert into bench_seed.orgs ${sql(
    plan.orgs.map((org, o) => {
      const d = org.spec.demand;
      const total = d.field_extraction + d.pdf_analysis + d.smart_mapping;
      const ids = orgRows.orgs[o]!;
      return {
        org_idx: o,
        org_id: ids.orgId,
        tz: org.spec.timezone,
        openai_share: org.spec.openaiShare,
        d_field: d.field_extraction / total,
        d_pdf: d.pdf_analysis / total,
        trpc_meta: sql.json({ channel: "trpc", actorUserId: ids.userId, actorApiKeyId: null }),
        openai_meta: sql.json({ channel: "openai", actorUserId: null, actorApiKeyId: ids.apiKeyId }),
      };
    }),
  )}`;
  for (let i = 0; i < orgRows.clients.length; i += 5_000) {
    const batch = orgRows.clients.slice(i, i + 5_000).map((c) => ({
      org_idx: c.org_idx,
      idx: c.idx,
      client_id: c.id,
    }));
    await sql`insert into bench_seed.clients ${sql(batch)}`;
  }
  const models = plan.orgs.flatMap((org, o) =>
    FEATURE_TYPES.flatMap((feature) => {
      const choice = org.spec.models[feature];
      const available = isFeatureAvailable(org.spec.tier, feature);
      const switchDay = addDays(org.from, Math.round(choice.switchAt * (DAYS - 1)));
      const far = "2100-01-01";
      if (choice.before === choice.after || choice.switchAt >= 1)
        return [
          { org_idx: o, feature, from_day: "1900-01-01", to_day: far, model: choice.before, available },
        ];
      return [
        {
          org_idx: o,
          feature,
          from_day: "1900-01-01",
          to_day: addDays(switchDay, -1),
          model: choice.before,
          available,
        },
        { org_idx: o, feature, from_day: switchDay, to_day: far, model: choice.after, available },
      ];
    }),
  );
  await sql`insert into bench_seed.models ${sql(models)}`;
  // Prices: the table the platform prices requests with (one row per model here).
  await sql`
    insert into bench_seed.prices (model, provider, in_m, cached_m, out_m)
    select model, provider, (input_per_million * 1000000)::bigint, (cached_input_per_million * 1000000)::bigint,
           (output_per_million * 1000000)::bigint
      from ai_model_prices`;
  const [local] = await sql<{ total: string }[]>`
    select (in_m + cached_m + out_m)::text as total from bench_seed.prices where model = 'local-rules'`;
  if (local?.total !== "0") throw new Error("the local engine must be priced at zero");
  const missing =
    await sql`select distinct model from bench_seed.models except select model from bench_seed.prices`;
  if (missing.length) throw new Error(`models without a price: ${missing.map((r) => r.model).join(", ")}`);
  await sql`insert into bench_seed.features ${sql([
    { feature: "field_extraction", in_med: 450, in_sigma: 0.5, out_med: 160, out_sigma: 0.35, lat_mult: 1 },
    { feature: "pdf_analysis", in_med: 6000, in_sigma: 0.7, out_med: 650, out_sigma: 0.4, lat_mult: 1.8 },
    { feature: "smart_mapping", in_med: 1400, in_sigma: 0.5, out_med: 380, out_sigma: 0.4, lat_mult: 1.3 },
  ])}`;
  await sql`insert into bench_seed.latency ${sql(
    Object.entries({
      "gpt-4o": 2400,
      "gpt-4.1": 2100,
      "gpt-4o-mini": 1100,
      "gpt-4.1-mini": 950,
      "gpt-4.1-nano": 600,
      "o4-mini": 5200,
      "local-rules": 9,
    }).map(([model, median_ms]) => ({ model, median_ms })),
  )}`;
  const templates = resultTemplates();
  await sql`insert into bench_seed.results ${sql(
    (Object.entries(templates) as Array<[FeatureType, unknown[]]>).flatMap(([feature, list]) =>
      list.map((result, k) => ({ feature, k, result: sql.json(result as postgres.JSONValue) })),
    ),
  )}`;
  for (let i = 0; i < plan.days.length; i += 2_000) {
    const batch = plan.days.slice(i, i + 2_000).map((d) => ({
      org_idx: d.org,
      day: d.day,
      rows: d.rows,
      lo: d.lo,
      mid: d.mid,
      hi: d.hi,
      p_fail: d.pFail,
      p_degraded: d.pDegraded,
      p_reject: d.pReject,
    }));
    await sql`insert into bench_seed.plan ${sql(batch)}`;
  }
  await sql.unsafe(latencyBucketFunctionSql());
  await sql.unsafe(latencyBucketClosedFormSql());
});

const bucketCheck = await phase(
  "check the SQL latency buckets against core's latencyBucketIndex",
  async () => {
    const exact = await verifyLatencyBuckets(sql);
    const closedForm = await verifyLatencyBuckets(sql, "bench_seed.latency_bucket_closed_form");
    const line = (name: string, r: typeof exact) =>
      log(
        `  ${name}: ${r.integerMismatches} mismatches in ${fmt(r.integers)} integer ms, ` +
          `${r.fractionalMismatches} in ${fmt(r.fractional)} fractional ms`,
      );
    line("bench_seed.latency_bucket (bucket lower bounds)", exact);
    line("closed form ceil(ln(ms)/ln(gamma)), for comparison", closedForm);
    if (exact.integerMismatches + exact.fractionalMismatches > 0)
      throw new Error("bench_seed.latency_bucket differs from latencyBucketIndex");
    return { exact, closedForm };
  },
);

// ---------------------------------------------------------------------------------------------
// 3. The usage rows
// ---------------------------------------------------------------------------------------------

const savedLogIndexes = await phase(
  "drop ai_usage_logs indexes, keys and the rejection trigger",
  async () => {
    await sql`alter table ai_usage_logs disable trigger ai_usage_logs_rejected`;
    return dropIndexes(sql, "ai_usage_logs");
  },
);

await phase("insert usage rows", async () => {
  const sortedDays = plan.days.map((d) => d.day).sort();
  const first = sortedDays[0]!;
  const last = sortedDays.at(-1)!;
  const t0 = performance.now();
  let written = 0;
  for (let from = first, chunk = 0; from <= last; from = addDays(from, CHUNK_DAYS), chunk++) {
    const to = addDays(from, CHUNK_DAYS - 1);
    // Reproducible: the same seed gives the same rows (ids and timestamps of "now" aside).
    await sql`select setseed(${(((SEED * 7919 + chunk) % 2000) - 1000) / 1000})`;
    const result = await sql.unsafe(INSERT_CHUNK_SQL, [from, to]);
    written += result.count;
    const elapsed = (performance.now() - t0) / 1000;
    const rate = written / elapsed;
    const eta = (ROWS - written) / rate;
    log(
      `  ${from}..${to}  ${fmt(written)} / ${fmt(ROWS)} rows (${((100 * written) / ROWS).toFixed(1)}%)  ` +
        `${elapsed.toFixed(0)} s  ${fmt(Math.round(rate))} rows/s  ETA ${eta.toFixed(0)} s`,
    );
  }
  if (written !== ROWS) throw new Error(`wrote ${written} rows, planned ${ROWS}`);
  const span = daysBetween(first, last) + 1;
  log(`  ${fmt(written)} rows over ${span} calendar days (organizations' days, in their timezones)`);
});

await phase("recreate ai_usage_logs indexes, keys (validated) and the trigger", async () => {
  await restoreIndexes(sql, savedLogIndexes, log);
  await sql`alter table ai_usage_logs enable trigger ai_usage_logs_rejected`;
});

// ---------------------------------------------------------------------------------------------
// 4. Rollups and counters, from the rows
// ---------------------------------------------------------------------------------------------

await phase(
  "build every rollup through wedsync_count_usage, as the live path does, a day at a time",
  async () => {
    // The one definition of rollup counting (packages/api/src/infra/usage-functions.ts), over each
    // day's rows at once; latency buckets by core's latencyBucketIndex in SQL (bench_seed.latency_bucket).
    const days = await sql<{ day: string }[]>`
    select distinct quota_day::text as day from ai_usage_logs where status <> 'pending' order by 1`;
    let counted = 0;
    for (const { day } of days) {
      const [r] = await sql<{ n: number }[]>`
      select wedsync_count_usage(
               array_agg(l order by l.request_id),
               array_agg(case when l.status in ('succeeded', 'failed')
                              then bench_seed.latency_bucket(l.processing_time_ms) end order by l.request_id)) as n
        from ai_usage_logs l where l.quota_day = ${day}::date and l.status <> 'pending'`;
      counted += Number(r?.n ?? 0);
    }
    const [sizes] = await sql<{ daily: number; buckets: number; org: number; monthly: number }[]>`
    select (select count(*)::int from ai_usage_daily_rollups) as daily,
           (select count(*)::int from ai_usage_latency_rollups) as buckets,
           (select count(*)::int from ai_usage_org_daily_rollups) as org,
           (select count(*)::int from ai_usage_client_monthly_rollups) as monthly`;
    log(
      `  ${fmt(counted)} rows counted over ${days.length} days: ${fmt(sizes!.daily)} daily, ${fmt(sizes!.org)} ` +
        `organization-level, ${fmt(sizes!.monthly)} client-monthly rollup rows, ${fmt(sizes!.buckets)} histogram rows`,
    );
  },
);

await phase("ai_daily_counters, ai_monthly_spend, credit limits and caps", async () => {
  await sql.unsafe(COUNTERS_SQL);
  // Limits the year's usage fits under (admission would have refused more), with headroom.
  await sql`
    update organizations o set monthly_credit_limit = s.limit_usd
      from (select organization_id, greatest(100, ceil(max(spent_micros) * 1.5 / 1e6 / 100) * 100)::numeric(12, 2)
                   as limit_usd
              from ai_monthly_spend group by organization_id) s
     where o.id = s.organization_id`;
  await sql`
    update ai_platform_configs c set
      max_requests_per_day = greatest(c.max_requests_per_day, ceil(s.requests * 1.25)::int),
      max_cost_per_day = greatest(c.max_cost_per_day, ceil(s.micros * 1.25 / 1e4) / 100),
      rate_limit_per_minute = greatest(c.rate_limit_per_minute, 300)
      from (select organization_id, feature_type, max(requests) as requests, max(spent_micros) as micros
              from ai_daily_counters where scope = 'org' group by organization_id, feature_type) s
     where c.organization_id = s.organization_id and c.feature_type = s.feature_type`;
});

await phase("VACUUM ANALYZE", async () => {
  for (const t of [
    "ai_usage_logs",
    "ai_usage_daily_rollups",
    "ai_usage_latency_rollups",
    "ai_daily_counters",
    "ai_monthly_spend",
    "clients",
    "organizations",
  ]) {
    await sql.unsafe(`vacuum (analyze) ${t}`);
  }
});

// ---------------------------------------------------------------------------------------------
// 5. Checks
// ---------------------------------------------------------------------------------------------

const shares = await phase("check the rows: shares, money, rollups against the rows", async () => {
  const [s] = await sql<
    {
      total: string;
      succeeded: string;
      failed: string;
      rejected: string;
      degraded: string;
      cached: string;
      no_client: string;
      tz_mismatch: string;
    }[]
  >`
    select count(*)::text as total,
      count(*) filter (where status = 'succeeded')::text as succeeded,
      count(*) filter (where status = 'failed')::text as failed,
      count(*) filter (where status = 'rejected')::text as rejected,
      count(*) filter (where degraded)::text as degraded,
      count(*) filter (where cached_input_tokens > 0)::text as cached,
      count(*) filter (where client_id is null)::text as no_client,
      count(*) filter (where quota_day is not null
                         and quota_day <> (l.created_at at time zone o.timezone)::date)::text as tz_mismatch
      from ai_usage_logs l join organizations o on o.id = l.organization_id`;
  if (Number(s!.total) !== ROWS) throw new Error(`ai_usage_logs has ${s!.total} rows`);
  if (s!.tz_mismatch !== "0")
    throw new Error(`${s!.tz_mismatch} rows whose quota_day is not their local day`);
  const reasons = await sql<{ reason: string; n: string }[]>`
    select rejection_reason as reason, count(*)::text as n from ai_usage_logs
     where status = 'rejected' group by 1 order by 2 desc`;
  const pct = (n: string) => `${((100 * Number(n)) / ROWS).toFixed(2)}%`;
  log(
    `  succeeded ${pct(s!.succeeded)}, failed ${pct(s!.failed)}, rejected ${pct(s!.rejected)} ` +
      `(${reasons.map((r) => `${r.reason} ${pct(r.n)}`).join(", ")}), degraded ${pct(s!.degraded)}, ` +
      `with cached tokens ${pct(s!.cached)}, without client ${pct(s!.no_client)}`,
  );

  // Money: every cost in a sample recomputed with core's costMicros from the price table.
  const prices = await sql<
    { provider: string; model: string; in: string; cached: string; out: string }[]
  >`select provider, model, input_per_million::text as in, cached_input_per_million::text as cached,
           output_per_million::text as out from ai_model_prices`;
  const priceOf = new Map(prices.map((p) => [p.model, p]));
  const sample = await sql<
    { model: string; status: string; input: number; output: number; cached: number; cost: string }[]
  >`select model, status::text, input_tokens as input, output_tokens as output, cached_input_tokens as cached,
           cost_usd::text as cost
      from ai_usage_logs tablesample system (1) repeatable (7) where status in ('succeeded', 'failed')`;
  let costChecked = 0;
  for (const r of sample) {
    const p = priceOf.get(r.model);
    if (!p) throw new Error(`no price for ${r.model}`);
    const want =
      r.status === "failed"
        ? 0n
        : costMicros(
            { inputTokens: r.input, outputTokens: r.output, cachedInputTokens: r.cached },
            { inputPerMillion: p.in, outputPerMillion: p.out, cachedInputPerMillion: p.cached },
          );
    if (toMicros(r.cost) !== want)
      throw new Error(`cost ${r.cost} of ${JSON.stringify(r)} should be ${want} µ$`);
    costChecked++;
  }
  log(`  ${fmt(costChecked)} sampled costs equal core's costMicros to the micro-dollar`);

  // Rollups against the rows they summarise.
  const [raw] = await sql<Record<string, string>[]>`
    select count(*) filter (where status in ('succeeded', 'failed'))::text as requests,
           count(*) filter (where status = 'rejected')::text as rejected,
           sum(input_tokens)::text as input_tokens,
           coalesce(sum((cost_usd * 1000000)::bigint), 0)::text as cost_micros,
           coalesce(sum(processing_time_ms), 0)::text as processing_ms
      from ai_usage_logs`;
  const [rolled] = await sql<Record<string, string>[]>`
    select sum(requests)::text as requests, sum(rejected)::text as rejected,
           sum(input_tokens)::text as input_tokens, sum(cost_micros)::text as cost_micros,
           sum(processing_ms_total)::text as processing_ms
      from ai_usage_daily_rollups`;
  const [hist] = await sql<{ n: string }[]>`select sum(count)::text as n from ai_usage_latency_rollups`;
  if (JSON.stringify(raw) !== JSON.stringify(rolled) || hist!.n !== raw!.requests)
    throw new Error(`rollups differ from the rows: ${JSON.stringify({ raw, rolled, hist })}`);
  log(
    `  rollup totals equal the rows' (requests, rejections, tokens, ${raw!.cost_micros} µ$, latency counts)`,
  );
  return { ...s, reasons: Object.fromEntries(reasons.map((r) => [r.reason, Number(r.n)])), costChecked };
});

/**
 * The rollups the aggregate builds equal those the live path writes: a stratified sample of rows
 * is replayed into a scratch organization (completions through AIUsageTracker.logResponse, the
 * live writeCompletions statement; rejections as inserts, through the drizzle/0005 trigger), and
 * the rollup rows the live path wrote are compared, column by column, with the aggregate's over
 * the same rows. The scratch organization is deleted afterwards.
 */
const liveCheck = SKIP_LIVE_CHECK
  ? null
  : await phase("check the aggregate against the live path (replayed sample)", async () => {
      const server = await startServer({ port: 0, databaseUrl, logLevel: "warn", serveApps: false });
      const { services } = server;
      const scratch = await services.organizations.createOrganization({
        name: "Rollup check (scratch)",
        slug: `rollup-check-${Date.now()}`,
        tier: "enterprise",
        billingEmail: "check@wedsync.invalid",
        timezone: "America/Los_Angeles",
      });
      try {
        const scratchClients: string[] = [];
        for (let i = 0; i < 3; i++) {
          const c = await services.organizations.createClient({
            organizationId: scratch.id,
            coupleNames: `Check ${i}`,
          });
          scratchClients.push(c.id);
        }
        const sample = await sql<
          {
            client_id: string | null;
            feature_type: FeatureType;
            status: "succeeded" | "failed" | "rejected";
            rejection_reason: string | null;
            model: string | null;
            provider: string | null;
            quota_day: string | null;
            reserved_micros: string;
            request_size: number | null;
            input_tokens: number;
            output_tokens: number;
            cached_input_tokens: number;
            cost_usd: string | null;
            processing_time_ms: number | null;
            response_size: number | null;
            error_message: string | null;
            degraded: boolean;
          }[]
        >`
          with s as (select * from ai_usage_logs tablesample system (0.5) repeatable (11))
          (select * from s where status = 'succeeded' and not degraded limit 3000)
          union all (select * from s where status = 'succeeded' and degraded limit 300)
          union all (select * from s where status = 'failed' limit 500)
          union all (select * from s where status = 'rejected' limit 1000)`;
        // Sample days squeezed onto a few days so that rows share rollup keys.
        const days = [...new Set(sample.map((r) => r.quota_day).filter(Boolean))]
          .sort()
          .slice(0, 3) as string[];
        const dayOf = (i: number) => days[i % days.length]!;
        const clientOf = (id: string | null) =>
          id === null ? null : scratchClients[Number.parseInt(id.slice(0, 2), 16) % scratchClients.length]!;
        const completions: Array<Promise<unknown>> = [];
        for (const [i, r] of sample.entries()) {
          const requestId = randomUUID();
          const clientId = clientOf(r.client_id);
          // Turned away before the caps, a request has no quota day yet: the insert trigger gives it today.
          const beforeCaps = ["tier", "feature_disabled", "rate_limited"].includes(r.rejection_reason ?? "");
          const quotaDay = beforeCaps ? null : dayOf(i);
          if (r.status === "rejected") {
            // As admission (caps: quota_day set) or the tracker (no quota_day) inserts it: the trigger rolls it up.
            await sql`
              insert into ai_usage_logs (request_id, organization_id, client_id, feature_type, request_size, model,
                provider, status, rejection_reason, quota_day)
              values (${requestId}, ${scratch.id}, ${clientId}, ${r.feature_type}, ${r.request_size}, ${r.model},
                ${r.provider}, 'rejected', ${r.rejection_reason}, ${quotaDay})`;
            continue;
          }
          // Admitted: the pending row wedsync_admit writes, then the live completion.
          await sql`
            insert into ai_usage_logs (request_id, organization_id, client_id, feature_type, request_size, model,
              provider, status, reserved_micros, quota_day)
            values (${requestId}, ${scratch.id}, ${clientId}, ${r.feature_type}, ${r.request_size},
              ${r.degraded ? "gpt-4o-mini" : r.model}, ${r.degraded ? "openai" : r.provider}, 'pending',
              ${r.reserved_micros}, ${quotaDay})`;
          completions.push(
            services.tracker.logResponse({
              requestId,
              status: r.status,
              costMicros: toMicros(r.cost_usd ?? "0"),
              usage: {
                inputTokens: r.input_tokens,
                outputTokens: r.output_tokens,
                cachedInputTokens: r.cached_input_tokens,
              },
              responseSize: r.response_size ?? 0,
              processingTimeMs: r.processing_time_ms ?? 0,
              errorMessage: r.error_message,
              model: r.status === "failed" ? null : r.model,
              provider: r.status === "failed" ? null : r.provider,
              degraded: r.degraded,
              result: null,
            }),
          );
        }
        await Promise.all(completions);
        await services.tracker.drain();
        // The seed counts a day's rows in one call of wedsync_count_usage; live, rows arrive one
        // completion batch or rejection at a time. The same function either way, but the grouping
        // differs: the scratch organization's rollups, as the live path left them, against one bulk
        // call over its rows, in a transaction rolled back afterwards.
        const tables = [
          "ai_usage_daily_rollups",
          "ai_usage_org_daily_rollups",
          "ai_usage_client_monthly_rollups",
          "ai_usage_latency_rollups",
          "ai_usage_latency_monthly_rollups",
        ];
        const [counts] = await sql<{ rollups: number; buckets: number }[]>`
          select (select count(*)::int from ai_usage_daily_rollups where organization_id = ${scratch.id}) as rollups,
                 (select count(*)::int from ai_usage_latency_rollups where organization_id = ${scratch.id}) as buckets`;
        let differences = 0;
        await sql
          .begin(async (tx) => {
            for (const table of tables) {
              await tx.unsafe(
                `create temp table live_${table} on commit drop as select * from ${table} where organization_id = $1`,
                [scratch.id],
              );
              await tx.unsafe(`delete from ${table} where organization_id = $1`, [scratch.id]);
            }
            await tx`
              select wedsync_count_usage(
                       array_agg(l order by l.request_id),
                       array_agg(case when l.status in ('succeeded', 'failed')
                                      then bench_seed.latency_bucket(l.processing_time_ms) end order by l.request_id))
                from ai_usage_logs l where l.organization_id = ${scratch.id} and l.status <> 'pending'`;
            for (const table of tables) {
              const bulk = `select * from ${table} where organization_id = '${scratch.id}'`;
              const live = `select * from live_${table}`;
              const [d] = await tx.unsafe(
                `select (select count(*) from ((${live}) except all (${bulk})) a)::int
                      + (select count(*) from ((${bulk}) except all (${live})) b)::int as n`,
              );
              differences += Number(d!.n);
            }
            throw new RolledBack();
          })
          .catch((err: unknown) => {
            if (!(err instanceof RolledBack)) throw err;
          });
        log(
          `  ${fmt(sample.length)} rows replayed (${fmt(completions.length)} completions, ` +
            `${fmt(sample.length - completions.length)} rejections): ${counts!.rollups} rollup rows and ` +
            `${counts!.buckets} histogram rows written live, ${differences} differences from one bulk count`,
        );
        if (differences !== 0 || counts!.rollups === 0)
          throw new Error("counting in bulk differs from the live path");
        return { rows: sample.length, rollups: counts!.rollups, buckets: counts!.buckets, differences };
      } finally {
        await services.db.delete(organizations).where(eq(organizations.id, scratch.id));
        await server.close();
      }
    });

// ---------------------------------------------------------------------------------------------
// 6. Summary
// ---------------------------------------------------------------------------------------------

await sql.unsafe(DROP_PLAN_TABLES_SQL);
const sizes = await sql<{ name: string; rows: string; total: string; heap: string; indexes: string }[]>`
  select c.relname as name, c.reltuples::bigint::text as rows, pg_total_relation_size(c.oid)::text as total,
         pg_relation_size(c.oid)::text as heap, pg_indexes_size(c.oid)::text as indexes
    from pg_class c
   where c.relname in ('ai_usage_logs', 'ai_usage_daily_rollups', 'ai_usage_latency_rollups',
                       'ai_daily_counters', 'ai_monthly_spend', 'clients', 'organizations')
   order by pg_total_relation_size(c.oid) desc`;
const [db] = await sql<{ size: string }[]>`select pg_database_size(current_database())::text as size`;
const totalSeconds = (performance.now() - started) / 1000;
const summary = {
  rows: ROWS,
  days: DAYS,
  organizations: plan.orgs.length,
  clients: orgRows.clients.length,
  seed: SEED,
  seededAt: now.toISOString(),
  periods: plan.orgs.map((o) => ({ slug: o.spec.slug, timezone: o.spec.timezone, from: o.from, to: o.to })),
  incidents: plan.incidents,
  shares,
  bucketCheck,
  liveCheck,
  timings,
  totalSeconds,
  sizes: Object.fromEntries(sizes.map((s) => [s.name, { ...s }])),
  databaseBytes: db!.size,
};
await sql`insert into bench_seed.run (summary) values (${sql.json(summary as unknown as postgres.JSONValue)})`;
await sql.end();

console.log("");
console.log("table                        rows (est.)        total         heap      indexes");
for (const s of sizes) {
  console.log(
    `${s.name.padEnd(26)} ${fmt(Number(s.rows)).padStart(13)} ${mb(s.total).padStart(12)} ${mb(s.heap).padStart(12)} ${mb(s.indexes).padStart(12)}`,
  );
}
console.log(`database: ${mb(db!.size)}`);
console.log(
  `seeded ${fmt(ROWS)} rows in ${totalSeconds.toFixed(0)} s (${Object.entries(timings)
    .map(([k, v]) => `${k}: ${v.toFixed(0)} s`)
    .join("; ")})`,
);
