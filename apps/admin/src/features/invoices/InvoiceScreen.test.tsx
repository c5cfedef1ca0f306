import { screen, within } from "@testing-library/react";
import { buildInvoice, invoiceToJsonValue } from "@wedsync/core/domain";
import { afterEach, describe, expect, it, vi } from "vitest";
import { renderAdmin } from "../../test/render";
import { InvoiceScreen } from "./InvoiceScreen";

afterEach(() => vi.unstubAllGlobals());

const GOLDEN = "22222222-2222-4222-8222-222222222222";
const INVOICE = "44444444-4444-4444-8444-444444444444";

const invoice = buildInvoice({
  number: "GOLDEN-HOUR-2026-0001",
  organizationName: "Golden Hour Photography",
  periodStart: "2026-03-01",
  periodEnd: "2026-03-31",
  issuedOn: "2026-04-01",
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
      createdAt: new Date("2026-03-10T12:00:00Z"),
      requests: 7,
    },
  ],
  clientCharges: [],
  clientNames: new Map(),
});

describe("InvoiceScreen", { timeout: 30_000 }, () => {
  it("shows one issued invoice of any organization, exactly as issued, with its downloads", async () => {
    await renderAdmin(<InvoiceScreen organizationId={GOLDEN} invoiceId={INVOICE} />, {
      answers: {
        "billing.invoices.export": {
          filename: "GOLDEN-HOUR-2026-0001.json",
          contentType: "application/json",
          body: JSON.stringify(invoiceToJsonValue(invoice)),
        },
      },
    });
    expect(
      await screen.findByRole("heading", { level: 1, name: "Invoice GOLDEN-HOUR-2026-0001" }),
    ).toBeTruthy();
    expect(screen.getByRole("link", { name: "Golden Hour Photography" }).getAttribute("href")).toBe(
      `/admin/organizations/${GOLDEN}`,
    );
    expect(document.body.textContent).toContain("March 2026 · issued 1 April 2026");
    const lines = screen.getByRole("table", { name: "Charges for March 2026" });
    expect(within(lines).getByRole("row", { name: /Field extraction/ }).textContent).toContain(
      "OpenAI gpt-4o-mini",
    );
    expect(screen.getByTestId("invoice-total").textContent).toBe("$1.23");
    expect(screen.getByRole("button", { name: "Download GOLDEN-HOUR-2026-0001 as CSV" })).toBeTruthy();
  });

  it("says an unknown invoice does not exist, with the way back", async () => {
    await renderAdmin(<InvoiceScreen organizationId={GOLDEN} invoiceId={INVOICE} />);
    expect(await screen.findByRole("heading", { level: 1, name: "Invoice not found" })).toBeTruthy();
    expect(screen.getByRole("link", { name: "Back to every invoice" }).getAttribute("href")).toBe(
      "/admin/invoices",
    );
  });
});
