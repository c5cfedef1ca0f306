/**
 * "The counters equal the log": the admission counters of an organization, recomputed from its
 * usage rows, in one statement (one snapshot, so it holds even while other instances admit and
 * complete requests: admission and completion each move a usage row and its counters in one
 * transaction).
 *
 * What each counter means (drizzle/0013 wedsync_admit and wedsync_admit_batch, and the completing
 * statement in packages/api/src/services/usage-tracker.ts, writeCompletions):
 *
 * ai_daily_counters, one row per (organization, feature, scope, day); scope 'org' counts every
 * request of the organization, scope <client id as text> only that client's; day = the row's
 * quota_day (the organization-timezone day):
 *   requests        = usage rows admitted against it: status pending, succeeded or failed.
 *                     Admission adds 1 and nothing ever takes it back (a turned-away request
 *                     gives its own increment back in the same transaction); rows with status
 *                     'rejected' never counted.
 *   reserved_micros = sum of reserved_micros (the admission estimate) of the rows still pending:
 *                     admission adds it, completion takes the row's reservation back.
 *   spent_micros    = sum of the real cost of the completed rows (succeeded and failed):
 *                     cost_usd * 1e6, exact (computed here in numeric).
 * ai_monthly_spend, one row per (organization, month), month = to_char(quota_day, 'YYYY-MM'):
 *   reserved_micros and spent_micros as above, over the month's rows of every feature and client.
 *
 * A missing counter row and a row of zeros are the same (admission deletes rows it brought back
 * to zero). Holds for usage written by the live path only: harness/usage.ts recordUsage inserts
 * pending rows without admission, and a deleted client's rows lose their client_id (ON DELETE
 * SET NULL) while its counter rows stay; neither belongs in a test that checks this.
 */
import type { Database } from "@wedsync/api/database";
import { rowsOf } from "@wedsync/api/database";
import { sql } from "drizzle-orm";
import { expect } from "vitest";

/** One side of a counter key: the counter row's figures, or the ones recomputed from the log. */
export interface CounterFigures {
  /** Daily counters only (null for ai_monthly_spend). */
  requests: string | null;
  reservedMicros: string;
  spentMicros: string;
}

/** A counter key whose row differs from its usage rows. Figures are exact decimal strings. */
export interface CounterMismatch {
  table: "ai_daily_counters" | "ai_monthly_spend";
  /** Daily: the feature; monthly: null. */
  featureType: string | null;
  /** Daily: 'org' or the client id; monthly: null. */
  scope: string | null;
  /** Daily: the day (YYYY-MM-DD; null when usage rows have no quota_day); monthly: YYYY-MM. */
  period: string | null;
  counter: CounterFigures;
  log: CounterFigures;
}

export interface LedgerComparison {
  mismatches: CounterMismatch[];
  /** Counter rows compared (daily, monthly), and the organization's usage rows by status. */
  dailyRows: number;
  monthlyRows: number;
  usageRows: Record<string, number>;
  /** ai_monthly_spend as read in the same snapshot, per month (figures exact decimal strings). */
  monthlySpend: Array<{ month: string; reservedMicros: string; spentMicros: string }>;
}

type Row = {
  grain: "daily" | "monthly" | "status";
  feature_type: string | null;
  scope: string | null;
  period: string | null;
  c_requests: string | null;
  l_requests: string | null;
  c_reserved: string | null;
  l_reserved: string | null;
  c_spent: string | null;
  l_spent: string | null;
  mismatch: boolean;
};

