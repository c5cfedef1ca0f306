import {
  AppError,
  type AuditAction,
  aiClientConfigs,
  aiConfigAudit,
  aiPlatformConfigs,
  clampOnPlatformChange,
  type FeatureType,
  organizations,
  type PlatformConfigRow,
  tierViolation,
} from "@wedsync/core";
import { and, eq, inArray, sql } from "drizzle-orm";
import type { Database, Executor, Transaction } from "../infra/database";
import { definedOnly } from "../lib/objects";
import { type Actor, type AuditEntry, listAudit, writeAudit } from "./audit-log";
import type { ConfigCache } from "./config-cache";
import {
  clientConfigView,
  clientOverrideOf,
  platformConfigView,
  platformLimitsOf,
  platformSnapshot,
} from "./config-views";

export interface PlatformConfigPatch {
  isEnabled?: boolean | undefined;
  maxRequestsPerDay?: number | undefined;
  maxCostPerDay?: string | undefined;
  priorityLevel?: number | undefined;
  rateLimitPerMinute?: number | undefined;
  model?: string | undefined;
}

export class PlatformConfigService {
  constructor(
    private readonly db: Database,
    private readonly configs: ConfigCache,
    /** Why a model cannot serve requests (e.g. it has no price), or null. */
    private readonly modelProblem: (model: string, at: Date) => Promise<string | null>,
  ) {}

  /** Every feature's platform config for one organization, with what its tier allows. */
  async getPlatformConfig(organizationId: string) {
    const org = await this.organization(this.db, organizationId);
    const rows = await this.db
      .select()
      .from(aiPlatformConfigs)
      .where(eq(aiPlatformConfigs.organizationId, organizationId))
      .orderBy(aiPlatformConfigs.featureType);
    return {
      organization: { id: org.id, name: org.name, tier: org.subscriptionTier, timezone: org.timezone },
      features: rows.map((r) => platformConfigView(r, org.subscriptionTier)),
    };
  }

  /** Change one feature's platform config, based on `expectedVersion`; cascades to client overrides. */
  async updatePlatformConfig(input: {
    organizationId: string;
    actor: Actor;
    featureType: FeatureType;
    expectedVersion: number;
    patch: PlatformConfigPatch;
  }) {
    // Checked before the transaction: the price lookup may read the database, and PGlite has one connection.
    if (input.patch.model !== undefined) await this.assertModelUsable(input.patch.model, "patch.model");
    const result = await this.db.transaction((tx) => this.applyPatch(tx, { ...input, action: "update" }));
    this.configs.invalidateOrganization(input.organizationId);
    return result;
  }

  /** Restore the state recorded by one audit entry (the config as it was after that change), as a new change. */
  async rollbackPlatformConfig(input: {
    organizationId: string;
    actor: Actor;
    auditId: number;
    expectedVersion: number;
  }) {
    // The model being restored must still be usable; checked before the transaction (see update).
    const [restoring] = await this.db
      .select({ after: aiConfigAudit.after })
      .from(aiConfigAudit)
      .where(
        and(eq(aiConfigAudit.id, input.auditId), eq(aiConfigAudit.organizationId, input.organizationId)),
      );
    const model = (restoring?.after as { model?: unknown } | undefined)?.model;
    if (typeof model === "string") await this.assertModelUsable(model, "auditId");
    const result = await this.db.transaction(async (tx) => {
      const [entry] = await tx
        .select()
        .from(aiConfigAudit)
        .where(
          and(
            eq(aiConfigAudit.id, input.auditId),
            eq(aiConfigAudit.organizationId, input.organizationId),
            eq(aiConfigAudit.entityKind, "platform_config"),
          ),
        );
      if (!entry) throw new AppError("NOT_FOUND", "Audit entry not found");
      const s = entry.after as ReturnType<typeof platformSnapshot>;
      return this.applyPatch(tx, {
        organizationId: input.organizationId,
        actor: input.actor,
        featureType: s.featureType,
        expectedVersion: input.expectedVersion,
        patch: {
          isEnabled: s.isEnabled,
          maxRequestsPerDay: s.maxRequestsPerDay,
          maxCostPerDay: s.maxCostPerDay,
          priorityLevel: s.priorityLevel,
          rateLimitPerMinute: s.rateLimitPerMinute,
          model: s.model,
        },
        action: "rollback",
      });
    });
    this.configs.invalidateOrganization(input.organizationId);
    return result;
  }

