import { readFile } from "node:fs/promises";
import type { Page } from "@playwright/test";
import { organizationId, trpcMutation, trpcQuery } from "../support/api";
import { signIn } from "../support/auth";
import { expectNoAxeViolations } from "../support/axe";
import { expect, test } from "../support/fixtures";

const ORG = "Golden Hour Photography";
const TIMEZONE = "America/New_York";

interface InvoiceSummary {
  id: string;
  number: string;
  periodStart: string;
  periodEnd: string;
  totalUsd: string;
}
interface ExportFile {
  body: string;
  contentType: string;
  filename: string;
}
interface InvoiceJson {
  number: string;
  periodStart: string;
  periodEnd: string;
  lines: Array<{ featureType: string; requests: number; amountUsd: string }>;
  subtotalUsd: string;
  totalUsd: string;
}

async function openAsOwner(page: Page) {
  await page.goto("/");
  await signIn(page, "owner@golden-hour.demo");
  await expect(page).toHaveURL(/\/o\/[0-9a-f-]{36}\/config$/);
  const orgId = await organizationId(page.request, ORG);
  return orgId;
}

/** "2026-03" in the organization's timezone, `back` months before now. */
function monthBefore(back: number): string {
  const [y, m] = new Intl.DateTimeFormat("en-CA", { timeZone: TIMEZONE, year: "numeric", month: "2-digit" })
    .format(new Date())
    .split("-")
    .map(Number) as [number, number];
  const d = new Date(Date.UTC(y, m - 1 - back, 1));
  return d.toISOString().slice(0, 7);
}
const monthWords = (month: string) =>
  new Intl.DateTimeFormat("en-US", { month: "long", year: "numeric", timeZone: "UTC" }).format(
    new Date(`${month}-01T00:00:00Z`),
  );

