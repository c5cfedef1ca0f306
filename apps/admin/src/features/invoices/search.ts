import { addMonths } from "@wedsync/core/calendar";
import { z } from "zod";

/** Invoices per page. */
export const INVOICE_PAGE = 25;
/** Months the month filter offers: this one and the 23 before it. */
export const MONTHS_OFFERED = 24;

export const INVOICE_STATUSES = ["issued", "not_issued"] as const;
export type InvoiceStatus = (typeof INVOICE_STATUSES)[number];

export const STATUS_WORDS: Record<InvoiceStatus, string> = {
  issued: "Issued",
  not_issued: "Not issued yet",
};

/** The invoices screen's address: month, status, organization and page; a bad value is dropped. */
export const invoiceSearchSchema = z.object({
  month: z
    .string()
    .regex(/^\d{4}-(0[1-9]|1[0-2])$/)
    .optional()
    .catch(undefined),
  status: z.enum(INVOICE_STATUSES).optional().catch(undefined),
  org: z.uuid().optional().catch(undefined),
  page: z.coerce.number().int().min(2).max(40_000).optional().catch(undefined),
});
export type InvoiceSearch = z.infer<typeof invoiceSearchSchema>;

/** admin.invoices.list's input for a search. */
export function invoiceQueryInput(search: InvoiceSearch) {
  return {
    month: search.month,
    status: search.status,
    organizationId: search.org,
    limit: INVOICE_PAGE,
    offset: ((search.page ?? 1) - 1) * INVOICE_PAGE,
  };
}

/** The months offered, newest first (UTC), with the address's own month kept if it is older. */
export function monthsOffered(currentMonth: string, chosen: string | undefined): string[] {
  const months = Array.from({ length: MONTHS_OFFERED }, (_, i) => addMonths(currentMonth, -i));
  return chosen && !months.includes(chosen) ? [...months, chosen] : months;
}
