import { randomUUID } from "node:crypto";
import { mkdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { PGlite } from "@electric-sql/pglite";
import { AppError } from "@wedsync/core";
import * as schema from "@wedsync/core/schema";
import type { ExtractTablesWithRelations } from "drizzle-orm";
import { type SQL, sql } from "drizzle-orm";
import { type PgDatabase, PgDialect, type PgQueryResultHKT, type PgTransaction } from "drizzle-orm/pg-core";
import { drizzle as drizzlePglite } from "drizzle-orm/pglite";
import { migrate as migratePglite } from "drizzle-orm/pglite/migrator";
import { drizzle as drizzlePostgres } from "drizzle-orm/postgres-js";
import { migrate as migratePostgres } from "drizzle-orm/postgres-js/migrator";
import postgres from "postgres";
import { withTimeout } from "../lib/timeout";
import { installUsageFunctions } from "./usage-functions";

export type Schema = typeof schema;
/** Either driver: PGlite (embedded) or postgres.js (a real server). Services see only this. */
export type Database = PgDatabase<PgQueryResultHKT, Schema>;
export type Transaction = PgTransaction<PgQueryResultHKT, Schema, ExtractTablesWithRelations<Schema>>;
/** Something queries run on: the database or an open transaction. */
export type Executor = Database | Transaction;

export const MIGRATIONS_FOLDER = fileURLToPath(new URL("../../../../drizzle", import.meta.url));

/** Turns drizzle's SQL into text and parameters for postgres.js. */
const dialect = new PgDialect();

/** Advisory lock key held while migrating (any constant: "wedsy" in ASCII). */
const MIGRATION_LOCK = 0x7765647379;

export interface DatabaseHandle {
  db: Database;
  kind: "pglite" | "postgres";
  migrate(): Promise<void>;
  /**
   * LISTEN on a channel. `onReconnect` runs when a lost listening connection is back: whatever was
   * notified in between is gone, so listeners must resynchronise from the tables.
   */
  listen(
    channel: string,
    onMessage: (payload: string) => void,
    onReconnect: () => void,
  ): Promise<() => Promise<void>>;
  /** The listening connection's application_name in pg_stat_activity (PostgreSQL only). */
  listenerName: string | null;
  /**
   * Run a statement of the hot path as a named prepared statement (PostgreSQL, unless turned off):
   * parsed and planned once per connection instead of on every call. Results as db.execute's.
   */
  executePrepared: ExecutePrepared;
  close(): Promise<void>;
}

export type ExecutePrepared = (query: SQL) => Promise<unknown>;

export interface DatabaseOptions {
  /** postgres:// URL; when absent, PGlite. */
  url?: string | undefined;
  /** PGlite data folder; "memory://" for a throwaway database. */
  dataDir?: string | undefined;
  /** postgres.js pool size. */
  maxConnections?: number;
  /**
   * Named prepared statements for executePrepared (default true). Through PgBouncer in
   * transaction mode they need PgBouncer 1.21+ with max_prepared_statements set.
   */
  preparedStatements?: boolean;
  /**
   * A direct connection for LISTEN when `url` goes through PgBouncer in transaction mode (a
   * listening session cannot be pooled); `url` by default.
   */
  listenUrl?: string | undefined;
}

export async function openDatabase(opts: DatabaseOptions): Promise<DatabaseHandle> {
  if (opts.url) {
    // Drizzle's queries run unprepared (compatible with PgBouncer in transaction mode); the
    // client-level switch only lets executePrepared name its statements.
    const prepared = opts.preparedStatements !== false;
    const client = postgres(opts.url, {
      max: opts.maxConnections ?? 10,
      prepare: prepared,
      onnotice: () => {},
      // A server that does not accept the connection within this is unreachable: the request
      // fails fast with 503 (postgres.js waits 30 s by default, stalling every caller queued on it).
      connect_timeout: CONNECT_TIMEOUT_S,
      backoff: reconnectDelayS,
    });
    const db = drizzlePostgres(client, { schema }) as unknown as Database;
    // A connection of its own, named so operators (and tests) can find it in pg_stat_activity.
    const listenerName = `wedsync-listener-${randomUUID().slice(0, 8)}`;
    const listener = postgres(opts.listenUrl ?? opts.url, {
      max: 1,
      onnotice: () => {},
      connect_timeout: CONNECT_TIMEOUT_S,
      backoff: reconnectDelayS,
      connection: { application_name: listenerName },
    });
    return {
      db,
      kind: "postgres",
      migrate: async () => {
        // Drizzle's migrator takes no lock, and instances starting together would race: hold a
        // session advisory lock while migrating, so the others wait and then find nothing to do.
        // The lock lives on a connection of its own: the pool may have a single one, for the migrator.
        const lock = postgres(opts.listenUrl ?? opts.url!, { max: 1, onnotice: () => {} });
        try {
          await lock`select pg_advisory_lock(${MIGRATION_LOCK})`;
          await migratePostgres(drizzlePostgres(client), { migrationsFolder: MIGRATIONS_FOLDER });
          await installUsageFunctions((statement) => client.unsafe(statement));
        } finally {
          await lock.end({ timeout: 5 }); // ending the session releases the lock
        }
      },
      listen: async (channel, onMessage, onReconnect) => {
        // postgres.js keeps the listening connection alive and calls onlisten after every (re)connect.
        let connected = false;
        const { unlisten } = await listener.listen(channel, onMessage, () => {
          if (connected) onReconnect();
          connected = true;
        });
        return unlisten;
      },
      listenerName,
      executePrepared: (query) => {
        const { sql: text, params } = dialect.sqlToQuery(query);
        return client.unsafe(text, params as never[], { prepare: prepared });
      },
      close: async () => {
        await listener.end({ timeout: 5 });
        await client.end({ timeout: 5 });
      },
    };
  }
  const dataDir = opts.dataDir ?? "memory://";
  if (!dataDir.startsWith("memory://")) mkdirSync(dataDir, { recursive: true });
  const client = await PGlite.create(dataDir);
  const db = drizzlePglite(client, { schema }) as unknown as Database;
  return {
    db,
    kind: "pglite",
    migrate: async () => {
      await migratePglite(drizzlePglite(client), { migrationsFolder: MIGRATIONS_FOLDER });
      await installUsageFunctions((statement) => client.exec(statement));
    },
    // One embedded connection, never lost: nothing to resynchronise.
    listen: async (channel, onMessage) => client.listen(channel, onMessage),
    listenerName: null,
    // In-process: no network round trip or parse to save.
    executePrepared: (query) => db.execute(query),
    close: () => client.close(),
  };
}

const CONNECT_TIMEOUT_S = 3;

/**
 * Seconds before a connection that failed is tried again. postgres.js counts failures across the
 * whole pool and waits up to 20 s by default, so after a database restart every query queued on
 * the pool waited that long for a server that was back long before (measured: 11-20 s of no
 * answers). Half a second at most, so the pool is back as soon as the server is.
 */
function reconnectDelayS(failures: number): number {
  return Math.min(0.05 * 2 ** failures, 0.5) * (0.5 + Math.random() / 2);
}

/**
 * True when `err` (or what it wraps) says the database cannot be reached right now, rather than
 * that the statement was wrong: the server refused or dropped the connection, is shutting down or
 * starting up, or did not answer in time. Such a request gets 503 with Retry-After, never a 500.
 */
export function isDatabaseUnavailable(err: unknown): boolean {
  for (let e = err, depth = 0; e && typeof e === "object" && depth < 5; depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === "string") {
      if (UNREACHABLE_CODES.has(code)) return true;
      // PostgreSQL's classes 08 (connection exception) and 57P (operator intervention: shutdown, starting up).
      if (/^08[0-9A-Z]{3}$/.test(code) || /^57P0[1-4]$/.test(code) || code === "53300") return true;
    }
    e = (e as { cause?: unknown }).cause;
  }
  return false;
}

