/**
 * The bench database: dropped and recreated with psql before a run (the platform child migrates
 * it), and read after the run to check that every answered request left a usage row.
 */
import { execFileSync } from "node:child_process";
import postgres from "postgres";

export function recreateDatabase(databaseUrl: string): void {
  const url = new URL(databaseUrl);
  const name = decodeURIComponent(url.pathname.slice(1));
  const admin = new URL(databaseUrl);
  admin.pathname = "/postgres";
  const ident = `"${name.replaceAll('"', '""')}"`;
  execFileSync(
    "psql",
    [
      admin.toString(),
      "-q",
      "-v",
      "ON_ERROR_STOP=1",
      "-c",
      `DROP DATABASE IF EXISTS ${ident} WITH (FORCE)`,
      "-c",
      `CREATE DATABASE ${ident}`,
    ],
    {
      stdio: ["ignore", "inherit", "inherit"],
      env: { ...process.env, PGOPTIONS: "-c client_min_messages=warning" },
    },
  );
}

export interface UsageCheck {
  /** Rows per status for the organization. */
  byStatus: Record<string, number>;
  /** Request ids of the succeeded rows. */
  succeededIds: Set<string>;
}

export async function readUsage(databaseUrl: string, organizationId: string): Promise<UsageCheck> {
  const sql = postgres(databaseUrl, { max: 1, onnotice: () => {} });
  try {
    const counts = await sql<{ status: string; n: string }[]>`
      select status::text as status, count(*)::text as n from ai_usage_logs
      where organization_id = ${organizationId} group by status`;
    const ids = await sql<{ request_id: string }[]>`
      select request_id from ai_usage_logs where organization_id = ${organizationId} and status = 'succeeded'`;
    return {
      byStatus: Object.fromEntries(counts.map((r) => [r.status, Number(r.n)])),
      succeededIds: new Set(ids.map((r) => r.request_id)),
    };
  } finally {
    await sql.end({ timeout: 5 });
  }
}

/**
 * Waits until the organization has no pending usage row (requests autocannon cut at the end of a
 * cell may still be running in the server), or `timeoutMs`; resolves with the pending count left.
 */
export async function waitForNoPending(
  databaseUrl: string,
  organizationId: string,
  timeoutMs = 10_000,
): Promise<number> {
  const sql = postgres(databaseUrl, { max: 1, onnotice: () => {} });
  const deadline = Date.now() + timeoutMs;
  try {
    for (;;) {
      const [row] = await sql<{ n: string }[]>`
        select count(*)::text as n from ai_usage_logs where organization_id = ${organizationId} and status = 'pending'`;
      const pending = Number(row?.n ?? 0);
      if (pending === 0 || Date.now() > deadline) return pending;
      await new Promise((r) => setTimeout(r, 100));
    }
  } finally {
    await sql.end({ timeout: 5 });
  }
}