  /**
   * Enable or disable several features for several organizations in one transaction: every
   * change applies, or (on any violation) none does.
   */
  async toggleFeatures(input: {
    organizationIds: string[];
    actor: Actor;
    toggles: Array<{ featureType: FeatureType; isEnabled: boolean }>;
  }) {
    const result = await this.db.transaction(async (tx) => {
      const orgs = await tx
        .select({ id: organizations.id, tier: organizations.subscriptionTier })
        .from(organizations)
        .where(inArray(organizations.id, input.organizationIds));
      if (orgs.length !== new Set(input.organizationIds).size) {
        throw new AppError("NOT_FOUND", "One or more organizations not found");
      }
      const violations = orgs.flatMap((org) =>
        input.toggles
          .filter((t) => t.isEnabled)
          .map((t) => ({ org, message: tierViolation(org.tier, t.featureType) }))
          .filter((v) => v.message !== null),
      );
      if (violations.length > 0) {
        throw new AppError(
          "FORBIDDEN",
          violations.map((v) => `${v.message} [organization ${v.org.id}]`).join("; "),
          {
            details: {
              violations: violations.map((v) => ({ organizationId: v.org.id, message: v.message })),
            },
          },
        );
      }

      const changed: ReturnType<typeof platformConfigView>[] = [];
      let cascaded = 0;
      for (const org of orgs) {
        for (const t of input.toggles) {
          const [row] = await tx
            .update(aiPlatformConfigs)
            .set({
              isEnabled: t.isEnabled,
              version: sql`${aiPlatformConfigs.version} + 1`,
              updatedAt: new Date(),
            })
            .where(
              and(
                eq(aiPlatformConfigs.organizationId, org.id),
                eq(aiPlatformConfigs.featureType, t.featureType),
                sql`${aiPlatformConfigs.isEnabled} is distinct from ${t.isEnabled}`,
              ),
            )
            .returning();
          if (!row) continue; // already in the requested state: no version bump, no audit noise
          await writeAudit(tx, input.actor, [
            {
              entityKind: "platform_config",
              entityId: row.id,
              organizationId: org.id,
              action: "toggle",
              before: { ...platformSnapshot(row), isEnabled: !t.isEnabled },
              after: platformSnapshot(row),
              version: row.version,
            },
          ]);
          cascaded += await this.cascade(tx, row, input.actor);
          changed.push(platformConfigView(row, org.tier));
        }
      }
      return { changed, cascadedClientConfigs: cascaded };
    });
    for (const id of input.organizationIds) this.configs.invalidateOrganization(id);
    return result;
  }

