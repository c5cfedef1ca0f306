import { ALERT_KINDS } from "@wedsync/core";
import { z } from "zod";
import { MAX_THRESHOLDS, THRESHOLD_RANGES } from "../services/alert-rules";
import { lastEventIdInput, orgAdminProcedure, router, trackedStream } from "../trpc";

const kind = z.enum(ALERT_KINDS);
const maxThreshold = Math.max(...Object.values(THRESHOLD_RANGES).map((r) => r.max));
/** The kind decides the exact range (percent or ms); the service checks it and names the entry. */
const thresholds = z.array(z.number().int().min(1).max(maxThreshold)).min(1).max(MAX_THRESHOLDS);
const webhookUrl = z.url({ protocol: /^https?$/, error: "must be an http(s) URL" }).max(2_000);
/** Write-only: stored to sign deliveries, never returned. */
const webhookSecret = z.string().min(16, "must be at least 16 characters").max(200);

export const alertsRouter = router({
  rules: router({
    list: orgAdminProcedure.query(({ ctx }) => ctx.services.alerts.listRules(ctx.scope.organizationId)),

    /** One rule per kind: cost at % of the daily cap or monthly credit limit, error rate (%), p95 (ms). */
    create: orgAdminProcedure
      .input(
        z.object({
          kind,
          thresholds,
          webhookUrl: webhookUrl.nullish(),
          webhookSecret: webhookSecret.optional(),
          enabled: z.boolean().optional(),
        }),
      )
      .mutation(({ ctx, input }) => ctx.services.alerts.createRule(ctx.scope.organizationId, input)),

    /** Change thresholds, the webhook (null removes it) or its secret, or switch the rule off. */
    update: orgAdminProcedure
      .input(
        z
          .object({
            id: z.uuid(),
            thresholds: thresholds.optional(),
            webhookUrl: webhookUrl.nullable().optional(),
            webhookSecret: webhookSecret.optional(),
            enabled: z.boolean().optional(),
          })
          .refine(
            (p) => [p.thresholds, p.webhookUrl, p.webhookSecret, p.enabled].some((v) => v !== undefined),
            { message: "change at least one of thresholds, webhookUrl, webhookSecret, enabled" },
          ),
      )
      .mutation(({ ctx, input: { id, ...patch } }) =>
        ctx.services.alerts.updateRule(ctx.scope.organizationId, id, patch),
      ),

    delete: orgAdminProcedure
      .input(z.object({ id: z.uuid() }))
      .mutation(({ ctx, input }) => ctx.services.alerts.deleteRule(ctx.scope.organizationId, input.id)),
  }),

  /** Alerts raised for the organization, newest first; pass nextCursor back for the next page. */
  list: orgAdminProcedure
    .input(
      z
        .object({
          cursor: z.number().int().positive().optional(),
          limit: z.number().int().min(1).max(100).default(50),
          kind: kind.optional(),
        })
        .default({ limit: 50 }),
    )
    .query(({ ctx, input }) => ctx.services.alerts.listAlerts(ctx.scope.organizationId, input)),

  /** Each alert as it is raised (one per crossing); reconnecting with lastEventId replays what was missed. */
  onAlert: orgAdminProcedure.input(lastEventIdInput).subscription(({ ctx, input, signal }) =>
    trackedStream(
      ctx.services.realtime.alerts({
        organizationId: ctx.scope.organizationId,
        lastEventId: input.lastEventId,
        signal,
      }),
    ),
  ),
});
