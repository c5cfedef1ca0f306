import { z } from "zod";
import { readUsageByFeature } from "../services/quota-status";
import { lastEventIdInput, memberProcedure, router, trackedStream } from "../trpc";

export const usageRouter = router({
  /**
   * Every completed or rejected request of the organization as it is recorded: feature, client,
   * status, cost and tokens (live cost tickers). Reconnecting with lastEventId replays what was missed.
   */
  onUsage: memberProcedure.input(lastEventIdInput).subscription(({ ctx, input, signal }) =>
    trackedStream(
      ctx.services.realtime.usage({
        organizationId: ctx.scope.organizationId,
        lastEventId: input.lastEventId,
        signal,
      }),
    ),
  ),
  byFeature: memberProcedure
    .meta({
      description:
        "Requests and spend per feature, day by day or month by month (days of the organization's timezone, both inclusive; at most 400 days by day, 1,131 by month), from the daily counters the caps are checked against, with response times per feature and lastEventSeq, the newest usage event already counted (a live event with a higher seq is not in these figures yet).",
    })
    .input(
      z.object({
        from: z.iso.date(),
        to: z.iso.date(),
        by: z.enum(["day", "month"]).default("day"),
      }),
    )
    .query(({ ctx, input }) =>
      readUsageByFeature(ctx.services.db, ctx.services.analytics, ctx.scope.organizationId, input),
    ),

  rateLimits: memberProcedure
    .meta({
      description:
        "Each feature's rate limit per minute for the organization, the requests left in the current window and when the next slot frees up; reading it uses none of the limit.",
    })
    .query(({ ctx }) => ctx.services.rateLimits.organization(ctx.scope.organizationId)),
});
