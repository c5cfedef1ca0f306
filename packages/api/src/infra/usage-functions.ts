/**
 * The SQL functions through which every path counts usage and announces it, generated here from
 * one definition each and installed after the migrations (see installUsageFunctions):
 *
 * - wedsync_count_usage(rows, latency buckets, grains): adds usage rows (completed or rejected)
 *   to every rollup. The completing statement, the rejection trigger, the rollup rebuild and the
 *   large seed all call it, so a new rollup counter is one line of USAGE_COUNTERS (and its column).
 * - wedsync_usage_event(row): the usage event of a row, the one definition of its JSON, whose keys
 *   TypeScript holds to the event bus's schema (UsageRecordedEvent).
 * - wedsync_notify_usage(events): NOTIFY on the bus's channel (EVENT_CHANNEL, defined once).
 *
 * Earlier migrations (0005, 0009, 0010) wrote their own copies of these; they are history, and
 * the functions they created are replaced here at every start.
 */
import { EVENT_CHANNEL, type UsageRecordedEvent } from "./event-bus";

/** Rows that count as made requests (completed); rejected rows count apart. */
const COMPLETED = "u.status in ('succeeded', 'failed')";
const rejectedFor = (reason: string) =>
  `count(*) filter (where u.status = 'rejected' and u.rejection_reason = '${reason}')`;

/** Every counter of the usage rollups: its column, and its aggregate over the counted rows `u`. */
export const USAGE_COUNTERS: ReadonlyArray<readonly [column: string, aggregate: string]> = [
  ["requests", `count(*) filter (where ${COMPLETED})`],
  ["succeeded", "count(*) filter (where u.status = 'succeeded')"],
  ["failed", "count(*) filter (where u.status = 'failed')"],
  ["degraded", `count(*) filter (where ${COMPLETED} and u.degraded)`],
  ["rejected", "count(*) filter (where u.status = 'rejected')"],
  ["rejected_feature_disabled", rejectedFor("feature_disabled")],
  ["rejected_tier", rejectedFor("tier")],
  ["rejected_rate_limited", rejectedFor("rate_limited")],
  ["rejected_daily_request_cap", rejectedFor("daily_request_cap")],
  ["rejected_daily_cost_cap", rejectedFor("daily_cost_cap")],
  ["rejected_credit_limit", rejectedFor("credit_limit")],
  ["input_tokens", `coalesce(sum(u.input_tokens) filter (where ${COMPLETED}), 0)`],
  ["output_tokens", `coalesce(sum(u.output_tokens) filter (where ${COMPLETED}), 0)`],
  ["cached_input_tokens", `coalesce(sum(u.cached_input_tokens) filter (where ${COMPLETED}), 0)`],
  ["cost_micros", `coalesce(sum((u.cost_usd * 1000000)::bigint) filter (where ${COMPLETED}), 0)`],
  ["processing_ms_total", `coalesce(sum(u.processing_time_ms) filter (where ${COMPLETED}), 0)`],
];

const MONTH = "date_trunc('month', u.quota_day)::date";

/** A rollup table: the name p_grains selects it by, its unique key, and its key columns with the expression over `u` each comes from. */
interface Grain {
  name: string;
  table: string;
  conflict: string;
  keys: ReadonlyArray<readonly [column: string, expr: string]>;
}

export const USAGE_GRAINS: readonly Grain[] = [
  {
    name: "daily",
    table: "ai_usage_daily_rollups",
    conflict: "on constraint ai_usage_daily_rollups_key",
    keys: [
      ["organization_id", "u.organization_id"],
      ["client_id", "u.client_id"],
      ["feature_type", "u.feature_type"],
      ["model", "u.model"],
      ["day", "u.quota_day"],
    ],
  },
  {
    name: "org_daily",
    table: "ai_usage_org_daily_rollups",
    conflict: "on constraint ai_usage_org_daily_rollups_key",
    keys: [
      ["organization_id", "u.organization_id"],
      ["day", "u.quota_day"],
      ["feature_type", "u.feature_type"],
      ["provider", "u.provider"],
      ["model", "u.model"],
      // The price segment the request was made in: the latest instant a price took effect, not after it.
      ["price_segment_from", "v_instants[width_bucket(u.created_at, v_instants)]"],
    ],
  },
  {
    name: "client_monthly",
    table: "ai_usage_client_monthly_rollups",
    conflict: "on constraint ai_usage_client_monthly_rollups_key",
    keys: [
      ["organization_id", "u.organization_id"],
      ["month", MONTH],
      ["client_id", "u.client_id"],
    ],
  },
];

