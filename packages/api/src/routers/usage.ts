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
});
