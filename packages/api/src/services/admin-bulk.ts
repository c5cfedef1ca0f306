import {
  AppError,
  aiClientConfigs,
  aiPlatformConfigs,
  type BulkChangePatch,
  clampedByChange,
  clients,
  type FeatureType,
  MAX_BULK_ORGANIZATIONS,
  organizations,
  planPlatformChange,
  tierViolation,
} from "@wedsync/core";
import { and, asc, eq, inArray, sql } from "drizzle-orm";
import type { Database, Executor } from "../infra/database";
import { type OrganizationFilter, organizationFilter } from "./admin-organizations";
import type { Actor } from "./audit-log";
import { clientOverrideOf, platformLimitsOf } from "./config-views";
import type { PlatformConfigService } from "./platform-config-service";

/** Which organizations a change across organizations is for: named, or all matching a filter. */
export type OrganizationSelection = { organizationIds: string[] } | { filter: OrganizationFilter };

export interface BulkChange {
  selection: OrganizationSelection;
  featureType: FeatureType;
  patch: BulkChangePatch;
}

/**
 * The organizations a selection names, in name order. A filter is resolved by the caller's
 * executor (inside the change's transaction when applying) and may match at most
 * MAX_BULK_ORGANIZATIONS: more is refused, naming the filter, rather than cut short.
 */
async function resolveSelection(db: Executor, selection: OrganizationSelection): Promise<string[]> {
  if ("organizationIds" in selection) return [...new Set(selection.organizationIds)];
  const rows = await db
    .select({ id: organizations.id })
    .from(organizations)
    .where(organizationFilter(selection.filter))
    .orderBy(asc(sql`lower(${organizations.name})`), asc(organizations.id))
    .limit(MAX_BULK_ORGANIZATIONS + 1);
  if (rows.length > MAX_BULK_ORGANIZATIONS) {
    const message = `matches more than ${MAX_BULK_ORGANIZATIONS} organizations; narrow it (by tier or a search) and change them in parts`;
    throw new AppError("BAD_REQUEST", `selection.filter: ${message}`, {
      fieldErrors: [{ field: "selection.filter", message }],
    });
  }
  if (rows.length === 0) {
    const message = "matches no organization";
    throw new AppError("BAD_REQUEST", `selection.filter: ${message}`, {
      fieldErrors: [{ field: "selection.filter", message }],
    });
  }
  return rows.map((r) => r.id);
}

/**
 * Changes of one feature across organizations (platform staff): a preview for the confirmation
 * dialog, then the change itself (PlatformConfigService.updateAcrossOrganizations). Both plan
 * each organization with core's planPlatformChange and clampedByChange, so the preview lists
 * exactly what the change then does.
 */
export class AdminBulkService {
  constructor(
    private readonly db: Database,
    private readonly platformConfig: PlatformConfigService,
    /** Why a model cannot serve requests (e.g. it has no price), or null. */
    private readonly modelProblem: (model: string, at: Date) => Promise<string | null>,
  ) {}

  /**
   * Per organization (name order): its version (send them back to apply), every value that would
   * change (from → to), the clients whose overrides would be clamped and how, and what would
   * refuse the change there (the feature is above its tier). Nothing is written.
   */
  async preview(change: BulkChange, now = new Date()) {
    await this.checkModel(change.patch, now);
    const ids = await resolveSelection(this.db, change.selection);
    const rows = await this.db
      .select({
        config: aiPlatformConfigs,
        name: organizations.name,
        slug: organizations.slug,
        tier: organizations.subscriptionTier,
      })
      .from(aiPlatformConfigs)
      .innerJoin(organizations, eq(organizations.id, aiPlatformConfigs.organizationId))
      .where(
        and(
          inArray(aiPlatformConfigs.organizationId, ids),
          eq(aiPlatformConfigs.featureType, change.featureType),
        ),
      )
      .orderBy(asc(sql`lower(${organizations.name})`), asc(organizations.id));
    if (rows.length !== ids.length) {
      const found = new Set(rows.map((r) => r.config.organizationId));
      throw new AppError("NOT_FOUND", "One or more organizations not found", {
        details: { organizationIds: ids.filter((id) => !found.has(id)) },
      });
    }
    const overrides = await this.db
      .select({ override: aiClientConfigs, clientName: clients.coupleNames })
      .from(aiClientConfigs)
      .innerJoin(clients, eq(clients.id, aiClientConfigs.clientId))
      .where(
        inArray(
          aiClientConfigs.platformConfigId,
          rows.map((r) => r.config.id),
        ),
      )
      .orderBy(asc(clients.coupleNames), asc(clients.id));

    const plans = rows.map(({ config, name, slug, tier }) => {
      const current = platformLimitsOf(config);
      const mine = overrides
        .filter((o) => o.override.platformConfigId === config.id)
        .map((o) => ({ ...clientOverrideOf(o.override), clientId: o.override.clientId, name: o.clientName }));
      const enabling = change.patch.isEnabled === true && !config.isEnabled;
      return {
        organizationId: config.organizationId,
        name,
        slug,
        tier,
        version: config.version,
        changes: planPlatformChange(current, change.patch).changes,
        clampedClients: clampedByChange(current, change.patch, mine).map((c) => ({
          clientId: c.override.clientId,
          clientName: c.override.name,
          changes: c.changes,
        })),
        /** Why the change would be refused for this organization (then it is refused for all). */
        problem: enabling ? tierViolation(tier, change.featureType) : null,
      };
    });
    return {
      featureType: change.featureType,
      organizations: plans,
      /** Send these back to apply the change to exactly what this preview shows. */
      expectedVersions: plans.map((p) => ({ organizationId: p.organizationId, version: p.version })),
      totals: {
        organizations: plans.length,
        changing: plans.filter((p) => p.changes.length > 0).length,
        clampedClients: plans.reduce((n, p) => n + p.clampedClients.length, 0),
        problems: plans.filter((p) => p.problem !== null).length,
      },
    };
  }

  /**
   * Apply the change everywhere or nowhere: at the versions a preview returned, or (explicitly)
   * to whatever is current. The filter is resolved again inside the transaction.
   */
  async apply(
    change: BulkChange & {
      actor: Actor;
      expectedVersions: Array<{ organizationId: string; version: number }> | "current";
    },
  ) {
    const expected =
      change.expectedVersions === "current"
        ? ("current" as const)
        : new Map(change.expectedVersions.map((v) => [v.organizationId, v.version]));
    const results = await this.platformConfig.updateAcrossOrganizations({
      actor: change.actor,
      featureType: change.featureType,
      patch: change.patch,
      organizations: (tx) => resolveSelection(tx, change.selection),
      expectedVersions: expected,
    });
    return {
      featureType: change.featureType,
      organizations: results.map((r) => ({
        organizationId: r.config.organizationId,
        changed: r.changed,
        config: r.config,
        cascadedClientConfigs: r.cascadedClientConfigs,
      })),
      totals: {
        organizations: results.length,
        changed: results.filter((r) => r.changed).length,
        cascadedClientConfigs: results.reduce((n, r) => n + r.cascadedClientConfigs, 0),
      },
    };
  }

  /** The model is checked before anything is read, as updatePlatformConfig does. */
  private async checkModel(patch: BulkChangePatch, now: Date) {
    if (patch.model === undefined) return;
    const problem = await this.modelProblem(patch.model, now);
    if (problem)
      throw new AppError("BAD_REQUEST", `patch.model: ${problem}`, {
        fieldErrors: [{ field: "patch.model", message: problem }],
      });
  }
}
