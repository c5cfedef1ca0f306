import { screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, describe, expect, it, vi } from "vitest";
import { renderAdmin } from "../../test/render";
import { InvoicesScreen } from "./InvoicesScreen";
import { invoiceQueryInput, invoiceSearchSchema, monthsOffered } from "./search";

afterEach(() => vi.unstubAllGlobals());

const GOLDEN = "22222222-2222-4222-8222-222222222222";
const BLOOM = "11111111-1111-4111-8111-111111111111";
const INVOICE = "44444444-4444-4444-8444-444444444444";
const ORGS = { rows: [], total: 0, limit: 20, offset: 0 };

const issued = {
  status: "issued",
  invoiceId: INVOICE,
  number: "GOLDEN-HOUR-2026-0001",
  organizationId: GOLDEN,
  organizationName: "Golden Hour Photography",
  organizationSlug: "golden-hour",
  periodStart: "2026-03-01",
  periodEnd: "2026-03-31",
  currency: "USD",
  subtotalUsd: "12.345678",
  totalUsd: "12.35",
  issuedAt: new Date("2026-04-02T09:00:00Z"),
};
const notIssued = {
  ...issued,
  status: "not_issued",
  invoiceId: null,
  number: null,
  organizationId: BLOOM,
  organizationName: "Bloom & Petal Florals",
  subtotalUsd: "0.004999",
  totalUsd: "0.00",
  issuedAt: null,
};

describe("the invoices address", () => {
  it("keeps good filters, drops bad ones, and pages 25 at a time", () => {
    expect(invoiceSearchSchema.parse({ month: "2026-13", status: "issued", page: "3", org: "x" })).toEqual({
      month: undefined,
      status: "issued",
      page: 3,
      org: undefined,
    });
    expect(invoiceQueryInput({ month: "2026-03", page: 3 })).toEqual({
      month: "2026-03",
      status: undefined,
      organizationId: undefined,
      limit: 25,
      offset: 50,
    });
    expect(monthsOffered("2026-05", undefined).slice(0, 3)).toEqual(["2026-05", "2026-04", "2026-03"]);
    expect(monthsOffered("2026-05", "2019-01").at(-1)).toBe("2019-01");
  });
});

describe("InvoicesScreen", { timeout: 30_000 }, () => {
  it("lists issued invoices (open, download) and months not issued yet (what issuing would charge, where)", async () => {
    await renderAdmin(<InvoicesScreen search={{}} onSearch={vi.fn()} />, {
      answers: {
        "admin.organizations.list": ORGS,
        "admin.invoices.list": { invoices: [issued, notIssued], total: 2, limit: 25, offset: 0 },
      },
    });
    const table = await screen.findByRole("table", { name: "Invoices 1–2 of 2, newest period first." });
    const golden = within(table).getByRole("row", { name: /GOLDEN-HOUR-2026-0001/ });
    expect(within(golden).getByRole("link", { name: "GOLDEN-HOUR-2026-0001" }).getAttribute("href")).toBe(
      `/admin/invoices/${GOLDEN}/${INVOICE}`,
    );
    expect(golden.textContent).toContain("March 2026");
    expect(golden.textContent).toContain("$12.35");
    expect(golden.textContent).toContain("Issued 2 Apr 2026");
    for (const name of [
      "Download GOLDEN-HOUR-2026-0001 as CSV",
      "Download GOLDEN-HOUR-2026-0001 as JSON",
      "Open GOLDEN-HOUR-2026-0001 as a printable page",
    ])
      expect(within(golden).getByRole("button", { name })).toBeTruthy();
    const bloom = within(table).getByRole("row", { name: /Not issued yet/ });
    expect(bloom.textContent).toContain("Bloom & Petal Florals");
    expect(bloom.textContent).toContain("$0.00if issued now");
    expect(
      within(bloom)
        .getByRole("link", {
          name: "Issue Bloom & Petal Florals's invoice for March 2026 in the supplier app",
        })
        .getAttribute("href"),
    ).toBe(`/o/${BLOOM}/billing`);
    expect(table.textContent).not.toMatch(/not_issued|golden-hour/);
  });

  it("pages through the address, and a filter chosen on screen starts again from the first page", async () => {
    const user = userEvent.setup();
    const onSearch = vi.fn();
    await renderAdmin(<InvoicesScreen search={{ status: "issued", page: 2 }} onSearch={onSearch} />, {
      answers: {
        "admin.organizations.list": ORGS,
        "admin.invoices.list": { invoices: [issued], total: 60, limit: 25, offset: 25 },
      },
    });
    const pager = await screen.findByRole("navigation", { name: "Pages of invoices" });
    expect(pager.textContent).toContain("Page 2 of 3");
    expect(within(pager).getByRole("link", { name: "Newer invoices" }).getAttribute("href")).toBe(
      "/admin/invoices?status=issued",
    );
    expect(within(pager).getByRole("link", { name: "Older invoices" }).getAttribute("href")).toBe(
      "/admin/invoices?status=issued&page=3",
    );
    await user.click(screen.getByRole("button", { name: /Status/ }));
    await user.click(await screen.findByRole("option", { name: "Not issued yet" }));
    expect(onSearch).toHaveBeenLastCalledWith({ status: "not_issued", page: undefined });
  });

  it("says what to do when no invoice matches", async () => {
    await renderAdmin(<InvoicesScreen search={{ month: "2026-01" }} onSearch={vi.fn()} />, {
      answers: {
        "admin.organizations.list": ORGS,
        "admin.invoices.list": { invoices: [], total: 0, limit: 25, offset: 0 },
      },
    });
    expect(await screen.findByText("No invoice matches these filters")).toBeTruthy();
    expect(screen.getByRole("button", { name: "Clear every filter" })).toBeTruthy();
  });
});
