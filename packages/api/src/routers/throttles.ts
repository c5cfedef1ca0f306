import { throttleInputSchemaAt } from "@wedsync/core";
import { z } from "zod";
import { actorOf } from "../auth/principal";
import { memberProcedure, router, staffProcedure } from "../trpc";

/** Emergency throttling: staff refuse or cap AI requests of one organization, one feature or the platform. */
export const throttlesRouter = router({
  set: staffProcedure
    .meta({
      description:
        "Platform staff: throttle one organization (scope organization + organizationId), one feature everywhere (feature + featureType) or the whole platform (platform). mode refuse turns new AI requests away with SERVICE_UNAVAILABLE and Retry-After (the seconds until expiresAt, or 60 without one); mode cap lets perMinute requests a minute through across every instance and answers the rest TOO_MANY_REQUESTS. The strictest throttle reaching a request wins. A reason is required and shown to every organization affected; expiresAt (optional) must be in the future. In force on every instance within a second; audited once per organization it reaches.",
    })
    .input(throttleInputSchemaAt(() => new Date()))
    .mutation(({ ctx, input }) => ctx.services.throttles.set(input, actorOf(ctx.principal))),

  lift: staffProcedure
    .meta({
      description:
        "Platform staff: lift a throttle in force by hand (it stays in the history with who lifted it and when); audited. A throttle already lifted or expired: CONFLICT. Supplier admins cannot lift one.",
    })
    .input(z.object({ id: z.uuid().describe("The throttle, from throttles.list.") }))
    .mutation(({ ctx, input }) => ctx.services.throttles.lift(input.id, actorOf(ctx.principal))),

  list: staffProcedure
    .meta({
      description:
        "Platform staff: throttles newest first, each with its status (active, expired, lifted), the organization's name and who set and lifted it. active: true for those in force only, false for those that ended; pass nextCursor back for the next page.",
    })
    .input(
      z
        .object({
          active: z.boolean().optional().describe("true: in force only; false: ended only; absent: all."),
          limit: z.number().int().min(1).max(200).default(50),
          cursor: z.string().max(100).optional().describe("nextCursor from the previous page."),
        })
        .default({ limit: 50 }),
    )
    .query(({ ctx, input }) => ctx.services.throttles.list(input, new Date())),

  active: memberProcedure
    .meta({
      description:
        "The throttles reaching the organization now (its own, a feature's, the platform's), strictest first, with mode, requests a minute for a cap, reason and expiry: what the supplier app's banner shows. Changes arrive on platform.onConfigChange as entries with entityKind throttle.",
    })
    .query(({ ctx }) => ctx.services.throttles.activeFor(ctx.scope.organizationId, new Date())),
});
