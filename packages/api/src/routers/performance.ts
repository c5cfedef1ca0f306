import { z } from "zod";
import { MAX_SLA_HOURS } from "../services/performance-report";
import { orgAdminProcedure, router, staffProcedure } from "../trpc";

/** The brief's AIPerformanceMonitor: an organization's report for its admins, the SLA for staff. */
export const performanceRouter = router({
  /**
   * p50/p95/p99 per endpoint and feature, error rates by feature, cost per request by day, rate
   * limiting (admitted vs rejected by reason) and the config cache's hit rate, over days of the
   * organization's timezone (default: the last 7, today included).
   */
  report: orgAdminProcedure
    .input(z.object({ from: z.iso.date().optional(), to: z.iso.date().optional() }).default({}))
    .query(({ ctx, input }) =>
      ctx.services.performance.generatePerformanceReport(ctx.scope.organizationId, input),
    ),

  /** Endpoints breaking the SLA (p95 ≤ 500 ms, success ≥ 99.9%) over the last hours; every organization, or one. */
  sla: staffProcedure
    .input(
      z
        .object({
          hours: z.number().int().min(1).max(MAX_SLA_HOURS).default(24),
          organizationId: z.uuid().optional(),
        })
        .default({ hours: 24 }),
    )
    .query(({ ctx, input }) => ctx.services.performance.checkSLACompliance(input)),
});
