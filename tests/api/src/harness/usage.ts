import { randomUUID } from "node:crypto";
import type { RunningServer } from "@wedsync/api/server";
import {
  aiDailyCounters,
  aiMonthlySpend,
  aiUsageLogs,
  type FeatureType,
  type RejectionReason,
  toMicros,
} from "@wedsync/core";
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

/** One request of a test's usage history (any day, any status). */
export interface RecordedUsage {
  organizationId: string;
  clientId: string | null;
  featureType: FeatureType;
  status: "succeeded" | "failed" | "pending" | "rejected";
  rejectionReason?: RejectionReason | null;
  /** The stored cost of a completed request. */
  costUsd?: string | null;
  model: string;
  provider: string;
  inputTokens?: number;
  outputTokens?: number;
  cachedInputTokens?: number;
  quotaDay: string;
  createdAt: Date;
}

/**
 * Usage history as the live path leaves it, on any day: each request's row written pending (its
 * quota day and time), then completed through the tracker's completing statement — which moves
 * the rollups with it — or, rejected, inserted as such (the insert trigger counts it).
 */
export async function recordUsage(server: RunningServer, usage: readonly RecordedUsage[]) {
  if (usage.length === 0) return;
  const rows = usage.map((u) => ({ ...u, requestId: randomUUID() }));
  await server.services.db.insert(aiUsageLogs).values(
    rows.map((r) => ({
      requestId: r.requestId,
      organizationId: r.organizationId,
      clientId: r.clientId,
      featureType: r.featureType,
      status: r.status === "rejected" ? ("rejected" as const) : ("pending" as const),
      rejectionReason: r.status === "rejected" ? (r.rejectionReason ?? "rate_limited") : null,
      model: r.model,
      provider: r.provider,
      quotaDay: r.quotaDay,
      createdAt: r.createdAt,
    })),
  );
  await Promise.all(
    rows
      .filter((r) => r.status === "succeeded" || r.status === "failed")
      .map((r) =>
        server.services.tracker.logResponse({
          requestId: r.requestId,
          status: r.status as "succeeded" | "failed",
          costMicros: toMicros(r.costUsd ?? "0"),
          usage: {
            inputTokens: r.inputTokens ?? 0,
            outputTokens: r.outputTokens ?? 0,
            cachedInputTokens: r.cachedInputTokens ?? 0,
          },
          responseSize: 0,
          processingTimeMs: 100,
          errorMessage: r.status === "failed" ? "upstream error" : null,
          model: r.model,
          provider: r.provider,
          degraded: false,
          result: null,
        }),
      ),
  );
}

export { and };
