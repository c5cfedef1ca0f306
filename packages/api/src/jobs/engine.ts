/**
 * The job engine: pg-boss 10, on the connection the platform already has (PGlite or postgres.js).
 *
 * Why pg-boss and not graphile-worker (tried for real on both databases, issue 15): pg-boss takes
 * any `db: { executeSql(text, values) }`, so it runs on the platform's own DatabaseHandle with a
 * dozen lines of glue; graphile-worker wants a `pg` Pool (and LISTEN on a pooled client), which
 * PGlite does not offer without a wire-protocol bridge. pg-boss never issues BEGIN and COMMIT as
 * separate calls: its transactions (schema creation, migrations, maintenance under an advisory
 * lock) are single multi-statement strings, which PGlite runs atomically on its one connection
 * (exec) and postgres.js on one reserved connection. Fetching uses FOR UPDATE SKIP LOCKED in one
 * statement; its timers (maintenance, expiry) are plain statements. 11 and 12 need Node 22.
 */
import type { PGlite } from "@electric-sql/pglite";
import { type SQL, sql } from "drizzle-orm";
import PgBoss from "pg-boss";
import type { Sql } from "postgres";
import { type DatabaseHandle, type Executor, rowsOf } from "../infra/database";

/** pg-boss's schema (its tables live apart from the product's, created and migrated by pg-boss). */
export const JOB_SCHEMA = "pgboss";

type ExecuteSql = (text: string, values?: unknown[]) => Promise<{ rows: unknown[] }>;

/** Both drivers reject `undefined` parameters where `pg` sends NULL. */
const nullish = (values: unknown[] | undefined) => (values ?? []).map((v) => (v === undefined ? null : v));

/**
 * On postgres.js under drizzle, json parameters go out as they are (drizzle turned the client's
 * json serializer off and stringifies its own): objects are sent as JSON text, as `pg` does.
 */
const asPostgresParameters = (values: unknown[] | undefined) =>
  nullish(values).map((v) =>
    v !== null && typeof v === "object" && !Array.isArray(v) && !(v instanceof Date) && !Buffer.isBuffer(v)
      ? JSON.stringify(v)
      : v,
  );

/** pg-boss's statements on the platform's connection. */
export function executeSqlOn(database: Pick<DatabaseHandle, "db" | "kind">): ExecuteSql {
  // drizzle keeps the driver's client as $client; the handle's own types hide it.
  const client = (database.db as unknown as { $client: unknown }).$client;
  if (database.kind === "pglite") {
    const pglite = client as PGlite;
    return async (text, values) => {
      if (values && values.length > 0) return pglite.query(text, nullish(values));
      // Without parameters pg-boss sends its multi-statement scripts (BEGIN ... COMMIT): exec runs
      // them as one, and nothing else runs on the single connection in between.
      const results = await pglite.exec(text);
      return { rows: results.at(-1)?.rows ?? [] };
    };
  }
  const postgres = client as Sql;
  return async (text, values) => {
    if (values && values.length > 0) {
      return {
        rows: [...(await postgres.unsafe(text, asPostgresParameters(values) as never[], { prepare: false }))],
      };
    }
    // postgres.js refuses BEGIN on a pooled connection (another query could slip into the
    // transaction): scripts run on one reserved connection, in the simple protocol.
    const reserved = await postgres.reserve();
    try {
      const results = (await reserved.unsafe(text).simple()) as unknown as unknown[];
      const last = Array.isArray(results.at(-1)) ? (results.at(-1) as unknown[]) : results;
      return { rows: [...last] };
    } finally {
      reserved.release();
    }
  };
}

/**
 * pg-boss's statements inside one of the platform's transactions (`send` with `db`): the job row
 * commits with the product's rows or not at all. `$n` placeholders become drizzle parameters.
 */
export function executeSqlIn(tx: Executor, kind: DatabaseHandle["kind"]): PgBoss.Db {
  return {
    executeSql: async (text: string, values: unknown[]) => {
      const parameters = kind === "postgres" ? asPostgresParameters(values) : nullish(values);
      const parts = text.split(/\$(\d+)\b/);
      const query: SQL = sql.join(
        parts.map((part, i) => (i % 2 === 1 ? sql`${parameters[Number(part) - 1] ?? null}` : sql.raw(part))),
        sql.raw(""),
      );
      return { rows: rowsOf(await tx.execute(query)) };
    },
  };
}

export interface JobEngineOptions {
  /** Seconds between polls of an idle worker (at least 0.5). */
  pollSeconds: number;
  /** How often one instance runs pg-boss's maintenance: expiry of jobs whose instance died, archiving. */
  maintenanceSeconds: number;
}

export function createJobEngine(database: Pick<DatabaseHandle, "db" | "kind">, opts: JobEngineOptions) {
  const executeSql = executeSqlOn(database);
  return new PgBoss({
    db: { executeSql: (text: string, values: unknown[]) => executeSql(text, values) },
    schema: JOB_SCHEMA,
    maintenanceIntervalSeconds: opts.maintenanceSeconds,
    // The product keeps its own record (ai_jobs): pg-boss's finished rows go after a day.
    archiveCompletedAfterSeconds: 3_600,
    deleteAfterDays: 1,
    monitorStateIntervalSeconds: Math.max(opts.maintenanceSeconds, 10),
    // No cron schedules: the platform's timers are its own.
    schedule: false,
  });
}