/** Latency histograms: one count per completed row in its processing time's bucket (given by the caller). */
export const LATENCY_GRAINS: readonly Grain[] = [
  {
    name: "latency_daily",
    table: "ai_usage_latency_rollups",
    conflict: "(organization_id, feature_type, day, bucket)",
    keys: [
      ["organization_id", "u.organization_id"],
      ["feature_type", "u.feature_type"],
      ["day", "u.quota_day"],
      ["bucket", "u.bucket"],
    ],
  },
  {
    name: "latency_monthly",
    table: "ai_usage_latency_monthly_rollups",
    conflict: "(organization_id, month, feature_type, bucket)",
    keys: [
      ["organization_id", "u.organization_id"],
      ["month", MONTH],
      ["feature_type", "u.feature_type"],
      ["bucket", "u.bucket"],
    ],
  },
];

/** The rows passed in, each with its latency bucket (null without p_buckets). */
const ROWS = "(SELECT x.*, p_buckets[x.ordinality] AS bucket FROM unnest(p_rows) WITH ORDINALITY AS x)";

function upsert(g: Grain, counters: ReadonlyArray<readonly [string, string]>, where: string): string {
  const exprs = g.keys.map(([, e]) => e).join(", ");
  const positions = g.keys.map((_, i) => i + 1).join(", ");
  return `
  IF p_grains IS NULL OR '${g.name}' = ANY (p_grains) THEN
    INSERT INTO ${g.table} AS r (${[...g.keys, ...counters].map(([c]) => c).join(", ")})
      SELECT ${exprs}, ${counters.map(([, a]) => a).join(", ")}
        FROM ${ROWS} u WHERE ${where}
       GROUP BY ${positions} ORDER BY ${positions}
      ON CONFLICT ${g.conflict} DO UPDATE SET
        ${counters.map(([c]) => `${c} = r.${c} + excluded.${c}`).join(",\n        ")};
  END IF;`;
}

/**
 * wedsync_count_usage: `p_rows` usage rows that were completed or rejected (a row's quota_day is
 * the organization's day it counts on), `p_buckets` the latency bucket of each completed row, in
 * the same order (null: latency histograms untouched), `p_grains` the rollups to add to (null:
 * all). Rows are upserted in key order in every table, against deadlocks between writers.
 */
export function countUsageFunctionSql(): string {
  return `
CREATE OR REPLACE FUNCTION wedsync_count_usage(p_rows ai_usage_logs[], p_buckets smallint[] DEFAULT NULL,
    p_grains text[] DEFAULT NULL) RETURNS integer LANGUAGE plpgsql AS $fn$
DECLARE
  v_instants timestamptz[];
BEGIN
  IF coalesce(cardinality(p_rows), 0) = 0 THEN RETURN 0; END IF;
  SELECT array_agg(DISTINCT effective_from ORDER BY effective_from) INTO v_instants FROM ai_model_prices;
  IF EXISTS (SELECT 1 FROM unnest(p_rows) u WHERE u.quota_day IS NULL OR u.status NOT IN ('succeeded', 'failed', 'rejected')) THEN
    RAISE EXCEPTION 'wedsync_count_usage: every row must be completed or rejected, with its quota day';
  END IF;
${USAGE_GRAINS.map((g) => upsert(g, USAGE_COUNTERS, "true")).join("\n")}
  IF p_buckets IS NOT NULL THEN
${LATENCY_GRAINS.map((g) => upsert(g, [["count", "count(*)"]], `${COMPLETED} AND u.bucket IS NOT NULL`)).join("\n")}
  END IF;
  RETURN cardinality(p_rows);
END $fn$;`;
}

/** The usage event's JSON, key by key, from a usage row `l`: TypeScript holds the keys to the bus's schema. */
const USAGE_EVENT_FIELDS: Record<keyof UsageRecordedEvent, string> = {
  kind: "'usage'",
  organizationId: "l.organization_id",
  seq: "l.event_seq",
  requestId: "l.request_id",
  featureType: "l.feature_type",
  clientId: "l.client_id",
  status: "l.status",
  costUsd: "l.cost_usd::text",
  inputTokens: "l.input_tokens",
  outputTokens: "l.output_tokens",
  cachedInputTokens: "l.cached_input_tokens",
  rejectionReason: "l.rejection_reason",
};

