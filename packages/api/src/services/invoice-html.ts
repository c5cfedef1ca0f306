/**
 * An invoice as a printable HTML page: a standalone document (inline CSS, no scripts, no external
 * assets). Presentation only: the figures are core's (buildInvoice), written exactly as the CSV
 * and JSON exports write them: line and client amounts to the micro-dollar, the total to the
 * cent, rounded once.
 */
import { fromMicros, type Invoice, normalizeAmount } from "@wedsync/core";

/** Prices as the database keeps them, six places, whatever form they arrived in. */
const price6 = (amount: string) => normalizeAmount(amount, 6);

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
