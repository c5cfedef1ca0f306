/** Usage and billing tools: what the organization used and what it is invoiced. */
import { dayInTimezone, type InvoiceJson, invoiceToJsonValue, monthInTimezone } from "@wedsync/core";
import { z } from "zod";
import { dayArg } from "./inputs";
import type { Caller, McpTools } from "./tool";

/** Both ends of a period or neither: half a period is named, not guessed. */
function bothOrNeither(
  args: { from?: string | undefined; to?: string | undefined },
  issues: z.RefinementCtx,
) {
  if ((args.from === undefined) !== (args.to === undefined)) {
    const missing = args.from === undefined ? "from" : "to";
    issues.addIssue({ code: "custom", path: [missing], message: "send both from and to, or neither" });
  }
}

/** This month so far, in the organization's timezone (what a model asking "how are we doing" means). */
async function monthToDate(caller: Caller) {
  const { organization } = await caller.platform.config.get();
  const now = new Date();
  return {
    from: `${monthInTimezone(now, organization.timezone)}-01`,
    to: dayInTimezone(now, organization.timezone),
  };
}

function invoiceLine(invoice: InvoiceJson): string {
  return `${invoice.number} for ${invoice.periodStart} to ${invoice.periodEnd}: $${invoice.totalUsd} over ${invoice.lines.reduce(
    (n, l) => n + l.requests,
    0,
  )} requests`;
}

export function registerBillingTools(tools: McpTools) {
  tools.add("get_usage", {
    title: "Usage by feature",
    description:
      "Requests and spend per AI feature over a period (days in the organization's timezone, both inclusive; default: this month so far), day by day or month by month, with response times (p50/p95/p99) per feature. The figures the daily caps are checked against; refused requests are not counted.",
    input: z
      .object({
        from: dayArg.optional().describe("First day, YYYY-MM-DD (with to; default: the 1st of this month)"),
        to: dayArg.optional().describe("Last day, YYYY-MM-DD, inclusive (with from; default: today)"),
        by: z.enum(["day", "month"]).default("day"),
      })
      .strict()
      .superRefine(bothOrNeither),
    annotations: { readOnlyHint: true, openWorldHint: false },
    run: async ({ from, to, by }, { caller }) => {
      const period = from && to ? { from, to } : await monthToDate(caller);
      const usage = await caller.usage.byFeature({ ...period, by });
      const used = usage.features.filter((f) => f.requests > 0);
      return {
        result: usage,
        summary: `${period.from} to ${period.to}: ${
          used.length
            ? used.map((f) => `${f.featureType} ${f.requests} requests, $${f.spentUsd}`).join("; ")
            : "no requests"
        }.`,
      };
    },
  });

  tools.add("get_invoice", {
    title: "Invoice",
    description:
      "An invoice as JSON (lines per feature and model, charges per client, totals in USD). With invoiceId: an issued invoice, exactly as issued. With from and to: a draft of what the invoice for that period would say, without issuing it. With neither: the list of issued invoices. Needs an admin API key.",
    input: z
      .object({
        invoiceId: z.uuid().optional().describe("An issued invoice's id (from the list)"),
        from: dayArg.optional().describe("Draft for a period: its first day (with to)"),
        to: dayArg.optional().describe("Draft for a period: its last day, inclusive (with from)"),
      })
      .strict()
      .superRefine(bothOrNeither)
      .superRefine((args, issues) => {
        if (args.invoiceId !== undefined && args.from !== undefined) {
          issues.addIssue({
            code: "custom",
            path: ["invoiceId"],
            message: "send an invoiceId or a period, not both",
          });
        }
      }),
    annotations: { readOnlyHint: true, openWorldHint: false },
    run: async ({ invoiceId, from, to }, { caller }) => {
      if (invoiceId) {
        const exported = await caller.billing.invoices.export({ invoiceId, format: "json" });
        const invoice = JSON.parse(exported.body) as InvoiceJson;
        return { result: { issued: true, invoice }, summary: `Invoice ${invoiceLine(invoice)}.` };
      }
      if (from && to) {
        const draft = await caller.billing.invoices.preview({ from, to });
        const invoice = invoiceToJsonValue(draft.invoice);
        return {
          result: { issued: false, invoice, pendingRequests: draft.pendingRequests },
          summary: `Draft ${invoiceLine(invoice)}${
            draft.pendingRequests ? ` (${draft.pendingRequests} requests still running are not in it)` : ""
          }; not issued.`,
        };
      }
      const invoices = await caller.billing.invoices.list();
      return {
        result: { invoices },
        summary: invoices.length
          ? `${invoices.length} issued invoices: ${invoices
              .map((i) => `${i.number} (${i.periodStart} to ${i.periodEnd}) [${i.id}]`)
              .join(", ")}.`
          : "No invoice has been issued yet; send from and to for a draft.",
      };
    },
  });
}