/** Compares the organization's counters with its usage rows; see the file's comment for the rules. */
export async function compareCountersWithLog(
  db: Database,
  organizationId: string,
): Promise<LedgerComparison> {
  const rows = rowsOf<Row>(
    await db.execute(sql`
      with live as (
        select feature_type, client_id, quota_day, status, reserved_micros::numeric as reserved,
               coalesce(cost_usd, 0)::numeric * 1000000 as cost
          from ai_usage_logs
         where organization_id = ${organizationId}::uuid and status <> 'rejected'
      ), scoped as (
        select feature_type, 'org'::text as scope, quota_day, status, reserved, cost from live
        union all
        select feature_type, client_id::text, quota_day, status, reserved, cost from live where client_id is not null
      ), daily_log as (
        select feature_type, scope, quota_day as day, count(*)::numeric as requests,
               coalesce(sum(reserved) filter (where status = 'pending'), 0) as reserved,
               coalesce(sum(cost) filter (where status in ('succeeded', 'failed')), 0) as spent
          from scoped group by feature_type, scope, quota_day
      ), daily_counter as (
        select feature_type, scope, day, requests::numeric as requests,
               reserved_micros::numeric as reserved, spent_micros::numeric as spent
          from ai_daily_counters where organization_id = ${organizationId}::uuid
      ), daily as (
        select coalesce(c.feature_type, l.feature_type)::text as feature_type,
               coalesce(c.scope, l.scope) as scope, coalesce(c.day, l.day)::text as period,
               coalesce(c.requests, 0) as c_requests, coalesce(l.requests, 0) as l_requests,
               coalesce(c.reserved, 0) as c_reserved, coalesce(l.reserved, 0) as l_reserved,
               coalesce(c.spent, 0) as c_spent, coalesce(l.spent, 0) as l_spent
          from daily_counter c
          full join daily_log l on l.feature_type = c.feature_type and l.scope = c.scope and l.day = c.day
      ), monthly_log as (
        select to_char(quota_day, 'YYYY-MM') as month,
               coalesce(sum(reserved) filter (where status = 'pending'), 0) as reserved,
               coalesce(sum(cost) filter (where status in ('succeeded', 'failed')), 0) as spent
          from live group by to_char(quota_day, 'YYYY-MM')
      ), monthly_counter as (
        select month, reserved_micros::numeric as reserved, spent_micros::numeric as spent
          from ai_monthly_spend where organization_id = ${organizationId}::uuid
      ), monthly as (
        select coalesce(c.month, l.month) as period,
               coalesce(c.reserved, 0) as c_reserved, coalesce(l.reserved, 0) as l_reserved,
               coalesce(c.spent, 0) as c_spent, coalesce(l.spent, 0) as l_spent
          from monthly_counter c
          full join monthly_log l on l.month = c.month
      )
      select 'daily' as grain, feature_type, scope, period,
             trim_scale(c_requests)::text as c_requests, trim_scale(l_requests)::text as l_requests,
             trim_scale(c_reserved)::text as c_reserved, trim_scale(l_reserved)::text as l_reserved,
             trim_scale(c_spent)::text as c_spent, trim_scale(l_spent)::text as l_spent,
             (c_requests <> l_requests or c_reserved <> l_reserved or c_spent <> l_spent) as mismatch
        from daily
      union all
      select 'monthly', null, null, period, null, null,
             trim_scale(c_reserved)::text, trim_scale(l_reserved)::text,
             trim_scale(c_spent)::text, trim_scale(l_spent)::text,
             (c_reserved <> l_reserved or c_spent <> l_spent)
        from monthly
      union all
      select 'status', null, status::text, null, null, count(*)::text, null, null, null, null, false
        from ai_usage_logs where organization_id = ${organizationId}::uuid group by status
      order by 1, 2, 3, 4`),
  );
  const figures = (r: Row, side: "c" | "l"): CounterFigures => ({
    requests: side === "c" ? r.c_requests : r.l_requests,
    reservedMicros: (side === "c" ? r.c_reserved : r.l_reserved) ?? "0",
    spentMicros: (side === "c" ? r.c_spent : r.l_spent) ?? "0",
  });
  const usageRows: Record<string, number> = {};
  for (const r of rows) if (r.grain === "status") usageRows[r.scope ?? "?"] = Number(r.l_requests);
  return {
    mismatches: rows
      .filter((r) => r.grain !== "status" && r.mismatch)
      .map((r) => ({
        table: r.grain === "daily" ? "ai_daily_counters" : "ai_monthly_spend",
        featureType: r.feature_type,
        scope: r.scope,
        period: r.period,
        counter: figures(r, "c"),
        log: figures(r, "l"),
      })),
    dailyRows: rows.filter((r) => r.grain === "daily").length,
    monthlyRows: rows.filter((r) => r.grain === "monthly").length,
    usageRows,
    monthlySpend: rows
      .filter((r) => r.grain === "monthly" && r.period !== null)
      .map((r) => ({ month: r.period!, reservedMicros: r.c_reserved ?? "0", spentMicros: r.c_spent ?? "0" })),
  };
}

/** One line per mismatching counter key: counter vs log, per figure. */
export function formatMismatches(mismatches: readonly CounterMismatch[]): string {
  return mismatches
    .map((m) => {
      const key =
        m.table === "ai_daily_counters"
          ? `${m.table} ${m.featureType}/${m.scope}/${m.period}`
          : `${m.table} ${m.period}`;
      const fields = (["requests", "reservedMicros", "spentMicros"] as const)
        .filter((f) => m.counter[f] !== m.log[f])
        .map((f) => `${f}: counter ${m.counter[f] ?? "-"} != log ${m.log[f] ?? "-"}`);
      return `  ${key}: ${fields.join(", ")}`;
    })
    .join("\n");
}

/**
 * Asserts the organization's daily counters and monthly spend equal what its usage rows say
 * (see the file's comment); on failure the message lists each mismatching counter row with both
 * sides. Returns the comparison (rows compared, usage rows by status) for the test to report.
 */
export async function expectCountersEqualLog(
  db: Database,
  organizationId: string,
): Promise<LedgerComparison> {
  const comparison = await compareCountersWithLog(db, organizationId);
  if (comparison.mismatches.length > 0) {
    const text = formatMismatches(comparison.mismatches);
    console.error(`counters differ from the usage log of organization ${organizationId}:\n${text}`);
    expect(
      comparison.mismatches,
      `counters differ from the usage log of organization ${organizationId}:\n${text}\n`,
    ).toEqual([]);
  }
  return comparison;
}
