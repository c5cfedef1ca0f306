import { readFile } from "node:fs/promises";
import type { APIRequestContext, Page } from "@playwright/test";
import { trpcMutation, trpcQuery } from "../support/api";
import { signIn } from "../support/auth";
import { expectNoAxeViolations } from "../support/axe";
import { expect, test } from "../support/fixtures";

const STAFF = "staff@wedsync.demo";
const EVERMORE = "Evermore Wedding Planners";
const EVERMORE_TZ = "Europe/Paris";

interface IssuedInvoice {
  id: string;
  number: string;
  periodStart: string;
  periodEnd: string;
  totalUsd: string;
}
interface AdminInvoice {
  status: "issued" | "not_issued";
  number: string | null;
  organizationName: string;
}
interface ExportFile {
  body: string;
  filename: string;
}

async function orgId(request: APIRequestContext, name: string): Promise<string> {
  const list = await trpcQuery<{ rows: Array<{ id: string; name: string }> }>(
    request,
    "admin.organizations.list",
    {
      search: name,
    },
  );
  const org = list.rows.find((r) => r.name === name);
  expect(org, name).toBeDefined();
  return org!.id;
}

/** "2026-03", `back` months before this one in the organization's timezone. */
function monthBefore(back: number, timeZone: string): string {
  const [y, m] = new Intl.DateTimeFormat("en-CA", { timeZone, year: "numeric", month: "2-digit" })
    .format(new Date())
    .split("-")
    .map(Number) as [number, number];
  return new Date(Date.UTC(y, m - 1 - back, 1)).toISOString().slice(0, 7);
}
const lastDay = (month: string) =>
  new Date(Date.UTC(Number(month.slice(0, 4)), Number(month.slice(5, 7)), 0)).toISOString().slice(0, 10);
const monthWords = (month: string) =>
  new Intl.DateTimeFormat("en-US", { month: "long", year: "numeric", timeZone: "UTC" }).format(
    new Date(`${month}-01T00:00:00Z`),
  );

const invoices = (page: Page) => page.getByTestId("invoices");

async function choose(page: Page, label: string, option: string) {
  await page.getByRole("button", { name: new RegExp(` ${label}$`) }).click();
  await page.getByRole("option", { name: option, exact: true }).click();
}

