/**
 * The SQL half of `pnpm db:seed:large`: the usage rows are generated set-based inside PostgreSQL
 * (INSERT ... SELECT over generate_series, a few days per statement), and the rollups are built
 * from them with one aggregate INSERT ... SELECT each, grouped exactly as the live path groups
 * them (usage-tracker.ts writeCompletions, and the insert trigger of drizzle/0005 for rejections).
 *
 * Helper tables live in the schema `bench_seed`; the plan tables are dropped at the end, the
 * latency-bucket function and the `run` summary stay.
 */
import {
  LATENCY_BUCKET_COUNT,
  LATENCY_MAX_MS,
  LATENCY_MIN_MS,
  LATENCY_RELATIVE_ACCURACY,
  latencyBucketIndex,
} from "@wedsync/core";
import type postgres from "postgres";

type Sql = postgres.Sql;

// ---------------------------------------------------------------------------------------------
// Latency buckets: core's latencyBucketIndex, in SQL
// ---------------------------------------------------------------------------------------------

/**
 * A closed form of the same arithmetic as latency-sketch.ts, in float8 (IEEE doubles, like
 * JavaScript numbers):
 *   gamma = (1 + a) / (1 - a);  key(ms) = ceil(ln(ms) / ln(gamma))
 *   bucket(ms) = 0 if ms < MIN, else key(min(ms, MAX)) - key(MIN) + 1
 * It equals latencyBucketIndex on every integer ms (all processing_time_ms can hold), but not on
 * every double: PostgreSQL's ln() (glibc's log) and V8's Math.log differ in the last bit for a few
 * arguments, and at a bucket boundary that moves the ceiling. Kept for comparison only.
 */
export function latencyBucketClosedFormSql(): string {
  const a = `${LATENCY_RELATIVE_ACCURACY}::float8`;
  const lnGamma = `ln((1::float8 + ${a}) / (1::float8 - ${a}))`;
  const min = `${LATENCY_MIN_MS}::float8`;
  const max = `${LATENCY_MAX_MS}::float8`;
  return `
    create or replace function bench_seed.latency_bucket_closed_form(ms float8) returns smallint
      language sql immutable strict parallel safe as $$
      select case when ms < ${min} then 0
        else (ceil(ln(least(ms, ${max})) / ${lnGamma}) - ceil(ln(${min}) / ${lnGamma}) + 1)::smallint end
    $$`;
}

/**
 * The lower bound of every bucket 1..LATENCY_BUCKET_COUNT-1: the smallest double that
 * latencyBucketIndex puts in that bucket or above, found by bisecting over the doubles' bit
 * patterns (ordered like the values for non-negative doubles). Exact by construction: no
 * logarithm is evaluated outside core's own function.
 */
export function latencyBucketLowerBounds(): number[] {
  const f64 = new Float64Array(1);
  const u64 = new BigUint64Array(f64.buffer);
  const bits = (x: number) => {
    f64[0] = x;
    return u64[0]!;
  };
  const value = (b: bigint) => {
    u64[0] = b;
    return f64[0]!;
  };
  const bounds: number[] = [];
  for (let bucket = 1; bucket < LATENCY_BUCKET_COUNT; bucket++) {
    let lo = bits(0); // latencyBucketIndex(0) = 0 < bucket
    let hi = bits(LATENCY_MAX_MS); // the last bucket >= bucket
    while (hi - lo > 1n) {
      const mid = (lo + hi) / 2n;
      if (latencyBucketIndex(value(mid)) >= bucket) hi = mid;
      else lo = mid;
    }
    bounds.push(value(hi));
  }
  for (let i = 1; i < bounds.length; i++) {
    if (!(bounds[i]! > bounds[i - 1]!)) throw new Error("latencyBucketIndex is not increasing");
  }
  return bounds;
}

/**
 * core's latencyBucketIndex in SQL: the number of bucket lower bounds at or below ms
 * (width_bucket's binary search over a constant float8 array). Inlinable (one SQL expression,
 * immutable), so an aggregate over millions of rows does not pay a function call per row.
 */
export function latencyBucketFunctionSql(): string {
  // String(x) is the shortest text that reads back as the same double; float8in reads it exactly.
  const bounds = latencyBucketLowerBounds().map(String).join(",");
  return `
    create or replace function bench_seed.latency_bucket(ms float8) returns smallint
      language sql immutable strict parallel safe as $$
      select width_bucket(ms, '{${bounds}}'::float8[])::smallint
    $$`;
}

