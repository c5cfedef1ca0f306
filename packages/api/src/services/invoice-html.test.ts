import { buildInvoice, type Invoice, type InvoiceUsageRow } from "@wedsync/core";
import { describe, expect, it } from "vitest";
import { escapeHtml, invoiceToHtml } from "./invoice-html";

const INVOICE: Invoice = {
  number: "ACME-2026-0007",
  organizationName: "Acme & Sons",
  periodStart: "2026-06-01",
  periodEnd: "2026-06-30",
  issuedOn: "2026-07-01",
  currency: "USD",
  lines: [
    {
      featureType: "field_extraction",
      featureName: "Field extraction",
      provider: "openai",
      model: "gpt-4o-mini",
      unitPrice: {
        inputPerMillion: "0.15",
        cachedInputPerMillion: "0.075000",
        outputPerMillion: "0.600000",
        effectiveFrom: new Date("2025-01-01T00:00:00Z"),
      },
      requests: 1234,
      inputTokens: 1_234_567,
      cachedInputTokens: 400,
      outputTokens: 89_012,
      amountMicros: 1_234_567n,
    },
    {
      featureType: "pdf_analysis",
      featureName: "PDF analysis",
      provider: null,
      model: null,
      unitPrice: null,
      requests: 1,
      inputTokens: 0,
      cachedInputTokens: 0,
      outputTokens: 0,
      amountMicros: 0n,
    },
  ],
  clients: [
    { clientId: "c1", clientName: "Sam <Alex>", requests: 1234, amountMicros: 1_234_567n },
    { clientId: null, clientName: "Organization (no client)", requests: 1, amountMicros: 0n },
  ],
  totals: { subtotalMicros: 1_234_567n, subtotal: "1.234567", totalMicros: 1_230_000n, total: "1.23" },
};

/** The page as core rendered it before the HTML moved here: byte for byte what issued invoices export. */
const EXPECTED_PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Invoice ACME-2026-0007 — Acme &amp; Sons</title>
<style>
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
  }</style>
</head>
<body>
<header>
  <h1>Invoice ACME-2026-0007</h1>
  <div>Acme &amp; Sons</div>
  <div class="muted">AI usage 2026-06-01 to 2026-06-30 · issued 2026-07-01 · USD</div>
</header>
<table>
  <thead><tr><th>Feature</th><th>Model</th><th>Unit prices</th><th class="num">Requests</th><th class="num">Tokens in / out</th><th class="num">Amount</th></tr></thead>
  <tbody><tr>
        <td>Field extraction</td>
        <td>openai/gpt-4o-mini</td>
        <td>$0.150000 in, $0.075000 cached, $0.600000 out<br><span class="muted">per million tokens, from 2025-01-01</span></td>
        <td class="num">1,234</td>
        <td class="num">1,234,567 (400 cached) / 89,012</td>
        <td class="num">$1.234567</td>
      </tr><tr>
        <td>PDF analysis</td>
        <td>—/—</td>
        <td>—</td>
        <td class="num">1</td>
        <td class="num">0 (0 cached) / 0</td>
        <td class="num">$0.000000</td>
      </tr></tbody>
  <tfoot>
    <tr><td colspan="5">Subtotal</td><td class="num">$1.234567</td></tr>
    <tr><td colspan="5">Total</td><td class="num">$1.23</td></tr>
  </tfoot>
</table>
<p class="muted">Each amount is the sum of the exact per-request costs (to the micro-dollar). The total is rounded once, half-up, to the cent.</p>
<h2>By client</h2>
<table>
  <thead><tr><th>Client</th><th class="num">Requests</th><th class="num">Amount</th></tr></thead>
  <tbody><tr><td>Sam &lt;Alex&gt;</td><td class="num">1,234</td><td class="num">$1.234567</td></tr><tr><td>Organization (no client)</td><td class="num">1</td><td class="num">$0.000000</td></tr></tbody>
</table>
</body>
</html>
`;

function usage(over: Partial<InvoiceUsageRow>): InvoiceUsageRow {
  return {
    status: "succeeded",
    featureType: "field_extraction",
    clientId: "c1",
    provider: "openai",
    model: "gpt-4o-mini",
    costUsd: "0.000420",
    inputTokens: 1000,
    outputTokens: 500,
    cachedInputTokens: 400,
    createdAt: new Date("2026-06-03T10:00:00Z"),
    ...over,
  };
}

function invoiceWith(clientName: string, featureName: string, organizationName = "Acme Weddings"): Invoice {
  return buildInvoice({
    number: "ACME-2026-0007",
    organizationName,
    periodStart: "2026-06-01",
    periodEnd: "2026-06-30",
    issuedOn: "2026-07-01",
    rows: [usage({}), usage({ featureType: "pdf_analysis", clientId: "c2", costUsd: "1.234567" })],
    clientCharges: [
      { clientId: "c1", requests: 1, amountMicros: 420n },
      { clientId: "c2", requests: 1, amountMicros: 1_234_567n },
    ],
    clientNames: new Map([
      ["c1", clientName],
      ["c2", "Jo"],
    ]),
    featureName: (f) => (f === "field_extraction" ? featureName : "PDF analysis"),
  });
}

describe("invoiceToHtml", () => {
  it("renders the page byte for byte as before", () => {
    expect(invoiceToHtml(INVOICE)).toBe(EXPECTED_PAGE);
  });

  it("leaves out the by-client table when no client was charged", () => {
    const page = invoiceToHtml({ ...INVOICE, clients: [] });
    expect(page).not.toContain("By client");
    expect(page.endsWith("</p>\n\n</body>\n</html>\n")).toBe(true);
  });

  it("escapes every name: a <script> in a client, feature or organization name stays text", () => {
    const evil = `<script>alert("x")</script>`;
    const page = invoiceToHtml(invoiceWith(evil, `${evil}&`, `O'Brien ${evil}`));
    expect(page).not.toContain("<script");
    expect(page).toContain("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;");
    expect(page).toContain("&lt;/script&gt;&amp;");
    expect(page).toContain("O&#39;Brien");
  });

  it("is a standalone printable page with the totals", () => {
    const page = invoiceToHtml(invoiceWith("Sam & Alex", "Fields"));
    expect(page.startsWith("<!doctype html>")).toBe(true);
    expect(page).toContain("@media print");
    expect(page).toContain("Sam &amp; Alex");
    expect(page).toContain("$1.234987");
    expect(page).toContain("$1.23<");
    expect(page).not.toMatch(/<(script|link|img)\b/);
  });

  it("escapes the five significant characters", () => {
    expect(escapeHtml(`<a href="x">'&'</a>`)).toBe("&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;");
  });
});