/** NOTIFY payloads stay under 8000 bytes: events go 12 to a payload (about 330 bytes each). */
const EVENTS_PER_PAYLOAD = 12;

export function usageEventFunctionsSql(): string {
  const fields = Object.entries(USAGE_EVENT_FIELDS)
    .map(([k, e]) => `'${k}', ${e}`)
    .join(", ");
  return `
CREATE OR REPLACE FUNCTION wedsync_usage_event(l ai_usage_logs) RETURNS jsonb LANGUAGE sql STABLE AS $fn$
  SELECT jsonb_build_object(${fields})
$fn$;
--
CREATE OR REPLACE FUNCTION wedsync_notify_usage(p_events jsonb[]) RETURNS integer LANGUAGE plpgsql AS $fn$
DECLARE
  v_payloads integer := 0;
BEGIN
  FOR i IN 1 .. coalesce(cardinality(p_events), 0) BY ${EVENTS_PER_PAYLOAD} LOOP
    PERFORM pg_notify('${EVENT_CHANNEL}', jsonb_build_object('events', to_jsonb(p_events[i : i + ${EVENTS_PER_PAYLOAD - 1}]))::text);
    v_payloads := v_payloads + 1;
  END LOOP;
  RETURN v_payloads;
END $fn$;`;
}

/**
 * The rejection trigger (drizzle/0005): a rejected row, whichever path writes it (admission's caps
 * in wedsync_admit, or the rate limit and disabled features through the tracker), gets its event
 * number, is counted in the rollups and announced, in the statement that inserts it. Its quota day
 * comes with it: the organization's day by the application's clock (core's dayInTimezone), as for
 * every admission.
 */
export function rejectionTriggerFunctionSql(): string {
  return `
CREATE OR REPLACE FUNCTION wedsync_usage_rejected() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
  IF NEW.quota_day IS NULL THEN
    -- Only a pod of a release before this one writes a rejection without its day (during a rolling
    -- update): it counts on today in the organization's timezone, as it did then. Remove a release later.
    SELECT (now() AT TIME ZONE o.timezone)::date INTO NEW.quota_day FROM organizations o WHERE o.id = NEW.organization_id;
  END IF;
  NEW.event_seq := nextval('ai_usage_event_seq');
  PERFORM wedsync_count_usage(ARRAY[NEW]);
  PERFORM wedsync_notify_usage(ARRAY[wedsync_usage_event(NEW)]);
  RETURN NEW;
END $fn$;`;
}

/**
 * wedsync_rebuild_org_daily_rollups(p_from): the organization-level daily rollup rebuilt from the
 * log for the days from p_from on, through wedsync_count_usage, a day at a time. The table is
 * locked against writes first, so a completion committing meanwhile is either in the log this
 * reads or adds itself to the rebuilt rows afterwards. Operators rerun it after a rollout from a
 * release before drizzle/0010 (docs/operations.md).
 */
export function rebuildFunctionSql(): string {
  return `
CREATE OR REPLACE FUNCTION wedsync_rebuild_org_daily_rollups(p_from date) RETURNS bigint LANGUAGE plpgsql AS $fn$
DECLARE
  v_day date;
  v_rows bigint := 0;
BEGIN
  LOCK TABLE ai_usage_org_daily_rollups IN EXCLUSIVE MODE;
  DELETE FROM ai_usage_org_daily_rollups WHERE day >= p_from;
  FOR v_day IN SELECT DISTINCT l.quota_day FROM ai_usage_logs l
                WHERE l.status <> 'pending' AND l.quota_day >= p_from ORDER BY 1 LOOP
    PERFORM wedsync_count_usage(array_agg(l), NULL, ARRAY['org_daily'])
       FROM ai_usage_logs l WHERE l.status <> 'pending' AND l.quota_day = v_day;
  END LOOP;
  SELECT count(*) INTO v_rows FROM ai_usage_org_daily_rollups WHERE day >= p_from;
  RETURN v_rows;
END $fn$;`;
}

/** Every generated function, in dependency order. */
export function usageFunctionsSql(): string[] {
  return [
    countUsageFunctionSql(),
    ...usageEventFunctionsSql().split("\n--\n"),
    rejectionTriggerFunctionSql(),
    rebuildFunctionSql(),
  ];
}

/** Install (or replace) the generated functions: after the migrations, at every start. */
export async function installUsageFunctions(execute: (statement: string) => Promise<unknown>): Promise<void> {
  for (const statement of usageFunctionsSql()) await execute(statement);
}
