import { render, screen, within } from "@testing-library/react";
import { buildInvoice, invoiceToJsonValue } from "@wedsync/core/domain";
import { describe, expect, it } from "vitest";
import { ClientCharges, InvoiceLines } from "./InvoiceLines";
import { viewOfInvoice, viewOfInvoiceJson } from "./invoice-lines";

const at = new Date("2026-02-10T12:00:00Z");
const invoice = buildInvoice({
  number: "GOLDEN-HOUR-2026-0001",
  organizationName: "Golden Hour Photography",
  periodStart: "2026-02-01",
  periodEnd: "2026-02-28",
  issuedOn: "2026-03-01",
  rows: [
    {
      status: "succeeded",
      featureType: "field_extraction",
      clientId: null,
      provider: "openai",
      model: "gpt-4o-mini",
      costUsd: "1.234500",
      inputTokens: 1200,
      outputTokens: 300,
      cachedInputTokens: 0,
      createdAt: at,
      requests: 7,
    },
    {
      status: "failed",
      featureType: "pdf_analysis",
      clientId: null,
      provider: "openai",
      model: "gpt-4o-mini",
      costUsd: "0.004210",
      inputTokens: 40,
      outputTokens: 0,
      cachedInputTokens: 0,
      createdAt: at,
    },
    // Turned away before any provider: never billed, never a line.
    {
      status: "rejected",
      featureType: "smart_mapping",
      clientId: null,
      provider: null,
      model: null,
      costUsd: null,
      inputTokens: 0,
      outputTokens: 0,
      cachedInputTokens: 0,
      createdAt: at,
    },
  ],
  clientCharges: [{ clientId: "c1", requests: 8, amountMicros: 1_238_710n }],
  clientNames: new Map([["c1", "Emma & Liam"]]),
});

function renderLines(view = viewOfInvoice(invoice)) {
  return render(
    <InvoiceLines
      caption="February 2026"
      lines={view.lines}
      subtotalUsd={view.subtotalUsd}
      totalUsd={view.totalUsd}
    />,
  );
}

describe("InvoiceLines", () => {
  it("shows one row per billed feature and model, in words, with exact amounts", () => {
    renderLines();
    const table = screen.getByRole("table", { name: "February 2026" });
    const rows = within(table).getAllByRole("row");
    // header, two lines, subtotal, total
    expect(rows).toHaveLength(5);
    expect(rows[1]!.textContent).toContain("Field extraction");
    expect(rows[1]!.textContent).toContain("OpenAI gpt-4o-mini");
    expect(rows[1]!.textContent).toContain("$1.2345");
    expect(within(rows[1]!).getAllByRole("cell")[1]!.textContent).toBe("7");
    expect(rows[2]!.textContent).toContain("PDF analysis");
    expect(rows[2]!.textContent).toContain("$0.00421");
    expect(table.textContent).not.toContain("smart_mapping");
    expect(table.textContent).not.toContain("Smart mapping");
  });

  it("adds the lines exactly and rounds the total once, to the cent", () => {
    renderLines();
    expect(screen.getByTestId("invoice-subtotal").textContent).toBe("$1.23871");
    expect(screen.getByTestId("invoice-total").textContent).toBe("$1.24");
  });

  it("reads an issued invoice's JSON export the same way as the draft", () => {
    const fromJson = viewOfInvoiceJson(invoiceToJsonValue({ ...invoice, number: "X" }));
    const fromDraft = viewOfInvoice(invoice);
    expect(fromJson.lines).toEqual(fromDraft.lines);
    expect(fromJson.totalUsd).toBe("1.24");
  });

  it("says so when a period has nothing billable, with a zero total", () => {
    render(<InvoiceLines caption="January 2026" lines={[]} subtotalUsd="0.000000" totalUsd="0.00" />);
    expect(screen.getByText("No billable requests in this period.")).toBeTruthy();
    expect(screen.getByTestId("invoice-total").textContent).toBe("$0.00");
  });

  it("lists the charges by client by name", () => {
    render(<ClientCharges clients={viewOfInvoice(invoice).clients} />);
    const row = screen.getByRole("row", { name: /Emma & Liam/ });
    expect(row.textContent).toContain("$1.23871");
  });
});