test.describe("admin: invoices", () => {
  test.describe.configure({ timeout: 120_000 });

  test("staff find an organization's invoice by month and status, download it and open it", async ({
    page,
  }) => {
    await page.goto("/admin/invoices");
    await signIn(page, STAFF);
    await expect(page.getByRole("heading", { level: 1, name: "Invoices" })).toBeFocused();

    // An issued invoice to find: Evermore's newest finished month without one (read, never assumed).
    const evermore = await orgId(page.request, EVERMORE);
    const before = await trpcQuery<IssuedInvoice[]>(page.request, "billing.invoices.list", {
      organizationId: evermore,
    });
    const month = [1, 2, 3, 4, 5, 6, 7, 8]
      .map((back) => monthBefore(back, EVERMORE_TZ))
      .find((m) => !before.some((i) => i.periodStart <= lastDay(m) && i.periodEnd >= `${m}-01`));
    expect(month, "a finished month without an invoice").toBeDefined();
    const issued = await trpcMutation<{ invoice: { number: string } } & Record<string, unknown>>(
      page.request,
      "billing.invoices.issue",
      { organizationId: evermore, from: `${month}-01`, to: lastDay(month!) },
    );
    expect(issued).toBeDefined();
    const invoice = (
      await trpcQuery<IssuedInvoice[]>(page.request, "billing.invoices.list", { organizationId: evermore })
    ).find((i) => i.periodStart === `${month}-01`)!;

    // The list shows what admin.invoices.list says, newest period first.
    await page.reload();
    const api = await trpcQuery<{ invoices: AdminInvoice[]; total: number }>(
      page.request,
      "admin.invoices.list",
      {
        limit: 25,
      },
    );
    expect(api.total).toBeGreaterThan(0);
    const rows = invoices(page).getByRole("row");
    await expect(rows).toHaveCount(Math.min(api.total, 25) + 1);
    await expect(rows.nth(1)).toContainText(api.invoices[0]!.organizationName);
    await expectNoAxeViolations(page);

    // Filter by month: the address says so, and only that month's invoices remain, ours among them.
    await choose(page, "Month", monthWords(month!));
    await expect(page).toHaveURL(`/admin/invoices?month=${month}`);
    const row = invoices(page).getByRole("row", { name: new RegExp(invoice.number) });
    await expect(row).toContainText(EVERMORE);
    await expect(row).toContainText(monthWords(month!));
    await expect(row).toContainText(`$${invoice.totalUsd}`);
    const inMonth = await trpcQuery<{ total: number }>(page.request, "admin.invoices.list", { month });
    await expect(invoices(page).getByRole("row")).toHaveCount(inMonth.total + 1);

    // And by status: issued keeps it; not issued yet has nothing for that month.
    await choose(page, "Status", "Issued");
    await expect(page).toHaveURL(`/admin/invoices?month=${month}&status=issued`);
    await expect(row).toBeVisible();
    await choose(page, "Status", "Not issued yet");
    await expect(page).toHaveURL(`/admin/invoices?month=${month}&status=not_issued`);
    await expect(page.getByText("No invoice matches these filters")).toBeVisible();
    await page.goBack();
    await expect(page).toHaveURL(`/admin/invoices?month=${month}&status=issued`);

    // CSV: saved under the invoice's number, exactly the API's export.
    const csvExport = await trpcQuery<ExportFile>(page.request, "billing.invoices.export", {
      organizationId: evermore,
      invoiceId: invoice.id,
      format: "csv",
    });
    const [download] = await Promise.all([
      page.waitForEvent("download"),
      row.getByRole("button", { name: `Download ${invoice.number} as CSV` }).click(),
    ]);
    expect(download.suggestedFilename()).toBe(`${invoice.number}.csv`);
    const csv = await readFile((await download.path())!, "utf8");
    expect(csv).toBe(csvExport.body);
    expect(csv.trimEnd().split("\r\n").at(-1)).toContain(`total,${invoice.number},`);
    await expect(page.getByText(`Downloaded ${invoice.number}.csv`)).toBeVisible();

    // Its own page: lines and totals, with the same downloads.
    await row.getByRole("link", { name: invoice.number }).click();
    await expect(page).toHaveURL(`/admin/invoices/${evermore}/${invoice.id}`);
    await expect(page.getByRole("heading", { level: 1, name: `Invoice ${invoice.number}` })).toBeFocused();
    await expect(page.getByRole("link", { name: EVERMORE })).toBeVisible();
    await expect(page.getByRole("table", { name: `Charges for ${monthWords(month!)}` })).toBeVisible();
    await expect(page.getByTestId("invoice-total")).toHaveText(`$${invoice.totalUsd}`);
    const [json] = await Promise.all([
      page.waitForEvent("download"),
      page.getByRole("button", { name: `Download ${invoice.number} as JSON` }).click(),
    ]);
    const data = JSON.parse(await readFile((await json.path())!, "utf8")) as {
      number: string;
      totalUsd: string;
    };
    expect(data).toMatchObject({ number: invoice.number, totalUsd: invoice.totalUsd });
    await expectNoAxeViolations(page);

    await page.getByRole("link", { name: "Back to every invoice" }).click();
    await expect(page).toHaveURL("/admin/invoices");
  });

  test("fits a 375 px screen", async ({ page }) => {
    await page.setViewportSize({ width: 375, height: 800 });
    await page.goto("/admin/invoices");
    await signIn(page, STAFF);
    await expect(page.getByRole("heading", { level: 1, name: "Invoices" })).toBeVisible();
    await expect(page.getByText("Loading invoices…")).toHaveCount(0);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
    await expectNoAxeViolations(page);
  });
});