/**
 * Proves a SQL bucket function equal to core's latencyBucketIndex on every value
 * processing_time_ms can hold up to the 10-minute ceiling (every integer 0..600 000), beyond it,
 * on every bucket's lower bound and the doubles either side of it, and on random fractional
 * latencies. Counts mismatches on integers and on the other values separately.
 */
export async function verifyLatencyBuckets(
  sql: Sql,
  fn = "bench_seed.latency_bucket",
): Promise<{
  integers: number;
  integerMismatches: number;
  fractional: number;
  fractionalMismatches: number;
}> {
  const integers: number[] = [];
  for (let ms = 0; ms <= LATENCY_MAX_MS; ms++) integers.push(ms);
  integers.push(LATENCY_MAX_MS + 1, 700_000, 3_600_000, 2_147_483_647);
  const fractional: number[] = [];
  const f64 = new Float64Array(1);
  const u64 = new BigUint64Array(f64.buffer);
  const step = (x: number, d: bigint) => {
    f64[0] = x;
    u64[0] = u64[0]! + d;
    return f64[0]!;
  };
  for (const b of latencyBucketLowerBounds()) {
    fractional.push(b, step(b, -1n), step(b, 1n), step(b, -2n), step(b, 2n));
  }
  // Where a closed form could slip: gamma^k itself and its neighbours.
  const gamma = (1 + LATENCY_RELATIVE_ACCURACY) / (1 - LATENCY_RELATIVE_ACCURACY);
  for (
    let k = Math.ceil(Math.log(LATENCY_MIN_MS) / Math.log(gamma));
    gamma ** k < LATENCY_MAX_MS * 1.1;
    k++
  ) {
    const b = gamma ** k;
    fractional.push(b, step(b, -1n), step(b, 1n));
  }
  let x = 12345;
  for (let i = 0; i < 200_000; i++) {
    x = (x * 1103515245 + 12345) % 2147483648;
    fractional.push((x / 2147483648) * 1000 * 10 ** ((i % 6) - 2)); // 0.01 ms .. 100 s
  }
  fractional.push(0.001, LATENCY_MIN_MS, step(LATENCY_MIN_MS, -1n), Number.MIN_VALUE);
  const mismatches = async (values: number[]) => {
    let bad = 0;
    for (let i = 0; i < values.length; i += 100_000) {
      const ms = values.slice(i, i + 100_000);
      const want = ms.map((v) => latencyBucketIndex(v));
      const [row] = await sql.unsafe<{ bad: number }[]>(
        `select count(*)::int as bad from unnest($1::float8[], $2::int[]) as t(ms, want)
          where ${fn}(t.ms) <> t.want`,
        [ms, want],
      );
      bad += row!.bad;
    }
    return bad;
  };
  return {
    integers: integers.length,
    integerMismatches: await mismatches(integers),
    fractional: fractional.length,
    fractionalMismatches: await mismatches(fractional),
  };
}

// ---------------------------------------------------------------------------------------------
// Indexes and constraints around the bulk load
// ---------------------------------------------------------------------------------------------

export interface SavedIndexes {
  table: string;
  constraints: Array<{ name: string; def: string; type: string }>;
  indexes: Array<{ name: string; def: string }>;
}

/** Drops every index and key of a table (foreign keys first), remembering their definitions. */
export async function dropIndexes(sql: Sql, table: string): Promise<SavedIndexes> {
  const constraints = await sql<{ name: string; def: string; type: string }[]>`
    select conname as name, pg_get_constraintdef(oid) as def, contype::text as type
      from pg_constraint where conrelid = ${table}::regclass and contype in ('p', 'u', 'f')
     order by case contype when 'f' then 0 else 1 end, conname`;
  const indexes = await sql<{ name: string; def: string }[]>`
    select i.relname as name, pg_get_indexdef(i.oid) as def
      from pg_index x join pg_class i on i.oid = x.indexrelid
     where x.indrelid = ${table}::regclass
       and not exists (select 1 from pg_constraint c where c.conindid = i.oid and c.conrelid = x.indrelid)
     order by i.relname`;
  for (const c of constraints) await sql.unsafe(`alter table ${table} drop constraint ${c.name}`);
  for (const i of indexes) await sql.unsafe(`drop index ${i.name}`);
  return { table, constraints, indexes };
}

