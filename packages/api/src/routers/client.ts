import {
  CLIENT_STATUSES,
  customPromptsSchema,
  dollarAmountSchema,
  FEATURE_TYPES,
  featureSettingsSchema,
  maxRequestsPerDaySchema,
  processingPreferencesSchema,
  rateLimitPerMinuteSchema,
} from "@wedsync/core";
import { z } from "zod";
import { actorOf } from "../auth/principal";
import { memberProcedure, router } from "../trpc";

const clientOverrides = z
  .object({
    isEnabled: z.boolean().nullable().optional(),
    maxRequestsPerDay: maxRequestsPerDaySchema.nullable().optional(),
    maxCostPerDay: dollarAmountSchema.nullable().optional(),
    rateLimitPerMinute: rateLimitPerMinuteSchema.nullable().optional(),
  })
  .strict();

export const clientRouter = router({
  list: memberProcedure
    .input(
      z
        .object({
          search: z.string().trim().max(100).optional(),
          status: z.enum(CLIENT_STATUSES).optional(),
          cursor: z.uuid().optional(),
          limit: z.number().int().min(1).max(200).default(50),
        })
        .default({ limit: 50 }),
    )
    .query(({ ctx, input }) =>
      ctx.services.clientConfig.listClients({ organizationId: ctx.scope.organizationId, ...input }),
    ),

  config: router({
    /** Effective config per feature, the raw overrides, and which fields are inherited. */
    get: memberProcedure
      .input(z.object({ clientId: z.uuid() }))
      .query(({ ctx, input }) =>
        ctx.services.clientConfig.getClientConfig(ctx.scope.organizationId, input.clientId),
      ),

    /** Override one feature for one client, inside the platform's limits; send the version you read (0 = none yet). */
    update: memberProcedure
      .input(
        z.object({
          clientId: z.uuid(),
          featureType: z.enum(FEATURE_TYPES),
          expectedVersion: z.number().int().min(0).max(2_147_483_647),
          overrides: clientOverrides.optional(),
          featureSettings: featureSettingsSchema.optional(),
          customPrompts: customPromptsSchema.optional(),
          processingPreferences: processingPreferencesSchema.optional(),
        }),
      )
      .mutation(({ ctx, input }) =>
        ctx.services.clientConfig.updateClientConfig({
          organizationId: ctx.scope.organizationId,
          actor: actorOf(ctx.principal),
          ...input,
        }),
      ),
  }),
});
