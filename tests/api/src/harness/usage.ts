import type { RunningServer } from "@wedsync/api/server";
import { aiDailyCounters, aiMonthlySpend, aiUsageLogs } from "@wedsync/core";
import { and, asc, eq } from "drizzle-orm";

/** Every usage row of an organization, oldest first, straight from the database. */
export async function usageRows(server: RunningServer, organizationId: string) {
  await server.services.tracker.drain();
  return server.services.db
    .select()
    .from(aiUsageLogs)
    .where(eq(aiUsageLogs.organizationId, organizationId))
    .orderBy(asc(aiUsageLogs.createdAt));
}

export async function countersOf(server: RunningServer, organizationId: string) {
  const daily = await server.services.db
    .select()
    .from(aiDailyCounters)
    .where(eq(aiDailyCounters.organizationId, organizationId));
  const monthly = await server.services.db
    .select()
    .from(aiMonthlySpend)
    .where(eq(aiMonthlySpend.organizationId, organizationId));
  return { daily, monthly, orgDaily: daily.filter((d) => d.scope === "org") };
}

export function byStatus(rows: Array<{ status: string }>) {
  const out: Record<string, number> = {};
  for (const r of rows) out[r.status] = (out[r.status] ?? 0) + 1;
  return out;
}

export function micros(decimal: string | null): bigint {
  if (!decimal) return 0n;
  const [whole, frac = ""] = decimal.split(".");
  return BigInt(whole!) * 1_000_000n + BigInt(frac.padEnd(6, "0").slice(0, 6));
}

export { and };
