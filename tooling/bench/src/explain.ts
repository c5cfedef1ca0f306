/**
 * EXPLAIN of the statements a service really sends: its methods run on a database handle whose
 * driver records every statement and its parameters as they go out (drizzle's logger), and each
 * recorded read is then timed and run under EXPLAIN (ANALYZE, BUFFERS) with those same
 * parameters, on the same postgres.js client (so they are serialized the same way). Nothing is
 * copied from the services: when their SQL changes, what is explained changes with it.
 */
import type { RunningServer } from "@wedsync/api/server";
import { summarizeLatencies } from "@wedsync/core";
import * as schema from "@wedsync/core/schema";
import { drizzle } from "drizzle-orm/postgres-js";
import postgres from "postgres";

type Database = RunningServer["services"]["db"];

export interface RecordedStatement {
  text: string;
  params: unknown[];
}

export interface RecordingDatabase {
  /** A database handle for the services' constructors. */
  db: Database;
  /** Its postgres.js client, for running the recorded statements again. */
  sql: postgres.Sql;
  /** The statements `run` sends through `db`, in the order they are sent. */
  record(run: () => Promise<unknown>): Promise<RecordedStatement[]>;
  close(): Promise<void>;
}

export function recordingDatabase(url: string, applicationName: string): RecordingDatabase {
  const sql = postgres(url, {
    max: 2,
    onnotice: () => {},
    connection: { application_name: applicationName },
  });
  let recording: RecordedStatement[] | null = null;
  const db = drizzle(sql, {
    schema,
    logger: { logQuery: (text, params) => recording?.push({ text, params }) },
  }) as unknown as Database;
  return {
    db,
    sql,
    async record(run) {
      const statements: RecordedStatement[] = [];
      recording = statements;
      try {
        await run();
      } finally {
        recording = null;
      }
      return statements;
    },
    close: () => sql.end({ timeout: 5 }),
  };
}

export interface ExplainedStatement {
  /** "#2 ai_usage_client_monthly_rollups + ai_usage_daily_rollups": its place and its tables. */
  label: string;
  sql: string;
  params: unknown[];
  /** Median wall time of `runs` warm runs (the EXPLAIN's execution time when runs is 0). */
  ms: number;
  executionMs: number;
  jitMs: number;
  /** The plan's nodes, top down: "Aggregate > Index Scan ai_usage_org_daily_rollups_pkey". */
  plan: string;
  /** Rows read from tables (scans; a bitmap index scan's rows count in its heap scan). */
  rowsScanned: number;
  /** Shared buffers hit or read, all nodes. */
  buffers: number;
  /** The plan as indented lines: node, index, conditions, rows, buffers. */
  tree: string[];
}

type PlanNode = Record<string, unknown> & { Plans?: PlanNode[] };

const fmt = (n: number) => n.toLocaleString("en-US");

/** The tables a statement reads, in order of appearance. */
function tablesOf(text: string): string[] {
  const names = [...text.matchAll(/\b(?:from|join)\s+"?([a-z_][a-z0-9_]*)"?/gi)].map((m) => m[1]!);
  return [...new Set(names)];
}

/** Only reads are explained: EXPLAIN ANALYZE runs the statement, and a write would change the data. */
const isRead = (text: string) => /^\s*(select|with)\b/i.test(text);

/**
 * Each recorded read, timed (`runs` warm runs after one more, median) and explained; anything
 * else (a SET, a write) is left out. EXPLAIN runs in a read-only transaction all the same.
 */
export async function explainStatements(
  sql: postgres.Sql,
  statements: RecordedStatement[],
  { runs = 5 } = {},
): Promise<ExplainedStatement[]> {
  const out: ExplainedStatement[] = [];
  for (const [i, s] of statements.entries()) {
    if (!isRead(s.text)) continue;
    const params = s.params as never[];
    const times: number[] = [];
    for (let r = 0; r <= runs && runs > 0; r++) {
      const t0 = performance.now();
      await sql.unsafe(s.text, params);
      if (r > 0) times.push(performance.now() - t0);
    }
    const [row] = await sql.begin("read only", (tx) =>
      tx.unsafe(`explain (analyze, buffers, format json) ${s.text}`, params),
    );
    const plan = (row!["QUERY PLAN"] as Array<Record<string, unknown>>)[0]!;
    const top = plan.Plan as PlanNode;
    const nodes: string[] = [];
    const tree: string[] = [];
    let rowsScanned = 0;
    const walk = (n: PlanNode, depth: number) => {
      const type = String(n["Node Type"]);
      const rows = Number(n["Actual Rows"] ?? 0) * Number(n["Actual Loops"] ?? 1);
      nodes.push(
        `${type}${n.Strategy ? `(${n.Strategy})` : ""}${n["Index Name"] ? ` ${n["Index Name"]}` : ""}`,
      );
      if (/Scan$/.test(type) && type !== "Bitmap Index Scan") rowsScanned += rows;
      const removed = Number(n["Rows Removed by Filter"] ?? 0) * Number(n["Actual Loops"] ?? 1);
      const cond = (text: unknown) => (String(text).length > 200 ? `${String(text).slice(0, 200)}…` : text);
      tree.push(
        `${"  ".repeat(depth)}${type}${n["Index Name"] ? ` ${n["Index Name"]}` : ""}` +
          `${n["Index Cond"] ? ` [${cond(n["Index Cond"])}]` : ""}${n.Filter ? ` filter [${cond(n.Filter)}]` : ""}` +
          ` rows ${fmt(rows)}${removed ? `, removed by filter ${fmt(removed)}` : ""}` +
          `, ${fmt(Number(n["Shared Hit Blocks"] ?? 0) + Number(n["Shared Read Blocks"] ?? 0))} buffers`,
      );
      for (const child of n.Plans ?? []) walk(child, depth + 1);
    };
    walk(top, 0);
    const executionMs = Number(plan["Execution Time"]);
    out.push({
      label: `#${i + 1} ${tablesOf(s.text).join(" + ")}`,
      sql: s.text,
      params: s.params,
      ms: times.length > 0 ? summarizeLatencies(times)!.p50Ms : executionMs,
      executionMs,
      jitMs: (plan.JIT as { Timing?: { Total?: number } } | undefined)?.Timing?.Total ?? 0,
      plan: nodes.join(" > "),
      rowsScanned,
      buffers: Number(top["Shared Hit Blocks"] ?? 0) + Number(top["Shared Read Blocks"] ?? 0),
      tree,
    });
  }
  return out;
}
