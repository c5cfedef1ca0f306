import {
  AppError,
  aiClientConfigs,
  aiPlatformConfigs,
  type ClientOverride,
  type ClientStatus,
  type CustomPrompts,
  clients,
  type FeatureSettings,
  type FeatureType,
  type OverridableField,
  organizations,
  type ProcessingPreferences,
  resolveEffectiveConfig,
  validateClientOverride,
} from "@wedsync/core";
import { and, asc, eq, gt, ilike, inArray } from "drizzle-orm";
import type { Database, Executor } from "../infra/database";
import { definedOnly } from "../lib/objects";
import { type Actor, writeAudit } from "./audit-log";
import type { ConfigCache } from "./config-cache";
import {
  clientConfigView,
  clientOverrideOf,
  clientSnapshot,
  platformConfigView,
  platformLimitsOf,
} from "./config-views";

export interface ClientConfigUpdate {
  clientId: string;
  featureType: FeatureType;
  /** The version the change was based on; 0 when the client has no override for this feature yet. */
  expectedVersion: number;
  /** undefined keeps the stored value, null clears it (inherit the platform's). */
  overrides?: Partial<Record<OverridableField, boolean | number | string | null>> | undefined;
  featureSettings?: FeatureSettings | undefined;
  customPrompts?: CustomPrompts | undefined;
  processingPreferences?: ProcessingPreferences | undefined;
}

export class ClientConfigService {
  constructor(
    private readonly db: Database,
    private readonly configs: ConfigCache,
  ) {}

  async listClients(input: {
    organizationId: string;
    search?: string | undefined;
    status?: ClientStatus | undefined;
    cursor?: string | undefined;
    limit: number;
  }) {
    const rows = await this.db
      .select()
      .from(clients)
      .where(
        and(
          eq(clients.organizationId, input.organizationId),
          input.status ? eq(clients.status, input.status) : undefined,
          input.search ? ilike(clients.coupleNames, `%${escapeLike(input.search)}%`) : undefined,
          input.cursor ? gt(clients.id, input.cursor) : undefined,
        ),
      )
      .orderBy(asc(clients.id))
      .limit(input.limit + 1);
    const page = rows.slice(0, input.limit);
    return { clients: page, nextCursor: rows.length > input.limit ? (page.at(-1)?.id ?? null) : null };
  }

  /** For each feature: the platform config, the client's raw overrides, the effective result and what is inherited. */
  async getClientConfig(organizationId: string, clientId: string) {
    const client = await this.client(this.db, organizationId, clientId);
    const [org] = await this.db.select().from(organizations).where(eq(organizations.id, organizationId));
    const platformRows = await this.db
      .select()
      .from(aiPlatformConfigs)
      .where(eq(aiPlatformConfigs.organizationId, organizationId))
      .orderBy(aiPlatformConfigs.featureType);
    const overrideRows = platformRows.length
      ? await this.db
          .select()
          .from(aiClientConfigs)
          .where(
            and(
              eq(aiClientConfigs.clientId, clientId),
              inArray(
                aiClientConfigs.platformConfigId,
                platformRows.map((p) => p.id),
              ),
            ),
          )
      : [];
    return {
      client,
      features: platformRows.map((platform) => {
        const own = overrideRows.find((o) => o.platformConfigId === platform.id) ?? null;
        const effective = resolveEffectiveConfig(
          platformLimitsOf(platform),
          own ? clientOverrideOf(own) : null,
        );
        return {
          featureType: platform.featureType,
          platform: platformConfigView(platform, org!.subscriptionTier),
          override: own ? clientConfigView(own) : null,
          /** The version to send with the next update (0: no override stored yet). */
          version: own?.version ?? 0,
          effective,
          inherited: effective.inherited,
        };
      }),
    };
  }

