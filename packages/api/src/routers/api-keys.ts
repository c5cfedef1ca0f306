import { API_KEY_ROLES, apiKeyNameSchema, FEATURE_TYPES } from "@wedsync/core";
import { z } from "zod";
import { orgAdminProcedure, router } from "../trpc";

export const apiKeysRouter = router({
  /** The secret is in this response only; it is stored hashed. */
  create: orgAdminProcedure
    .input(
      z.object({
        name: apiKeyNameSchema,
        role: z.enum(API_KEY_ROLES).default("member"),
        defaultFeature: z.enum(FEATURE_TYPES).nullable().default(null),
      }),
    )
    .mutation(({ ctx, input }) =>
      ctx.services.auth.createApiKey({
        organizationId: ctx.scope.organizationId,
        name: input.name,
        role: input.role,
        defaultFeature: input.defaultFeature,
        createdBy: ctx.principal.kind === "user" ? ctx.principal.userId : null,
      }),
    ),

  list: orgAdminProcedure.query(({ ctx }) => ctx.services.auth.listApiKeys(ctx.scope.organizationId)),

  revoke: orgAdminProcedure
    .input(z.object({ id: z.uuid() }))
    .mutation(({ ctx, input }) => ctx.services.auth.revokeApiKey(ctx.scope.organizationId, input.id)),
});
