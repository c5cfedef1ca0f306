/**
 * Several instances starting together on a database with pending migrations (PostgreSQL only:
 * PGlite is one process's). Without a lock they race and all but one fail; with it they queue.
 */
import { randomUUID } from "node:crypto";
import { openDatabase } from "@wedsync/api/database";
import postgres from "postgres";
import { describe, expect, it } from "vitest";
import { postgresOnly, skipNote } from "./harness/skips";

describe.skipIf(postgresOnly !== null)(skipNote("migrations", postgresOnly), () => {
  it("four instances migrating one empty database at once all succeed, and it is migrated once", async () => {
    const base = new URL(process.env.DATABASE_URL!);
    const name = `wedsync_migrate_${randomUUID().slice(0, 8)}`;
    const admin = postgres(base.toString(), { max: 1, onnotice: () => {} });
    await admin.unsafe(`create database ${name}`);
    const url = new URL(base);
    url.pathname = `/${name}`;
    const handles = await Promise.all(
      [1, 2, 3, 4].map(() => openDatabase({ url: url.toString(), maxConnections: 2 })),
    );
    try {
      const results = await Promise.allSettled(handles.map((h) => h.migrate()));
      expect(results.map((r) => r.status)).toEqual(["fulfilled", "fulfilled", "fulfilled", "fulfilled"]);
      const db = postgres(url.toString(), { max: 1, onnotice: () => {} });
      const [row] = await db`select count(*)::int as n from drizzle.__drizzle_migrations`;
      const journal = await import("../../../drizzle/meta/_journal.json", { with: { type: "json" } });
      expect(row!.n).toBe(journal.default.entries.length);
      await db.end();
    } finally {
      await Promise.all(handles.map((h) => h.close()));
      await admin.unsafe(`drop database ${name} with (force)`);
      await admin.end();
    }
  });
});