const UNREACHABLE_CODES = new Set([
  // postgres.js
  "CONNECTION_CLOSED",
  "CONNECTION_ENDED",
  "CONNECTION_DESTROYED",
  "CONNECT_TIMEOUT",
  // Node's sockets
  "ECONNREFUSED",
  "ECONNRESET",
  "EPIPE",
  "ETIMEDOUT",
  "EHOSTUNREACH",
  "ENOTFOUND",
  "EAI_AGAIN",
]);

/** Seconds a caller is told to wait when the database is unreachable (a restart takes about that). */
export const DATABASE_RETRY_AFTER_SECONDS = 2;

/** `err` as the caller's 503 when it means the database is unreachable; otherwise `err` unchanged. */
export function asDatabaseUnavailable(err: unknown): unknown {
  if (err instanceof AppError || !isDatabaseUnavailable(err)) return err;
  return new AppError("SERVICE_UNAVAILABLE", "The database is unreachable at the moment; retry shortly", {
    cause: err,
    details: { reason: "database_unavailable", retryAfterSeconds: DATABASE_RETRY_AFTER_SECONDS },
  });
}

/** One `select 1` within `timeoutMs`: readiness. Throws when the database does not answer. */
export async function pingDatabase(db: Database, timeoutMs: number): Promise<void> {
  await withTimeout(db.execute(sql`select 1`), timeoutMs, () =>
    Object.assign(new Error("database ping timed out"), { code: "CONNECT_TIMEOUT" }),
  );
}

/** How many migrations the database has applied (drizzle's own bookkeeping table). */
export async function appliedMigrationCount(db: Database): Promise<number> {
  const result = await db.execute(sql`select count(*)::int as n from drizzle.__drizzle_migrations`);
  return Number(rowsOf<{ n: number }>(result)[0]?.n ?? 0);
}

/** Raw query results: postgres.js returns the rows themselves, PGlite `{ rows }`. */
export function rowsOf<T>(result: unknown): T[] {
  return Array.isArray(result) ? (result as T[]) : ((result as { rows?: T[] }).rows ?? []);
}