/** Recreates what dropIndexes removed: keys and indexes, then foreign keys (validated). */
export async function restoreIndexes(
  sql: Sql,
  saved: SavedIndexes,
  log: (msg: string) => void = () => {},
): Promise<void> {
  const keys = saved.constraints.filter((c) => c.type !== "f");
  const fks = saved.constraints.filter((c) => c.type === "f");
  for (const c of keys) {
    const t0 = performance.now();
    await sql.unsafe(`alter table ${saved.table} add constraint ${c.name} ${c.def}`);
    log(`  ${c.name} (${seconds(t0)})`);
  }
  for (const i of saved.indexes) {
    const t0 = performance.now();
    await sql.unsafe(i.def);
    log(`  ${i.name} (${seconds(t0)})`);
  }
  for (const c of fks) {
    const t0 = performance.now();
    await sql.unsafe(`alter table ${saved.table} add constraint ${c.name} ${c.def}`);
    log(`  ${c.name} (${seconds(t0)})`);
  }
}

export const seconds = (t0: number) => `${((performance.now() - t0) / 1000).toFixed(1)} s`;

// ---------------------------------------------------------------------------------------------
// Helper tables
// ---------------------------------------------------------------------------------------------

export const HELPER_TABLES_SQL = `
  create schema if not exists bench_seed;
  create table bench_seed.orgs (
    org_idx int primary key, org_id uuid not null, tz text not null,
    openai_share float8 not null, d_field float8 not null, d_pdf float8 not null,
    trpc_meta jsonb not null, openai_meta jsonb not null);
  create table bench_seed.clients (org_idx int not null, idx int not null, client_id uuid not null,
    primary key (org_idx, idx));
  -- The platform config's model of each organization and feature, per period of the year.
  create table bench_seed.models (org_idx int not null, feature ai_feature_type not null,
    from_day date not null, to_day date not null, model text not null, available boolean not null);
  create table bench_seed.prices (model text primary key, provider text not null,
    in_m bigint not null, cached_m bigint not null, out_m bigint not null);
  -- Tokens (log-normal: median and sigma) and the processing-time factor of each feature.
  create table bench_seed.features (feature ai_feature_type primary key, in_med float8 not null,
    in_sigma float8 not null, out_med float8 not null, out_sigma float8 not null, lat_mult float8 not null);
  -- Median processing time of a successful call per model (ms).
  create table bench_seed.latency (model text primary key, median_ms float8 not null);
  create table bench_seed.results (feature ai_feature_type not null, k int not null, result jsonb not null,
    primary key (feature, k));
  create table bench_seed.plan (org_idx int not null, day date not null, rows int not null,
    lo int not null, mid int not null, hi int not null,
    p_fail float8 not null, p_degraded float8 not null, p_reject float8 not null);
  create index on bench_seed.plan (day);
  create table if not exists bench_seed.run (id serial primary key, finished_at timestamptz not null default now(),
    summary jsonb not null);
`;

export const DROP_PLAN_TABLES_SQL = `
  drop table bench_seed.orgs, bench_seed.clients, bench_seed.models, bench_seed.prices,
    bench_seed.features, bench_seed.latency, bench_seed.results, bench_seed.plan;
`;

// ---------------------------------------------------------------------------------------------
// The usage rows
// ---------------------------------------------------------------------------------------------

const z = (u1: string, u2: string) => `(sqrt(-2 * ln(1 - ${u1})) * cos(2 * pi() * ${u2}))`;

const FAILURES = [
  [0.35, "Request timed out after 30000 ms"],
  [0.55, "503 The server is overloaded or not ready yet."],
  [0.7, "429 Rate limit reached for requests. Please try again in 20s."],
  [0.82, "500 The server had an error while processing your request. Sorry about that!"],
  [0.9, "Connection error: socket hang up (ECONNRESET)"],
  [0.96, "The provider's answer did not match the feature's result schema"],
  [1.01, "Circuit breaker is open: openai is failing, try again shortly"],
] as const;

/** Rejection reasons of requests for an available feature, by cumulative share. */
const REJECTIONS = [
  [0.5, "rate_limited"],
  [0.7, "daily_request_cap"],
  [0.84, "daily_cost_cap"],
  [0.94, "feature_disabled"],
  [1.01, "credit_limit"],
] as const;

const esc = (s: string) => s.replaceAll("'", "''");

/**
 * One INSERT ... SELECT writing every usage row of the plan's days in [$1, $2], ordered by
 * completion (rejections by arrival) so event_seq follows time as the live path's does.
 * Layers (each fenced with OFFSET 0, so every random() is drawn once per row):
 *   r: one row per request with its uniform random numbers
 *   b: organization, channel, feature, client index
 *   c: the config's model and prices, status
 *   d: tokens, degraded
 *   e: the stored columns
 */
