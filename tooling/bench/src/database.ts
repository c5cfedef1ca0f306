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
 * Waits until the platform is done with the organization's requests: no pending usage row, and no
 * new row for `stableMs` (requests autocannon cut at the end of a cell may still be running in the
 * server, some not yet admitted). Gives up after `timeoutMs`; resolves with the pending count left.
 */
export async function waitForQuiescence(
  databaseUrl: string,
  organizationId: string,
  { stableMs = 1_000, timeoutMs = 15_000 } = {},
): Promise<number> {
  const sql = postgres(databaseUrl, { max: 1, onnotice: () => {} });
  const deadline = Date.now() + timeoutMs;
  let last = "";
  let since = Date.now();
  try {
    for (;;) {
      const [row] = await sql<{ total: string; pending: string }[]>`
        select count(*)::text as total, count(*) filter (where status = 'pending')::text as pending
        from ai_usage_logs where organization_id = ${organizationId}`;
      const pending = Number(row?.pending ?? 0);
      const now = `${row?.total}/${pending}`;
      if (now !== last) {
        last = now;
        since = Date.now();
      }
      if ((pending === 0 && Date.now() - since >= stableMs) || Date.now() > deadline) return pending;
      await new Promise((r) => setTimeout(r, 100));
    }
  } finally {
    await sql.end({ timeout: 5 });
  }
}
