import {
  AppError,
  aiClientConfigs,
  aiPlatformConfigs,
  aiUsageClientMonthlyRollups,
  type ClientOverride,
  type ClientStatus,
  type CustomPrompts,
  clients,
  dayInTimezone,
  type FeatureSettings,
  type FeatureType,
  fromMicros,
  monthToDate,
  type OverridableField,
  organizations,
  type ProcessingPreferences,
  resolveEffectiveConfig,
  type Violation,
  validateClientOverride,
} from "@wedsync/core";
import { and, asc, count, eq, gt, ilike, inArray } from "drizzle-orm";
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

  /**
   * One page of clients, with what the list screen shows beside each: its effective configuration
   * per feature (and the override and version behind it) and its usage this month in the
   * organization's timezone, in a fixed number of queries whatever the page size (no call per client).
   */
  async listClients(input: {
    organizationId: string;
    search?: string | undefined;
    status?: ClientStatus | undefined;
    cursor?: string | undefined;
    limit: number;
  }) {
    const [org] = await this.db
      .select({ timezone: organizations.timezone })
      .from(organizations)
      .where(eq(organizations.id, input.organizationId));
    if (!org) throw new AppError("NOT_FOUND", "Organization not found");
    const matching = and(
      eq(clients.organizationId, input.organizationId),
      input.status ? eq(clients.status, input.status) : undefined,
      input.search ? ilike(clients.coupleNames, `%${escapeLike(input.search)}%`) : undefined,
    );
    const [rows, [total], platformRows] = await Promise.all([
      this.db
        .select()
        .from(clients)
        .where(and(matching, input.cursor ? gt(clients.id, input.cursor) : undefined))
        .orderBy(asc(clients.id))
        .limit(input.limit + 1),
      this.db.select({ n: count() }).from(clients).where(matching),
      this.db
        .select()
        .from(aiPlatformConfigs)
        .where(eq(aiPlatformConfigs.organizationId, input.organizationId))
        .orderBy(aiPlatformConfigs.featureType),
    ]);
    const page = rows.slice(0, input.limit);
    const ids = page.map((c) => c.id);
    const month = monthToDate(dayInTimezone(new Date(), org.timezone));
    const [overrideRows, usageRows] = ids.length
      ? await Promise.all([
          platformRows.length
            ? this.db
                .select()
                .from(aiClientConfigs)
                .where(
                  and(
                    inArray(aiClientConfigs.clientId, ids),
                    inArray(
                      aiClientConfigs.platformConfigId,
                      platformRows.map((p) => p.id),
                    ),
                  ),
                )
            : [],
          // The month's rollup row is the month to date: it is written with every request.
          this.db
            .select({
              clientId: aiUsageClientMonthlyRollups.clientId,
              requests: aiUsageClientMonthlyRollups.requests,
              rejected: aiUsageClientMonthlyRollups.rejected,
              costMicros: aiUsageClientMonthlyRollups.costMicros,
            })
            .from(aiUsageClientMonthlyRollups)
            .where(
              and(
                eq(aiUsageClientMonthlyRollups.organizationId, input.organizationId),
                eq(aiUsageClientMonthlyRollups.month, month.from),
                inArray(aiUsageClientMonthlyRollups.clientId, ids),
              ),
            ),
        ])
      : [[], []];
    const overrides = new Map(overrideRows.map((o) => [`${o.clientId}:${o.platformConfigId}`, o]));
    const usage = new Map(usageRows.map((u) => [u.clientId, u]));
    return {
      clients: page.map((client) => {
        const used = usage.get(client.id);
        return {
          ...client,
          features: platformRows.map((platform) => {
            const own = overrides.get(`${client.id}:${platform.id}`) ?? null;
            const override = own ? clientOverrideOf(own) : null;
            return {
              featureType: platform.featureType,
              /** The version to send with the next update (0: no override stored yet). */
              version: own?.version ?? 0,
              override,
              effective: resolveEffectiveConfig(platformLimitsOf(platform), override),
            };
          }),
          /** Completed requests (the billed ones), refused requests and their cost, this month so far. */
          usageThisMonth: {
            requests: used?.requests ?? 0,
            rejected: used?.rejected ?? 0,
            costUsd: fromMicros(used?.costMicros ?? 0n, 6),
          },
        };
      }),
      nextCursor: rows.length > input.limit ? (page.at(-1)?.id ?? null) : null,
      /** How many clients match the search and status, on every page. */
      total: total?.n ?? 0,
      /** The days usageThisMonth covers, in the organization's timezone. */
      month,
    };
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
      const platform = await this.lockPlatform(tx, input.organizationId, input.featureType);
      const existing = (await this.overridesOf(tx, platform.id, [input.clientId])).get(input.clientId);
      const plan = planChange(platform, existing ?? null, input);
      if (plan.kind === "conflict") throw this.conflict(plan.current, plan.currentVersion);
      if (plan.kind === "invalid") throw invalidOverrides(plan.violations, "overrides");
      return this.applyChange(tx, input.organizationId, input.actor, plan, input, (now) =>
        this.conflict(now, now?.version ?? 0),
      );
    });
    this.configs.invalidateOrganization(input.organizationId);
    return result;
  }

  /**
   * Several clients' overrides of one feature in one transaction, all or nothing: each change is
   * checked, written and audited exactly as `updateClientConfig` does it. Results in input order.
   */
  async bulkUpdateClientConfigs(input: {
    organizationId: string;
    actor: Actor;
    featureType: FeatureType;
    changes: ReadonlyArray<Pick<ClientConfigUpdate, "clientId" | "expectedVersion" | "overrides">>;
  }) {
    const { organizationId, actor, featureType, changes } = input;
    const ids = changes.map((c) => c.clientId);
    const dup = ids.findIndex((id, i) => ids.indexOf(id) !== i);
    if (dup >= 0) {
      const message = "each client at most once per request";
      throw new AppError("BAD_REQUEST", `changes.${dup}.clientId: ${message}`, {
        fieldErrors: [{ field: `changes.${dup}.clientId`, message }],
      });
    }
    if (changes.length === 0) return [];

    const results = await this.db.transaction(async (tx) => {
      const found = await tx
        .select({ id: clients.id })
        .from(clients)
        .where(and(eq(clients.organizationId, organizationId), inArray(clients.id, ids)));
      const known = new Set(found.map((c) => c.id));
      const missing = ids.find((id) => !known.has(id));
      // An unknown client and another organization's get the same answer (naming the id sent).
      if (missing)
        throw new AppError("NOT_FOUND", `Client not found: ${missing}`, { details: { clientId: missing } });

      const platform = await this.lockPlatform(tx, organizationId, featureType);
      const existing = await this.overridesOf(tx, platform.id, ids);
      const plans = changes.map((change) =>
        planChange(platform, existing.get(change.clientId) ?? null, change),
      );

      const conflicts = plans.flatMap((plan, index) =>
        plan.kind === "conflict"
          ? [conflictEntry(index, changes[index]!.clientId, plan.current, plan.currentVersion)]
          : [],
      );
      if (conflicts.length > 0) throw bulkConflict(conflicts);
      const violations = plans.flatMap((plan, index) =>
        plan.kind === "invalid"
          ? invalidOverrides(plan.violations, `changes.${index}.overrides`).fieldErrors
          : [],
      );
      if (violations.length > 0) {
        throw new AppError("BAD_REQUEST", violations.map((v) => `${v.field}: ${v.message}`).join("; "), {
          fieldErrors: violations,
        });
      }

      // Written in clientId order, so two bulk updates over the same clients lock rows in one order.
      const order = changes
        .map((_, i) => i)
        .sort((a, b) => (ids[a]! < ids[b]! ? -1 : ids[a]! > ids[b]! ? 1 : 0));
      const out = new Array<Awaited<ReturnType<ClientConfigService["applyChange"]>>>(changes.length);
      for (const index of order) {
        const plan = plans[index]!;
        if (plan.kind !== "ok") throw new Error("unreachable: every plan was checked above");
        out[index] = await this.applyChange(
          tx,
          organizationId,
          actor,
          plan,
          { featureType, ...changes[index]! },
          (now) => bulkConflict([conflictEntry(index, ids[index]!, now, now?.version ?? 0)]),
        );
      }
      return out;
    });
    this.configs.invalidateOrganization(organizationId);
    return results;
  }

  /**
   * FOR SHARE: a platform change waits for these overrides to commit (and then clamps them), or
   * their validation waits for the platform change and checks against its new limits.
   */
  private async lockPlatform(tx: Executor, organizationId: string, featureType: FeatureType) {
    const [platform] = await tx
      .select()
      .from(aiPlatformConfigs)
      .where(
        and(
          eq(aiPlatformConfigs.organizationId, organizationId),
          eq(aiPlatformConfigs.featureType, featureType),
        ),
      )
      .for("share");
    if (!platform) throw new AppError("NOT_FOUND", `No platform config for ${featureType}`);
    return platform;
  }

  private async overridesOf(tx: Executor, platformConfigId: string, clientIds: readonly string[]) {
    const rows = await tx
      .select()
      .from(aiClientConfigs)
      .where(
        and(
          eq(aiClientConfigs.platformConfigId, platformConfigId),
          inArray(aiClientConfigs.clientId, [...clientIds]),
        ),
      );
    return new Map(rows.map((r) => [r.clientId, r]));
  }

  /** Writes one checked change and its audit entry (which publishes the change event), in `tx`. */
  private async applyChange(
    tx: Executor,
    organizationId: string,
    actor: Actor,
    plan: Extract<ChangePlan, { kind: "ok" }>,
    input: ClientConfigUpdate,
    lostRace: (now: ClientConfigRow | null) => AppError,
  ) {
    const { platform, existing, next, currentVersion } = plan;
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
      const now = (await this.overridesOf(tx, platform.id, [input.clientId])).get(input.clientId);
      throw lostRace(now ?? null);
    }

    await writeAudit(tx, actor, [
      {
        entityKind: "client_config",
        entityId: row.id,
        organizationId,
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

  private conflict(current: ClientConfigRow | null, version: number) {
    return new AppError(
      "CONFLICT",
      `This client's configuration was changed by someone else (now at version ${version}); review it and try again`,
      { details: { current: current ? clientConfigView(current) : null, currentVersion: version } },
    );
  }
}

type ClientConfigRow = typeof aiClientConfigs.$inferSelect;
type PlatformConfigRow = typeof aiPlatformConfigs.$inferSelect;

/** What one change would do, decided before anything is written. */
type ChangePlan =
  | { kind: "conflict"; current: ClientConfigRow | null; currentVersion: number }
  | { kind: "invalid"; violations: Violation[] }
  | {
      kind: "ok";
      platform: PlatformConfigRow;
      existing: ClientConfigRow | null;
      next: ClientOverride;
      currentVersion: number;
    };

/** The version check, then the merged overrides against the platform's limits (tighten, never loosen). */
function planChange(
  platform: PlatformConfigRow,
  existing: ClientConfigRow | null,
  input: Pick<ClientConfigUpdate, "expectedVersion" | "overrides">,
): ChangePlan {
  const currentVersion = existing?.version ?? 0;
  if (currentVersion !== input.expectedVersion)
    return { kind: "conflict", current: existing, currentVersion };
  const base: ClientOverride = existing
    ? clientOverrideOf(existing)
    : { isEnabled: null, maxRequestsPerDay: null, maxCostPerDay: null, rateLimitPerMinute: null };
  const next = { ...base, ...definedOnly(input.overrides ?? {}) } as ClientOverride;
  const violations = validateClientOverride(platformLimitsOf(platform), next);
  if (violations.length > 0) return { kind: "invalid", violations };
  return { kind: "ok", platform, existing, next, currentVersion };
}

function invalidOverrides(violations: readonly Violation[], prefix: string) {
  const fieldErrors = violations.map((v) => ({ field: `${prefix}.${v.field}`, message: v.message }));
  return new AppError("BAD_REQUEST", fieldErrors.map((f) => `${f.field}: ${f.message}`).join("; "), {
    fieldErrors,
  });
}

function conflictEntry(
  index: number,
  clientId: string,
  current: ClientConfigRow | null,
  currentVersion: number,
) {
  return { index, clientId, current: current ? clientConfigView(current) : null, currentVersion };
}

function bulkConflict(conflicts: ReturnType<typeof conflictEntry>[]) {
  const which = conflicts.map((c) => `${c.clientId} (now at version ${c.currentVersion})`).join(", ");
  return new AppError(
    "CONFLICT",
    `Changed by someone else: ${which}; nothing was saved, review them and try again`,
    { details: { conflicts } },
  );
}

function sameConfig(
  row: ClientConfigRow,
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
