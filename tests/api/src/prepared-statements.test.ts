/**
 * The hot path's statements (admission, completion) run as named prepared statements on
 * PostgreSQL: parsed and planned once per connection. DATABASE_PREPARED_STATEMENTS=false (old
 * PgBouncer in transaction mode) turns them off. PostgreSQL only: PGlite has no network to save.
 */
import { openDatabase } from "@wedsync/api/database";
import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { postgresOnly, skipNote } from "./harness/skips";

async function preparedOnOneConnection(preparedStatements: boolean) {
  // One connection, so the query reading pg_prepared_statements runs in the session that prepared.
  const handle = await openDatabase({ url: process.env.DATABASE_URL, maxConnections: 1, preparedStatements });
  try {
    const marker = `prepared_${preparedStatements}_${Date.now()}`;
    for (let i = 0; i < 3; i++) {
      const rows = (await handle.executePrepared(
        sql`select ${i}::int as n, ${sql.raw(`'${marker}'`)} as marker`,
      )) as Array<{
        n: number;
      }>;
      expect(rows[0]!.n).toBe(i);
    }
    const result = (await handle.db.execute(
      sql`select count(*)::int as n from pg_prepared_statements where statement like ${`%${marker}%`}`,
    )) as unknown as Array<{ n: number }>;
    return result[0]!.n;
  } finally {
    await handle.close();
  }
}

describe.skipIf(postgresOnly !== null)(skipNote("prepared statements", postgresOnly), () => {
  it("the hot path's statements are prepared once per connection and reused", async () => {
    expect(await preparedOnOneConnection(true)).toBe(1);
  });

  it("are not prepared when turned off (PgBouncer without prepared-statement support)", async () => {
    expect(await preparedOnOneConnection(false)).toBe(0);
  });
});