export const INSERT_CHUNK_SQL = `
insert into ai_usage_logs (organization_id, client_id, feature_type, request_size, response_size,
  processing_time_ms, cost_usd, success, error_message, metadata, model, provider, input_tokens,
  output_tokens, cached_input_tokens, status, rejection_reason, idempotency_key, request_hash,
  reserved_micros, quota_day, result, degraded, created_at, completed_at, event_seq)
select organization_id, client_id, feature_type, request_size, response_size, processing_time_ms,
  (cost_micros::numeric / 1000000)::numeric(12, 6), status = 'succeeded', error_message, metadata, model,
  provider, input_tokens, output_tokens, cached_input_tokens, status, rejection_reason, idempotency_key,
  case when idempotency_key is not null then encode(sha256(convert_to(idempotency_key, 'UTF8')), 'hex') end,
  reserved_micros, quota_day, result, degraded, created_at, completed_at, nextval('ai_usage_event_seq')
from (
  select e.*, coalesce(e.completed_at, e.created_at) as seq_at from (
    select d.org_id as organization_id,
      d.client_id,
      d.feature as feature_type,
      round(d.draw_in * 3.9)::int as request_size,
      case d.status when 'succeeded' then round(d.draw_out * 3.6)::int when 'failed' then 0 end as response_size,
      d.processing_time_ms,
      case d.status
        when 'succeeded' then case when d.degraded then 0
          else ((d.input_tokens - d.cached_input_tokens) * d.in_m + d.cached_input_tokens * d.cached_m
                + d.output_tokens * d.out_m + 500000) / 1000000 end
        when 'failed' then 0 end as cost_micros,
      d.status,
      d.rejection_reason,
      case when d.status = 'failed' then case
        ${FAILURES.map(([p, msg]) => `when d.u_err < ${p} then '${esc(msg)}'`).join("\n        ")} end
      end as error_message,
      case when d.via_openai then d.openai_meta else d.trpc_meta end as metadata,
      case when d.degraded then 'local-rules' else d.config_model end as model,
      case when d.rejection_reason in ('tier', 'feature_disabled', 'rate_limited') then null
           when d.degraded then 'local' else d.config_provider end as provider,
      d.input_tokens, d.output_tokens, d.cached_input_tokens,
      case when d.status = 'succeeded' and d.via_openai and d.u_idem < 0.3
           then 'req_' || replace(gen_random_uuid()::text, '-', '') end as idempotency_key,
      case when d.status in ('succeeded', 'failed')
           then ((round(d.draw_in * 3.9)::bigint + 8192) * d.in_m + 1024 * d.out_m + 500000) / 1000000
           else 0 end as reserved_micros,
      -- Every row carries its day, rejections before the caps too (the insert trigger sets it).
      d.day as quota_day,
      t.result,
      d.degraded,
      d.created_at,
      case when d.status in ('succeeded', 'failed')
           then d.created_at + d.processing_time_ms * interval '1 millisecond' end as completed_at
    from (
      select c.*,
        case when c.status = 'succeeded' then c.draw_in else 0 end as input_tokens,
        case when c.status = 'succeeded' then c.draw_out else 0 end as output_tokens,
        case when c.status = 'succeeded' and not c.degraded and c.config_provider <> 'local'
                  and c.draw_in >= 1024 and c.u_cache < 0.35
             then 1024 + 128 * floor(c.u_cache2 * (floor((c.draw_in - 1024) / 128) + 1))::int
             else 0 end as cached_input_tokens,
        case c.status
          when 'succeeded' then case
            when c.degraded then greatest(1, least(180000, round(8000 * exp(0.6 * c.z_lat))))::int
            else greatest(1, least(180000, round(c.median_ms * c.lat_mult * exp(0.55 * c.z_lat))))::int end
          when 'failed' then case
            when c.u_err < ${FAILURES[0][0]} then (30000 * (1 + floor(c.u_lat1 * 3)) + floor(c.u_lat2 * 40))::int
            else greatest(1, least(120000, round(900 * exp(0.8 * c.z_lat))))::int end
        end as processing_time_ms,
        (c.day::timestamp + make_interval(secs => c.tod)) at time zone c.tz as created_at,
        floor(c.u_res * 4)::int as result_k
      from (
        select b.*, m.model as config_model, p.provider as config_provider,
          p.in_m, p.cached_m, p.out_m, f.lat_mult, coalesce(l.median_ms, 1000) as median_ms,
          cl.client_id,
          case when not m.available then 'rejected'
               when b.u_status < b.p_reject then 'rejected'
               when b.u_status < b.p_reject + b.p_fail then 'failed'
               else 'succeeded' end::ai_usage_status as status,
          case when not m.available then 'tier'
               when b.u_status < b.p_reject then case
                 ${REJECTIONS.map(([p, reason]) => `when b.u_reason < ${p} then '${reason}'`).join("\n                 ")} end
          end as rejection_reason,
          (m.available and b.u_status >= b.p_reject + b.p_fail and b.u_reason < b.p_degraded
            and p.provider <> 'local') as degraded,
          greatest(20, least(120000, round(f.in_med * exp(f.in_sigma * ${z("b.u_in1", "b.u_in2")}))))::int as draw_in,
          greatest(5, least(8000, round(f.out_med * exp(f.out_sigma * ${z("b.u_out1", "b.u_out2")}))))::int as draw_out,
          ${z("b.u_lat1", "b.u_lat2")} as z_lat,
          case when b.u_tod3 < 0.82
               then least(86399.999, greatest(0, 48600 + 11900 * ${z("b.u_tod1", "b.u_tod2")}))
               else 86400 * b.u_tod2 end as tod
        from (
          select r.*, o.org_id, o.tz, o.trpc_meta, o.openai_meta,
            r.u_chan < o.openai_share as via_openai,
            r.u_chan < o.openai_share * 0.25 as no_client,
            case when r.u_feat < o.d_field then 'field_extraction'
                 when r.u_feat < o.d_field + o.d_pdf then 'pdf_analysis'
                 else 'smart_mapping' end::ai_feature_type as feature,
            case when r.u_c1 < 0.12 and r.mid > r.lo then r.lo + floor((r.mid - r.lo) * r.u_c2)::int
                 when r.mid <= r.hi then r.mid + floor((r.hi - r.mid + 1) * power(r.u_c2, 1.6))::int
                 else r.lo + floor((r.hi - r.lo + 1) * r.u_c2)::int end as client_idx
          from (
            select p.org_idx, p.day, p.lo, p.mid, p.hi, p.p_fail, p.p_degraded, p.p_reject,
              random() as u_chan, random() as u_c1, random() as u_c2, random() as u_feat,
              random() as u_status, random() as u_reason, random() as u_in1, random() as u_in2,
              random() as u_out1, random() as u_out2, random() as u_cache, random() as u_cache2,
              random() as u_tod1, random() as u_tod2, random() as u_tod3, random() as u_lat1,
              random() as u_lat2, random() as u_res, random() as u_idem, random() as u_err
            from bench_seed.plan p, generate_series(1, p.rows) as g(i)
            where p.day between $1::date and $2::date
            offset 0
          ) r join bench_seed.orgs o on o.org_idx = r.org_idx
          offset 0
        ) b
        join bench_seed.models m on m.org_idx = b.org_idx and m.feature = b.feature
          and b.day between m.from_day and m.to_day
        join bench_seed.prices p on p.model = m.model
        join bench_seed.features f on f.feature = b.feature
        left join bench_seed.latency l on l.model = m.model
        left join bench_seed.clients cl on cl.org_idx = b.org_idx and cl.idx = b.client_idx and not b.no_client
        offset 0
      ) c
      offset 0
    ) d
    left join bench_seed.results t on t.feature = d.feature and t.k = d.result_k and d.status = 'succeeded'
  ) e
  order by seq_at
  offset 0
) s`;