  /**
   * One feature's change in several organizations (platform staff), in one transaction: all of
   * them change or none does. The organizations are resolved inside the transaction (a filter
   * sees them as they are when the change applies) and their rows locked; each must be at the
   * version its caller read (`expectedVersions`, which must name exactly the organizations
   * resolved), or `"current"` applies to whatever is stored. Stale rows fail the whole change
   * with CONFLICT and each one as it is now. Each organization then changes exactly as
   * updatePlatformConfig changes one: tier check, no-op skipped, audited with its change event,
   * client overrides clamped.
   */
  async updateAcrossOrganizations(input: {
    actor: Actor;
    featureType: FeatureType;
    patch: PlatformConfigPatch;
    organizations: (tx: Transaction) => Promise<string[]>;
    expectedVersions: ReadonlyMap<string, number> | "current";
  }) {
    if (input.patch.model !== undefined) await this.assertModelUsable(input.patch.model, "patch.model");
    const { results, ids } = await this.db.transaction(async (tx) => {
      const ids = [...new Set(await input.organizations(tx))];
      // Locked in one order, so two changes over overlapping organizations cannot deadlock.
      const rows = await tx
        .select()
        .from(aiPlatformConfigs)
        .where(
          and(
            inArray(aiPlatformConfigs.organizationId, ids),
            eq(aiPlatformConfigs.featureType, input.featureType),
          ),
        )
        .orderBy(aiPlatformConfigs.organizationId)
        .for("update");
      const orgs = await tx
        .select({ id: organizations.id, name: organizations.name, tier: organizations.subscriptionTier })
        .from(organizations)
        .where(inArray(organizations.id, ids));
      if (rows.length !== ids.length || orgs.length !== ids.length) {
        const found = new Set(rows.map((r) => r.organizationId));
        throw new AppError("NOT_FOUND", "One or more organizations not found", {
          details: { organizationIds: ids.filter((id) => !found.has(id)) },
        });
      }
      const orgOf = new Map(orgs.map((o) => [o.id, o]));
      if (input.expectedVersions !== "current") checkVersions(rows, input.expectedVersions, orgOf);

      const violations =
        input.patch.isEnabled === true
          ? rows
              .filter((r) => !r.isEnabled)
              .map((r) => ({
                organizationId: r.organizationId,
                message: tierViolation(orgOf.get(r.organizationId)!.tier, input.featureType),
              }))
              .filter((v) => v.message !== null)
          : [];
      if (violations.length > 0) {
        throw new AppError(
          "FORBIDDEN",
          violations
            .map((v) => `${v.message} [${orgOf.get(v.organizationId)!.name}, ${v.organizationId}]`)
            .join("; "),
          { details: { violations } },
        );
      }

      const onlyToggle = Object.keys(definedOnly(input.patch)).every((k) => k === "isEnabled");
      const results = [];
      for (const row of rows) {
        const { config, cascadedClientConfigs } = await this.applyPatch(tx, {
          organizationId: row.organizationId,
          actor: input.actor,
          featureType: input.featureType,
          expectedVersion: row.version,
          patch: input.patch,
          action: onlyToggle ? "toggle" : "update",
        });
        results.push({ config, changed: config.version !== row.version, cascadedClientConfigs });
      }
      return { results, ids };
    });
    for (const id of ids) this.configs.invalidateOrganization(id);
    return results;
  }

  async listAudit(input: {
    organizationId: string;
    entityId?: string | undefined;
    cursor?: number | undefined;
    limit: number;
  }) {
    return listAudit(this.db, {
      organizationId: input.organizationId,
      entityId: input.entityId,
      before: input.cursor,
      limit: input.limit,
    });
  }

  private async applyPatch(
    tx: Transaction,
    input: {
      organizationId: string;
      actor: Actor;
      featureType: FeatureType;
      expectedVersion: number;
      patch: PlatformConfigPatch;
      action: AuditAction;
    },
  ) {
    const org = await this.organization(tx, input.organizationId);
    const current = await this.currentRow(tx, input.organizationId, input.featureType);
    if (current.version !== input.expectedVersion) throw conflict(current, org.subscriptionTier);

    if (input.patch.isEnabled === true && !current.isEnabled) {
      const violation = tierViolation(org.subscriptionTier, input.featureType);
      if (violation) throw new AppError("FORBIDDEN", violation, { details: { field: "isEnabled" } });
    }

    const changes = definedOnly(input.patch);
    // Saving what is already stored is not a change: no new version, no audit entry.
    if (Object.entries(changes).every(([field, value]) => current[field as keyof typeof current] === value)) {
      return { config: platformConfigView(current, org.subscriptionTier), cascadedClientConfigs: 0 };
    }

    const [updated] = await tx
      .update(aiPlatformConfigs)
      .set({ ...changes, version: current.version + 1, updatedAt: new Date() })
      .where(and(eq(aiPlatformConfigs.id, current.id), eq(aiPlatformConfigs.version, input.expectedVersion)))
      .returning();
    // Another transaction committed first: report the row as it is now.
    if (!updated)
      throw conflict(
        await this.currentRow(tx, input.organizationId, input.featureType),
        org.subscriptionTier,
      );

    await writeAudit(tx, input.actor, [
      {
        entityKind: "platform_config",
        entityId: updated.id,
        organizationId: input.organizationId,
        action: input.action,
        before: platformSnapshot(current),
        after: platformSnapshot(updated),
        version: updated.version,
      },
    ]);
    const cascadedClientConfigs = await this.cascade(tx, updated, input.actor);
    return { config: platformConfigView(updated, org.subscriptionTier), cascadedClientConfigs };
  }

