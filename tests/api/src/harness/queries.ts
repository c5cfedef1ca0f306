import type { RunningServer } from "@wedsync/api/server";
import { aiClientConfigs, aiConfigAudit, aiInvoices, aiPlatformConfigs, clients } from "@wedsync/core";
import { and, asc, count, eq, gt, or } from "drizzle-orm";

/** Everything configurable an organization has, read straight from the database, for "nothing changed" checks. */
export async function snapshotOrganization(server: RunningServer, organizationId: string) {
  const db = server.services.db;
  const platform = await db
    .select()
    .from(aiPlatformConfigs)
    .where(eq(aiPlatformConfigs.organizationId, organizationId))
    .orderBy(asc(aiPlatformConfigs.featureType));
  const overrides = await db
    .select({ c: aiClientConfigs })
    .from(aiClientConfigs)
    .innerJoin(clients, eq(clients.id, aiClientConfigs.clientId))
    .where(eq(clients.organizationId, organizationId))
    .orderBy(asc(aiClientConfigs.id));
  const [audit] = await db
    .select({ n: count() })
    .from(aiConfigAudit)
    .where(eq(aiConfigAudit.organizationId, organizationId));
  const invoices = await db
    .select()
    .from(aiInvoices)
    .where(eq(aiInvoices.organizationId, organizationId))
    .orderBy(asc(aiInvoices.sequence));
  return { platform, overrides: overrides.map((o) => o.c), auditRows: Number(audit?.n ?? 0), invoices };
}

/** Client overrides above their platform config's limits (the cascade must leave none). */
export function overridesExceedingPlatform(server: RunningServer, organizationId: string) {
  return server.services.db
    .select({ id: aiClientConfigs.id })
    .from(aiClientConfigs)
    .innerJoin(aiPlatformConfigs, eq(aiPlatformConfigs.id, aiClientConfigs.platformConfigId))
    .where(
      and(
        eq(aiPlatformConfigs.organizationId, organizationId),
        or(
          gt(aiClientConfigs.maxRequestsPerDayOverride, aiPlatformConfigs.maxRequestsPerDay),
          gt(aiClientConfigs.maxCostPerDayOverride, aiPlatformConfigs.maxCostPerDay),
          gt(aiClientConfigs.rateLimitPerMinuteOverride, aiPlatformConfigs.rateLimitPerMinute),
        ),
      ),
    );
}