test.describe("billing", () => {
  test("the owner sees credit and this month's preview, issues a closed month and downloads it", async ({
    page,
  }) => {
    test.setTimeout(120_000); // a whole flow, with four axe scans
    const orgId = await openAsOwner(page);
    // A few requests this month, so the preview has a line to show.
    const clients = await trpcQuery<{ clients: Array<{ id: string; coupleNames: string }> }>(
      page.request,
      "clients.list",
      {
        organizationId: orgId,
      },
    );
    // Mia & Lucas have no override: field extraction on, inherited (the list is in id order, not seed order).
    const client = clients.clients.find((c) => c.coupleNames === "Mia & Lucas")!.id;
    for (let i = 0; i < 3; i++) {
      await trpcMutation(page.request, "clients.process", {
        organizationId: orgId,
        clientId: client,
        featureType: "field_extraction",
        input: {
          text: `Wedding of Mia & Lucas on 25 September 2027 at Glen Manor Vineyards, 120 guests (${i})`,
        },
      });
    }

    await page.getByRole("navigation", { name: "Sections" }).getByRole("link", { name: "Billing" }).click();
    await expect(page).toHaveURL(`/o/${orgId}/billing`);
    await expect(page.getByRole("heading", { level: 1, name: "Billing" })).toBeVisible();

    // Credit status: the meter reads what billing.creditStatus says, in dollars.
    const credit = await trpcQuery<{ usedUsd: string; limitUsd: string; month: string }>(
      page.request,
      "billing.creditStatus",
      { organizationId: orgId },
    );
    expect(credit.limitUsd).toBe("250.00");
    const meter = page.getByRole("meter", { name: `Spent in ${monthWords(credit.month)}` });
    await expect(meter).toHaveAttribute("aria-valuetext", /of \$250\.00$/);

    // This month so far: a field extraction line, with the requests the API counts.
    const preview = page.getByRole("table", { name: /so far$/ });
    const fieldExtraction = preview.getByRole("row", { name: /Field extraction/ });
    await expect(fieldExtraction).toBeVisible();
    const month = monthBefore(0);
    const last = new Date(Date.UTC(Number(month.slice(0, 4)), Number(month.slice(5, 7)), 0))
      .toISOString()
      .slice(0, 10);
    const draft = await trpcQuery<{ invoice: { lines: Array<{ featureType: string; requests: number }> } }>(
      page.request,
      "billing.invoices.preview",
      { organizationId: orgId, from: `${month}-01`, to: last },
    );
    const requests = draft.invoice.lines
      .filter((l) => l.featureType === "field_extraction")
      .reduce((n, l) => n + l.requests, 0);
    expect(requests).toBeGreaterThanOrEqual(3);
    await expect(fieldExtraction.getByRole("cell").nth(1)).toHaveText(String(requests));
    await expect(page.getByTestId("monthly-costs")).toContainText("Field extraction");
    await expectNoAxeViolations(page);

    // Issue the newest closed month that has no invoice yet (read, never assumed).
    const before = await trpcQuery<InvoiceSummary[]>(page.request, "billing.invoices.list", {
      organizationId: orgId,
    });
    const closed = [1, 2, 3, 4, 5, 6]
      .map(monthBefore)
      .find((m) => !before.some((i) => i.periodStart.startsWith(m)));
    expect(closed, "a closed month without an invoice").toBeDefined();
    const label = monthWords(closed!);
    await expect(page.getByRole("button", { name: /Month to invoice/ })).toContainText(label);
    // The picker offers no month that is still running.
    await page.getByRole("button", { name: /Month to invoice/ }).click();
    const options = page.getByRole("option");
    await expect(options.first()).toHaveText(label);
    await expect(page.getByRole("option", { name: monthWords(month) })).toHaveCount(0);
    await page.keyboard.press("Escape");

    await page.getByRole("button", { name: `Issue invoice for ${label}…` }).click();
    const dialog = page.getByRole("alertdialog", { name: `Issue the invoice for ${label}?` });
    await expect(dialog).toBeVisible();
    await expect(dialog.getByTestId("invoice-total")).toHaveText("$0.00");
    await expectNoAxeViolations(page);
    await dialog.getByRole("button", { name: "Issue invoice" }).click();
    await expect(dialog).toHaveCount(0);

    const after = await trpcQuery<InvoiceSummary[]>(page.request, "billing.invoices.list", {
      organizationId: orgId,
    });
    const issued = after.find((i) => i.periodStart === `${closed}-01`)!;
    expect(issued).toBeDefined();
    await expect(page.getByText(`Invoice ${issued.number} issued`)).toBeVisible();
    const row = page.getByTestId("issued-invoices").getByRole("row", { name: new RegExp(issued.number) });
    await expect(row).toContainText(label);
    await expect(row).toContainText("$0.00");
    // The month is no longer offered.
    await expect(page.getByRole("button", { name: /Month to invoice/ })).not.toContainText(label);

    // CSV: saved under the invoice's number, exactly the API's export.
    const csvExport = await trpcQuery<ExportFile>(page.request, "billing.invoices.export", {
      organizationId: orgId,
      invoiceId: issued.id,
      format: "csv",
    });
    const [csvDownload] = await Promise.all([
      page.waitForEvent("download"),
      row.getByRole("button", { name: `Download ${issued.number} as CSV` }).click(),
    ]);
    expect(csvDownload.suggestedFilename()).toBe(`${issued.number}.csv`);
    const csv = await readFile((await csvDownload.path())!, "utf8");
    expect(csv).toBe(csvExport.body);
    const records = csv.trimEnd().split("\r\n");
    expect(records[0]!.startsWith("row_type,invoice_number,description")).toBe(true);
    expect(records.filter((r) => r.startsWith("line,"))).toHaveLength(0); // nothing billed that month
    expect(records.at(-2)!.startsWith(`subtotal,${issued.number},Subtotal,`)).toBe(true);
    expect(records.at(-2)!.endsWith(",0.000000")).toBe(true);
    expect(records.at(-1)).toContain(`total,${issued.number},`);
    expect(records.at(-1)!.endsWith(",0.00")).toBe(true);

    // JSON: the same invoice as data.
    const [jsonDownload] = await Promise.all([
      page.waitForEvent("download"),
      row.getByRole("button", { name: `Download ${issued.number} as JSON` }).click(),
    ]);
    expect(jsonDownload.suggestedFilename()).toBe(`${issued.number}.json`);
    const json = JSON.parse(await readFile((await jsonDownload.path())!, "utf8")) as InvoiceJson;
    expect(json.number).toBe(issued.number);
    expect(json.periodStart).toBe(`${closed}-01`);
    expect(json.totalUsd).toBe(issued.totalUsd);
    expect(json.lines).toEqual([]);

    // The printable page opens in a new tab.
    const [tab] = await Promise.all([
      page.context().waitForEvent("page"),
      row.getByRole("button", { name: `Open ${issued.number} as a printable page` }).click(),
    ]);
    await expect(tab.getByText(issued.number).first()).toBeVisible();
    await tab.close();

    // Its own page: lines and totals on screen, with the same downloads.
    await row.getByRole("link", { name: issued.number }).click();
    await expect(page).toHaveURL(`/o/${orgId}/billing/invoices/${issued.id}`);
    await expect(page.getByRole("heading", { level: 1, name: `Invoice ${issued.number}` })).toBeVisible();
    await expect(page.getByRole("table", { name: `Charges for ${label}` })).toContainText(
      "No billable requests in this period.",
    );
    await expect(page.getByTestId("invoice-total")).toHaveText("$0.00");
    await expectNoAxeViolations(page);
  });

  test("this month's invoice preview matches the API line for line", async ({ page }) => {
    const orgId = await openAsOwner(page);
    await page.goto(`/o/${orgId}/billing`);
    const month = monthBefore(0);
    const last = new Date(Date.UTC(Number(month.slice(0, 4)), Number(month.slice(5, 7)), 0))
      .toISOString()
      .slice(0, 10);
    const draft = await trpcQuery<{
      invoice: { lines: Array<{ featureType: string }>; totals: { total: string } };
    }>(page.request, "billing.invoices.preview", { organizationId: orgId, from: `${month}-01`, to: last });
    const table = page.getByRole("table", { name: /so far$/ });
    await expect(table.locator("tbody tr")).toHaveCount(Math.max(1, draft.invoice.lines.length));
    await expect(page.getByTestId("invoice-preview").getByTestId("invoice-total")).toHaveText(
      `$${draft.invoice.totals.total}`,
    );
  });

  test("at 375 px wide billing fits the screen", async ({ page }) => {
    await page.setViewportSize({ width: 375, height: 740 });
    const orgId = await openAsOwner(page);
    await page.goto(`/o/${orgId}/billing`);
    await expect(page.getByTestId("credit-status")).toBeVisible();
    await expect(page.getByTestId("invoice-preview")).toBeVisible();
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
  });

  test("a member who opens billing sees that it is for owners and admins", async ({ page }) => {
    await page.goto("/");
    await signIn(page, "member@golden-hour.demo");
    await expect(page).toHaveURL(/\/o\/[0-9a-f-]{36}\/config$/);
    const orgId = await organizationId(page.request, ORG);
    await expect(
      page.getByRole("navigation", { name: "Sections" }).getByRole("link", { name: "Billing" }),
    ).toHaveCount(0);
    await page.goto(`/o/${orgId}/billing`);
    await expect(page.getByRole("heading", { level: 1, name: "Billing" })).toBeVisible();
    await expect(page.getByText("Only owners and admins can see billing")).toBeVisible();
    await expect(page.getByRole("meter")).toHaveCount(0);
    await expectNoAxeViolations(page);
    await page.goto(`/o/${orgId}/billing/invoices/00000000-0000-4000-8000-000000000000`);
    await expect(page.getByText("Only owners and admins can see billing")).toBeVisible();
  });
});
