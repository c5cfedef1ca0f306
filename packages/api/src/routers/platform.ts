import {
  dollarAmountSchema,
  FEATURE_TYPES,
  maxRequestsPerDaySchema,
  modelNameSchema,
  priorityLevelSchema,
  rateLimitPerMinuteSchema,
} from "@wedsync/core";
import { z } from "zod";
import { actorOf } from "../auth/principal";
import { DEFAULT_TOP_CLIENTS } from "../services/analytics-service";
import {
  bulkOrgAdminProcedure,
  lastEventIdInput,
  memberProcedure,
  orgAdminProcedure,
  router,
  trackedStream,
} from "../trpc";

const featureType = z.enum(FEATURE_TYPES);
const day = z.iso.date();
const version = z.number().int().min(1).max(2_147_483_647);

const platformConfigPatch = z
  .object({
    isEnabled: z.boolean().optional(),
    maxRequestsPerDay: maxRequestsPerDaySchema.optional(),
    maxCostPerDay: dollarAmountSchema.optional(),
    priorityLevel: priorityLevelSchema.optional(),
    rateLimitPerMinute: rateLimitPerMinuteSchema.optional(),
    model: modelNameSchema.optional(),
  })
  .strict()
  .refine((p) => Object.values(p).some((v) => v !== undefined), { message: "change at least one field" });

const toggleInput = z.object({
  toggles: z
    .array(z.object({ featureType, isEnabled: z.boolean() }))
    .min(1)
    .max(FEATURE_TYPES.length)
    .refine((ts) => new Set(ts.map((t) => t.featureType)).size === ts.length, {
      message: "each feature at most once",
    }),
});

export const platformRouter = router({
  /**
   * Usage for a period (days in the organization's timezone, both inclusive): totals, cost by
   * feature, client, model and day, the trend against last year and the season, and performance.
   * Read from the daily rollups, never the raw log.
   */
  usage: memberProcedure
    .input(
      z.object({
        from: day,
        to: day,
        /** How many clients to list by name, costliest first; the rest are summed (default 10). */
        topClients: z.number().int().min(0).max(100).default(DEFAULT_TOP_CLIENTS),
      }),
    )
    .query(({ ctx, input: { topClients, ...period } }) =>
      ctx.services.analytics.usage(ctx.scope.organizationId, period, topClients),
    ),

  /** Usage by client over a period, costliest first, a page at a time (cursor: from the previous page). */
  usageByClient: memberProcedure
    .input(
      z.object({
        from: day,
        to: day,
        limit: z.number().int().min(1).max(200).default(50),
        cursor: z.number().int().positive().optional(),
      }),
    )
    .query(({ ctx, input: { limit, cursor, ...period } }) =>
      ctx.services.analytics.usageByClient(ctx.scope.organizationId, period, { limit, cursor }),
    ),

  /**
   * Live configuration changes of the organization (platform and client level), as audit entries.
   * Reconnecting with lastEventId replays what was missed. Members of the organization; staff any.
   */
  onConfigChange: memberProcedure.input(lastEventIdInput).subscription(({ ctx, input, signal }) =>
    trackedStream(
      ctx.services.realtime.configChanges({
        organizationId: ctx.scope.organizationId,
        lastEventId: input.lastEventId,
        signal,
      }),
    ),
  ),

  /**
   * The models a platform configuration may name now: those with a price, so requests with them
   * can be billed (the same check that refuses an unpriced model on update), by name.
   */
  models: memberProcedure.query(async ({ ctx }) => ({
    models: await ctx.services.prices.pricedModels(new Date(), (model, at) =>
      ctx.services.ai.modelProblem(model, at),
    ),
  })),

  config: router({
    /** Every feature's platform config for the organization. */
    get: memberProcedure.query(({ ctx }) =>
      ctx.services.platformConfig.getPlatformConfig(ctx.scope.organizationId),
    ),

    /** Change one feature; send the version you read. Tightening clamps client overrides in the same transaction. */
    update: orgAdminProcedure
      .input(z.object({ featureType, expectedVersion: version, patch: platformConfigPatch }))
      .mutation(({ ctx, input }) =>
        ctx.services.platformConfig.updatePlatformConfig({
          organizationId: ctx.scope.organizationId,
          actor: actorOf(ctx.principal),
          ...input,
        }),
      ),

    /** Restore the state an audit entry recorded, as a new audited change. */
    rollback: orgAdminProcedure
      .input(
        z.object({
          auditId: z.number().int().positive().max(Number.MAX_SAFE_INTEGER),
          expectedVersion: version,
        }),
      )
      .mutation(({ ctx, input }) =>
        ctx.services.platformConfig.rollbackPlatformConfig({
          organizationId: ctx.scope.organizationId,
          actor: actorOf(ctx.principal),
          ...input,
        }),
      ),
  }),

  features: router({
    /** Enable/disable several features at once: for your organization, or (staff) for several. All or nothing. */
    toggle: bulkOrgAdminProcedure.input(toggleInput).mutation(({ ctx, input }) =>
      ctx.services.platformConfig.toggleFeatures({
        organizationIds: ctx.targetOrganizationIds,
        actor: actorOf(ctx.principal),
        toggles: input.toggles,
      }),
    ),
  }),

  audit: router({
    list: orgAdminProcedure
      .input(
        z
          .object({
            entityId: z.uuid().optional(),
            cursor: z.number().int().positive().optional(),
            limit: z.number().int().min(1).max(100).default(50),
          })
          .default({ limit: 50 }),
      )
      .query(({ ctx, input }) =>
        ctx.services.platformConfig.listAudit({ organizationId: ctx.scope.organizationId, ...input }),
      ),
  }),
});