  /** Clamp every client override the new platform config no longer allows; audited per client. */
  private async cascade(tx: Transaction, platform: PlatformConfigRow, actor: Actor): Promise<number> {
    const rows = await tx
      .select()
      .from(aiClientConfigs)
      .where(eq(aiClientConfigs.platformConfigId, platform.id));
    const clamped = clampOnPlatformChange(
      platformLimitsOf(platform),
      rows.map((row) => ({ ...clientOverrideOf(row), row })),
    );
    const audit: AuditEntry[] = [];
    for (const { before, after } of clamped) {
      const [row] = await tx
        .update(aiClientConfigs)
        .set({
          isEnabledOverride: after.isEnabled,
          maxRequestsPerDayOverride: after.maxRequestsPerDay,
          maxCostPerDayOverride: after.maxCostPerDay,
          rateLimitPerMinuteOverride: after.rateLimitPerMinute,
          version: sql`${aiClientConfigs.version} + 1`,
          updatedAt: new Date(),
        })
        .where(eq(aiClientConfigs.id, before.row.id))
        .returning();
      if (!row) continue;
      const {
        id: _i,
        platformConfigId: _p,
        version: _v,
        updatedAt: _u,
        ...was
      } = clientConfigView(before.row);
      const { id: _i2, platformConfigId: _p2, version: _v2, updatedAt: _u2, ...now } = clientConfigView(row);
      audit.push({
        entityKind: "client_config",
        entityId: row.id,
        organizationId: platform.organizationId,
        clientId: row.clientId,
        action: "cascade_clamp",
        before: { featureType: platform.featureType, ...was },
        after: { featureType: platform.featureType, ...now },
        version: row.version,
      });
    }
    await writeAudit(tx, actor, audit);
    return audit.length;
  }

  private async assertModelUsable(model: string, field: string) {
    const problem = await this.modelProblem(model, new Date());
    if (problem)
      throw new AppError("BAD_REQUEST", `${field}: ${problem}`, {
        fieldErrors: [{ field, message: problem }],
      });
  }

  private async organization(db: Executor, organizationId: string) {
    const [org] = await db.select().from(organizations).where(eq(organizations.id, organizationId));
    if (!org) throw new AppError("NOT_FOUND", "Organization not found");
    return org;
  }

  private async currentRow(db: Executor, organizationId: string, featureType: FeatureType) {
    const [row] = await db
      .select()
      .from(aiPlatformConfigs)
      .where(
        and(
          eq(aiPlatformConfigs.organizationId, organizationId),
          eq(aiPlatformConfigs.featureType, featureType),
        ),
      );
    if (!row) throw new AppError("NOT_FOUND", `No platform config for ${featureType}`);
    return row;
  }
}

/**
 * A change across organizations applies only to what its caller saw: the same organizations (a
 * filter may match others by now) at the versions read. Otherwise CONFLICT, with each stale row
 * as it is now and the organizations that joined or left the selection.
 */
function checkVersions(
  rows: PlatformConfigRow[],
  expected: ReadonlyMap<string, number>,
  orgOf: Map<string, { name: string; tier: Parameters<typeof platformConfigView>[1] }>,
) {
  const selected = new Set(rows.map((r) => r.organizationId));
  const added = rows.filter((r) => !expected.has(r.organizationId)).map((r) => r.organizationId);
  const removed = [...expected.keys()].filter((id) => !selected.has(id));
  const stale = rows
    .filter((r) => expected.has(r.organizationId) && expected.get(r.organizationId) !== r.version)
    .map((r) => ({
      organizationId: r.organizationId,
      organizationName: orgOf.get(r.organizationId)!.name,
      expectedVersion: expected.get(r.organizationId)!,
      current: platformConfigView(r, orgOf.get(r.organizationId)!.tier),
    }));
  if (added.length === 0 && removed.length === 0 && stale.length === 0) return;
  const parts = [
    stale.length > 0 &&
      `changed by someone else since you read them: ${stale.map((s) => s.organizationName).join(", ")}`,
    added.length > 0 && `${added.length} organizations now match the selection that were not in your preview`,
    removed.length > 0 && `${removed.length} organizations of your preview no longer match the selection`,
  ].filter(Boolean);
  throw new AppError(
    "CONFLICT",
    `Nothing was changed: ${parts.join("; ")}. Review the preview and try again`,
    {
      details: { stale, added, removed },
    },
  );
}

function conflict(current: PlatformConfigRow, tier: Parameters<typeof platformConfigView>[1]) {
  return new AppError(
    "CONFLICT",
    `This configuration was changed by someone else (now at version ${current.version}); review it and try again`,
    { details: { current: platformConfigView(current, tier) } },
  );
}
