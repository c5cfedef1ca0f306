import { z } from "zod";
import { HOURLY_SERIES_MAX_HOURS, MAX_OVERVIEW_HOURS } from "../services/service-levels";
import { router, staffProcedure } from "../trpc";

/** A UTC day, or an instant (a Date from the typed client, an ISO date-time with offset over HTTP). */
const periodEdge = z.union([z.iso.date(), z.iso.datetime({ offset: true }), z.date()]);

/** Platform staff: how the platform performs against its SLA, and what stands behind it. */
export const serviceLevelsRouter = router({
  overview: staffProcedure
    .meta({
      description: `Service levels over a period (the last \`hours\`, default 24, or from/to: UTC days or instants, whole hours, at most ${MAX_OVERVIEW_HOURS / 24} days): per endpoint and per organization the request count, p50/p95/p99 (ms, within 2%), error rate (5xx / requests) and SLA verdict (p95 ≤ 500 ms, success ≥ 99.9%) with its breaches; p95 and error rate hour by hour (day by day beyond ${HOURLY_SERIES_MAX_HOURS} hours) for charts; this server's AI providers with breaker state and last failures; the config cache's hit rate.`,
    })
    .input(
      z
        .object({
          hours: z
            .number()
            .int()
            .min(1)
            .max(MAX_OVERVIEW_HOURS)
            .optional()
            .describe("The last this many hours, the current one included (default 24). Not with from/to."),
          from: periodEdge
            .optional()
            .describe(
              'Start: a UTC day ("2026-06-01", from its midnight) or an instant, rounded down to the hour.',
            ),
          to: periodEdge
            .optional()
            .describe(
              "End: a UTC day (through its end) or an instant, rounded up to the hour (default: now).",
            ),
          organizationId: z
            .uuid()
            .optional()
            .describe("One organization's requests only (default: every one)."),
        })
        .default({}),
    )
    .query(({ ctx, input }) => ctx.services.serviceLevels.overview(input)),
});
