import {
  AppError,
  aiClientConfigs,
  aiPlatformConfigs,
  type ClientConfigRow,
  clients,
  type EffectiveConfig,
  type FeatureType,
  type Organization,
  organizations,
  type PlatformConfigRow,
  resolveEffectiveConfig,
} from "@wedsync/core";
import { and, eq, sql } from "drizzle-orm";
import type { Database } from "../infra/database";
import { clientOverrideOf, platformLimitsOf } from "./config-views";

export interface RequestConfig {
  organization: Organization;
  platform: PlatformConfigRow;
  clientOverride: ClientConfigRow | null;
  effective: EffectiveConfig;
}

/**
 * Everything admission needs to know about one request's configuration, in one query: the
 * organization (tier, timezone, credit limit), the feature's platform config and the client's
 * override, resolved by the inheritance rule.
 */
export async function loadRequestConfig(
  db: Database,
  organizationId: string,
  featureType: FeatureType,
  clientId: string | null,
): Promise<RequestConfig> {
  const [row] = await db
    .select({
      organization: organizations,
      platform: aiPlatformConfigs,
      client: clients,
      override: aiClientConfigs,
    })
    .from(organizations)
    .innerJoin(
      aiPlatformConfigs,
      and(
        eq(aiPlatformConfigs.organizationId, organizations.id),
        eq(aiPlatformConfigs.featureType, featureType),
      ),
    )
    .leftJoin(
      clients,
      clientId ? and(eq(clients.id, clientId), eq(clients.organizationId, organizations.id)) : sql`false`,
    )
    .leftJoin(
      aiClientConfigs,
      and(
        eq(aiClientConfigs.platformConfigId, aiPlatformConfigs.id),
        eq(aiClientConfigs.clientId, clients.id),
      ),
    )
    .where(eq(organizations.id, organizationId))
    .limit(1);
  if (!row) throw new AppError("NOT_FOUND", "Organization not found");
  // Another organization's client is reported exactly like a missing one.
  if (clientId && !row.client) throw new AppError("NOT_FOUND", "Client not found");
  return {
    organization: row.organization,
    platform: row.platform,
    clientOverride: row.override,
    effective: resolveEffectiveConfig(
      platformLimitsOf(row.platform),
      row.override ? clientOverrideOf(row.override) : null,
    ),
  };
}
