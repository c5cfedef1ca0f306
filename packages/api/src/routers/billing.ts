import { z } from "zod";
import { orgAdminProcedure, router } from "../trpc";

const month = z
  .string()
  .regex(/^\d{4}-(0[1-9]|1[0-2])$/, "must be YYYY-MM")
  .refine((m) => m >= "1970-01", "must be 1970 or later");
// Before 1970 no usage exists, and the month and day arithmetic below would not hold.
const day = z.iso.date().refine((d) => d >= "1970-01-01", "must be 1970 or later");
const period = z.object({ from: day, to: day }).refine((p) => p.from <= p.to, {
  message: "must not be before from",
  path: ["to"],
});

/** The brief's AIBillingService, for owners, admins, admin API keys and staff. */
export const billingRouter = router({
  /** Costs by feature, client and model for a month (default: this one), with the credit status. */
  monthlyCosts: orgAdminProcedure
    .input(z.object({ month: month.optional() }))
    .query(({ ctx, input }) =>
      ctx.services.billing.calculateMonthlyCosts(ctx.scope.organizationId, input.month),
    ),

  /** ok / warning (80%) / exceeded (100%) against the monthly credit limit. */
  creditStatus: orgAdminProcedure.query(({ ctx }) =>
    ctx.services.billing.checkCreditLimits(ctx.scope.organizationId),
  ),

  invoices: router({
    /** What an invoice for the period would say, without issuing it. */
    preview: orgAdminProcedure
      .input(period)
      .query(({ ctx, input }) => ctx.services.billing.generateInvoiceData(ctx.scope.organizationId, input)),

    /** Issue the invoice for a finished period: numbered in sequence, immutable from then on. */
    issue: orgAdminProcedure
      .input(period)
      .mutation(({ ctx, input }) =>
        ctx.services.billing.issueInvoice(
          ctx.scope.organizationId,
          input,
          ctx.principal.kind === "user" ? ctx.principal.userId : null,
        ),
      ),

    list: orgAdminProcedure.query(({ ctx }) => ctx.services.billing.listInvoices(ctx.scope.organizationId)),

    /** An issued invoice as CSV, JSON or a printable HTML page. */
    export: orgAdminProcedure
      .input(z.object({ invoiceId: z.uuid(), format: z.enum(["csv", "json", "html"]) }))
      .query(({ ctx, input }) =>
        ctx.services.billing.exportInvoice(ctx.scope.organizationId, input.invoiceId, input.format),
      ),
  }),
});