// ---------------------------------------------------------------------------------------------
// Rollups: counted by wedsync_count_usage (packages/api/src/infra/usage-functions.ts), as the
// live path counts them; see seed-large.ts. Nothing here repeats how.
// ---------------------------------------------------------------------------------------------

/**
 * The admission counters, settled: requests admitted per organization and feature ('org') and per
 * client and day, what they spent, nothing reserved (no request is in flight); and the months'
 * spend. Summed from the daily rollups (the same sums as the rows': requests and cost per key).
 */
export const COUNTERS_SQL = `
  insert into ai_daily_counters (organization_id, feature_type, scope, day, requests, reserved_micros, spent_micros)
  select organization_id, feature_type, 'org', day, sum(requests), 0, sum(cost_micros)
    from ai_usage_daily_rollups group by organization_id, feature_type, day having sum(requests) > 0
  union all
  select organization_id, feature_type, client_id::text, day, sum(requests), 0, sum(cost_micros)
    from ai_usage_daily_rollups where client_id is not null
   group by organization_id, feature_type, client_id, day having sum(requests) > 0;
  insert into ai_monthly_spend (organization_id, month, reserved_micros, spent_micros)
  select organization_id, to_char(day, 'YYYY-MM'), 0, sum(cost_micros)
    from ai_usage_daily_rollups group by organization_id, to_char(day, 'YYYY-MM') having sum(requests) > 0;
`;