  async updateClientConfig(input: ClientConfigUpdate & { organizationId: string; actor: Actor }) {
    const result = await this.db.transaction(async (tx) => {
      await this.client(tx, input.organizationId, input.clientId);
      // FOR SHARE: a platform change waits for this override to commit (and then clamps it), or
      // this validation waits for the platform change and checks against its new limits.
      const [platform] = await tx
        .select()
        .from(aiPlatformConfigs)
        .where(
          and(
            eq(aiPlatformConfigs.organizationId, input.organizationId),
            eq(aiPlatformConfigs.featureType, input.featureType),
          ),
        )
        .for("share");
      if (!platform) throw new AppError("NOT_FOUND", `No platform config for ${input.featureType}`);

      const [existing] = await tx
        .select()
        .from(aiClientConfigs)
        .where(
          and(
            eq(aiClientConfigs.platformConfigId, platform.id),
            eq(aiClientConfigs.clientId, input.clientId),
          ),
        );
      const currentVersion = existing?.version ?? 0;
      if (currentVersion !== input.expectedVersion) {
        throw this.conflict(existing ?? null, currentVersion);
      }

      const base: ClientOverride = existing
        ? clientOverrideOf(existing)
        : { isEnabled: null, maxRequestsPerDay: null, maxCostPerDay: null, rateLimitPerMinute: null };
      const next = { ...base, ...definedOnly(input.overrides ?? {}) } as ClientOverride;
      const violations = validateClientOverride(platformLimitsOf(platform), next);
      if (violations.length > 0) {
        throw new AppError(
          "BAD_REQUEST",
          violations.map((v) => `overrides.${v.field}: ${v.message}`).join("; "),
          {
            fieldErrors: violations.map((v) => ({ field: `overrides.${v.field}`, message: v.message })),
          },
        );
      }

      if (existing && sameConfig(existing, next, input)) {
        // Saving what is already stored is not a change: no new version, no audit entry.
        return {
          override: clientConfigView(existing),
          effective: resolveEffectiveConfig(platformLimitsOf(platform), next),
        };
      }

      const values = {
        isEnabledOverride: next.isEnabled,
        maxRequestsPerDayOverride: next.maxRequestsPerDay,
        maxCostPerDayOverride: next.maxCostPerDay,
        rateLimitPerMinuteOverride: next.rateLimitPerMinute,
        ...(input.featureSettings !== undefined && { featureSettings: input.featureSettings }),
        ...(input.customPrompts !== undefined && { customPrompts: input.customPrompts }),
        ...(input.processingPreferences !== undefined && {
          processingPreferences: input.processingPreferences,
        }),
        version: currentVersion + 1,
        updatedAt: new Date(),
      };
      const [row] = existing
        ? await tx
            .update(aiClientConfigs)
            .set(values)
            .where(and(eq(aiClientConfigs.id, existing.id), eq(aiClientConfigs.version, currentVersion)))
            .returning()
        : await tx
            .insert(aiClientConfigs)
            .values({ ...values, platformConfigId: platform.id, clientId: input.clientId })
            .onConflictDoNothing()
            .returning();
      if (!row) {
        const [now] = await tx
          .select()
          .from(aiClientConfigs)
          .where(
            and(
              eq(aiClientConfigs.platformConfigId, platform.id),
              eq(aiClientConfigs.clientId, input.clientId),
            ),
          );
        throw this.conflict(now ?? null, now?.version ?? 0);
      }

      await writeAudit(tx, input.actor, [
        {
          entityKind: "client_config",
          entityId: row.id,
          organizationId: input.organizationId,
          clientId: input.clientId,
          action: existing ? "update" : "create",
          before: existing ? { featureType: input.featureType, ...clientSnapshot(existing) } : null,
          after: { featureType: input.featureType, ...clientSnapshot(row) },
          version: row.version,
        },
      ]);
      return {
        override: clientConfigView(row),
        effective: resolveEffectiveConfig(platformLimitsOf(platform), clientOverrideOf(row)),
      };
    });
    this.configs.invalidateOrganization(input.organizationId);
    return result;
  }

  private async client(db: Executor, organizationId: string, clientId: string) {
    const [client] = await db
      .select()
      .from(clients)
      .where(and(eq(clients.id, clientId), eq(clients.organizationId, organizationId)));
    // Another organization's client is reported exactly like a missing one.
    if (!client) throw new AppError("NOT_FOUND", "Client not found");
    return client;
  }

  private conflict(current: typeof aiClientConfigs.$inferSelect | null, version: number) {
    return new AppError(
      "CONFLICT",
      `This client's configuration was changed by someone else (now at version ${version}); review it and try again`,
      { details: { current: current ? clientConfigView(current) : null, currentVersion: version } },
    );
  }
}

function sameConfig(
  row: typeof aiClientConfigs.$inferSelect,
  next: ClientOverride,
  input: Pick<ClientConfigUpdate, "featureSettings" | "customPrompts" | "processingPreferences">,
): boolean {
  const same = (a: unknown, b: unknown) => b === undefined || JSON.stringify(a) === JSON.stringify(b);
  return (
    same(clientOverrideOf(row), next) &&
    same(row.featureSettings, input.featureSettings) &&
    same(row.customPrompts, input.customPrompts) &&
    same(row.processingPreferences, input.processingPreferences)
  );
}

function escapeLike(s: string): string {
  return s.replace(/[\\%_]/g, (c) => `\\${c}`);
}
