/**
 * An invoice as CSV (RFC 4180) and JSON data. Amounts are written exactly: line and client
 * amounts to the micro-dollar (the sum of stored per-request costs), the total to the cent,
 * rounded once. Rounding lines for display would make them not add up to the subtotal. The
 * printable HTML page is presentation and lives with the API (services/invoice-html.ts).
 */
import type { Invoice } from "./billing";
import { fromMicros, normalizeAmount } from "./money";

/** Prices as the database keeps them, six places, whatever form they arrived in. */
const price6 = (amount: string) => normalizeAmount(amount, 6);

// ---- CSV -----------------------------------------------------------------------------------------

const CSV_COLUMNS = [
  "row_type",
  "invoice_number",
  "description",
  "feature_type",
  "provider",
  "model",
  "price_effective_from",
  "input_per_million_usd",
  "cached_input_per_million_usd",
  "output_per_million_usd",
  "requests",
  "input_tokens",
  "cached_input_tokens",
  "output_tokens",
  "amount_usd",
] as const;

type CsvRecord = Partial<Record<(typeof CSV_COLUMNS)[number], string | number | null>>;

/** Columns of numbers: a plain number there is written as it is, a negative one included. */
const CSV_NUMERIC_COLUMNS = new Set<string>([
  "input_per_million_usd",
  "cached_input_per_million_usd",
  "output_per_million_usd",
  "requests",
  "input_tokens",
  "cached_input_tokens",
  "output_tokens",
  "amount_usd",
]);

/**
 * RFC 4180: a field with a comma, quote or line break is quoted, and its quotes doubled. Text a
 * spreadsheet would take for a formula (a client named `=HYPERLINK(…)`: anything starting with
 * =, +, -, @, tab or carriage return) gets a leading single quote first (OWASP's rule against CSV
 * injection); a plain number in a `numeric` column ("-0.000420") does not.
 */
export function csvField(value: string | number | null | undefined, numeric = false): string {
  let s = value === null || value === undefined ? "" : String(value);
  const plainNumber = typeof value === "number" || (numeric && /^-?\d+(?:\.\d+)?$/.test(s));
  if (!plainNumber && /^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

/**
 * One record per row, every record with the same columns; `row_type` tells them apart: "line"
 * (the charges: only these add up to the subtotal), "client" (the same charges by client),
 * "subtotal" and "total". CRLF line breaks, a header row, and a final CRLF.
 */
export function invoiceToCsv(invoice: Invoice): string {
  const records: CsvRecord[] = [
    ...invoice.lines.map((l) => ({
      row_type: "line",
      description: l.featureName,
      feature_type: l.featureType,
      provider: l.provider,
      model: l.model,
      price_effective_from: l.unitPrice?.effectiveFrom.toISOString() ?? null,
      input_per_million_usd: l.unitPrice && price6(l.unitPrice.inputPerMillion),
      cached_input_per_million_usd: l.unitPrice && price6(l.unitPrice.cachedInputPerMillion),
      output_per_million_usd: l.unitPrice && price6(l.unitPrice.outputPerMillion),
      requests: l.requests,
      input_tokens: l.inputTokens,
      cached_input_tokens: l.cachedInputTokens,
      output_tokens: l.outputTokens,
      amount_usd: fromMicros(l.amountMicros, 6),
    })),
    ...invoice.clients.map((c) => ({
      row_type: "client",
      description: c.clientName,
      requests: c.requests,
      amount_usd: fromMicros(c.amountMicros, 6),
    })),
    { row_type: "subtotal", description: "Subtotal", amount_usd: invoice.totals.subtotal },
    {
      row_type: "total",
      description: "Total (rounded once, half-up, to the cent)",
      amount_usd: invoice.totals.total,
    },
  ];
  const lines = [
    CSV_COLUMNS.join(","),
    ...records.map((r) =>
      CSV_COLUMNS.map((c) =>
        csvField(c === "invoice_number" ? invoice.number : r[c], CSV_NUMERIC_COLUMNS.has(c)),
      ).join(","),
    ),
  ];
  return `${lines.join("\r\n")}\r\n`;
}

// ---- JSON ----------------------------------------------------------------------------------------

/** The invoice with every amount and price as an exact decimal string and dates as ISO strings. */
export function invoiceToJsonValue(invoice: Invoice) {
  return {
    number: invoice.number,
    organizationName: invoice.organizationName,
    periodStart: invoice.periodStart,
    periodEnd: invoice.periodEnd,
    issuedOn: invoice.issuedOn,
    currency: invoice.currency,
    lines: invoice.lines.map((l) => ({
      featureType: l.featureType,
      featureName: l.featureName,
      provider: l.provider,
      model: l.model,
      unitPrice: l.unitPrice && {
        inputPerMillionUsd: price6(l.unitPrice.inputPerMillion),
        cachedInputPerMillionUsd: price6(l.unitPrice.cachedInputPerMillion),
        outputPerMillionUsd: price6(l.unitPrice.outputPerMillion),
        effectiveFrom: l.unitPrice.effectiveFrom.toISOString(),
      },
      requests: l.requests,
      inputTokens: l.inputTokens,
      cachedInputTokens: l.cachedInputTokens,
      outputTokens: l.outputTokens,
      amountUsd: fromMicros(l.amountMicros, 6),
    })),
    clients: invoice.clients.map((c) => ({
      clientId: c.clientId,
      clientName: c.clientName,
      requests: c.requests,
      amountUsd: fromMicros(c.amountMicros, 6),
    })),
    subtotalUsd: invoice.totals.subtotal,
    totalUsd: invoice.totals.total,
  };
}

export type InvoiceJson = ReturnType<typeof invoiceToJsonValue>;

export function invoiceToJson(invoice: Invoice): string {
  return JSON.stringify(invoiceToJsonValue(invoice), null, 2);
}
