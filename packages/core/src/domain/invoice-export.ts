/**
 * An invoice as CSV (RFC 4180), JSON and a printable HTML page. Amounts are written exactly: line
 * and client amounts to the micro-dollar (the sum of stored per-request costs), the total to the
 * cent, rounded once. Rounding lines for display would make them not add up to the subtotal.
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

/** RFC 4180: a field with a comma, quote or line break is quoted, and its quotes doubled. */
export function csvField(value: string | number | null | undefined): string {
  const s = value === null || value === undefined ? "" : String(value);
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
      CSV_COLUMNS.map((c) => csvField(c === "invoice_number" ? invoice.number : r[c])).join(","),
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

// ---- HTML ----------------------------------------------------------------------------------------

/** Markup that is already safe; everything else interpolated into `html` is escaped. */
class SafeHtml {
  constructor(readonly value: string) {}
  toString() {
    return this.value;
  }
}

export function escapeHtml(s: string): string {
  return s
    .replaceAll("&", "&amp;")
    .replaceAll("<", "&lt;")
    .replaceAll(">", "&gt;")
    .replaceAll('"', "&quot;")
    .replaceAll("'", "&#39;");
}

/** A template tag that escapes every interpolation, so no caller can forget to. */
function html(strings: TemplateStringsArray, ...values: unknown[]): SafeHtml {
  const part = (v: unknown): string =>
    v instanceof SafeHtml ? v.value : Array.isArray(v) ? v.map(part).join("") : escapeHtml(String(v ?? ""));
  return new SafeHtml(
    strings.reduce((out, s, i) => out + s + (i < values.length ? part(values[i]) : ""), ""),
  );
}

const usd = (micros: bigint) => `$${fromMicros(micros, 6)}`;
const count = (n: number) => n.toLocaleString("en-US");

const STYLE = `
  body { font: 14px/1.45 system-ui, sans-serif; color: #111; margin: 2rem auto; max-width: 60rem; }
  h1 { font-size: 1.5rem; margin: 0 0 .25rem; }
  table { border-collapse: collapse; width: 100%; margin: 1rem 0; }
  th, td { border-bottom: 1px solid #ddd; padding: .35rem .5rem; text-align: left; vertical-align: top; }
  td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
  tfoot td { font-weight: 600; border-bottom: none; }
  .muted { color: #555; font-size: .85rem; }
  @page { size: A4; margin: 15mm; }
  @media print {
    body { margin: 0; max-width: none; font-size: 11px; }
    tr { break-inside: avoid; }
    thead { display: table-header-group; }
  }`;

/** A standalone page (inline CSS, no scripts, no external assets) that prints as the invoice. */
export function invoiceToHtml(invoice: Invoice): string {
  const lineRows = invoice.lines.map(
    (l) => html`<tr>
        <td>${l.featureName}</td>
        <td>${l.provider ?? "—"}/${l.model ?? "—"}</td>
        <td>${
          l.unitPrice
            ? html`$${price6(l.unitPrice.inputPerMillion)} in, $${price6(l.unitPrice.cachedInputPerMillion)} cached, $${price6(l.unitPrice.outputPerMillion)} out<br><span class="muted">per million tokens, from ${l.unitPrice.effectiveFrom.toISOString().slice(0, 10)}</span>`
            : "—"
        }</td>
        <td class="num">${count(l.requests)}</td>
        <td class="num">${count(l.inputTokens)} (${count(l.cachedInputTokens)} cached) / ${count(l.outputTokens)}</td>
        <td class="num">${usd(l.amountMicros)}</td>
      </tr>`,
  );
  const clientRows = invoice.clients.map(
    (c) =>
      html`<tr><td>${c.clientName}</td><td class="num">${count(c.requests)}</td><td class="num">${usd(c.amountMicros)}</td></tr>`,
  );
  const page = html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Invoice ${invoice.number} — ${invoice.organizationName}</title>
<style>${new SafeHtml(STYLE)}</style>
</head>
<body>
<header>
  <h1>Invoice ${invoice.number}</h1>
  <div>${invoice.organizationName}</div>
  <div class="muted">AI usage ${invoice.periodStart} to ${invoice.periodEnd} · issued ${invoice.issuedOn} · ${invoice.currency}</div>
</header>
<table>
  <thead><tr><th>Feature</th><th>Model</th><th>Unit prices</th><th class="num">Requests</th><th class="num">Tokens in / out</th><th class="num">Amount</th></tr></thead>
  <tbody>${lineRows}</tbody>
  <tfoot>
    <tr><td colspan="5">Subtotal</td><td class="num">$${invoice.totals.subtotal}</td></tr>
    <tr><td colspan="5">Total</td><td class="num">$${invoice.totals.total}</td></tr>
  </tfoot>
</table>
<p class="muted">Each amount is the sum of the exact per-request costs (to the micro-dollar). The total is rounded once, half-up, to the cent.</p>
${
  clientRows.length > 0
    ? html`<h2>By client</h2>
<table>
  <thead><tr><th>Client</th><th class="num">Requests</th><th class="num">Amount</th></tr></thead>
  <tbody>${clientRows}</tbody>
</table>`
    : ""
}
</body>
</html>
`;
  return page.value;
}
