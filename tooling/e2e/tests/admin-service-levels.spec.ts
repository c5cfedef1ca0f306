import { readFile } from "node:fs/promises";
import type { APIRequestContext, Page } from "@playwright/test";
import { trpcQuery } from "../support/api";
import { signIn } from "../support/auth";
import { expectNoAxeViolations } from "../support/axe";
import { expect, test } from "../support/fixtures";

const STAFF = "staff@wedsync.demo";
const GOLDEN = "Golden Hour Photography";
/** Called only by this spec while it runs: its count on screen can be compared with the API's. */
const ENDPOINT = "trpc:billing.creditStatus";

interface Row {
  requests: number;
  p95Ms: number | null;
}
interface Overview {
  endpoints: Array<Row & { endpoint: string }>;
  organizations: Array<Row & { organizationId: string; name: string | null }>;
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

const endpointTable = (page: Page) => page.getByTestId("endpoint-sla");
const organizationTable = (page: Page) => page.getByTestId("organization-sla");
/** The Requests cell (the first after the row's header). */
const requestsCell = (page: Page, table: "endpoint" | "organization", name: RegExp) =>
  (table === "endpoint" ? endpointTable(page) : organizationTable(page))
    .getByRole("row", { name })
    .getByRole("cell")
    .first();

test.describe("admin: service levels", () => {
  test.describe.configure({ timeout: 120_000 });

  test("staff see the API's figures per endpoint and organization, choose the period in the address, and download a chart's CSV", async ({
    page,
  }) => {
    await page.goto("/admin/service-levels");
    await signIn(page, STAFF);
    await expect(page.getByRole("heading", { level: 1, name: "Service levels" })).toBeFocused();

    // A few requests for Golden Hour, through an endpoint nothing else calls meanwhile.
    const golden = await orgId(page.request, GOLDEN);
    for (let i = 0; i < 4; i++) {
      await trpcQuery(page.request, "billing.creditStatus", { organizationId: golden });
    }

    // Response times are written each second: reload until the screen and the API agree.
    await expect(async () => {
      await page.reload();
      const api = await trpcQuery<Overview>(page.request, "serviceLevels.overview", { hours: 24 });
      const endpoint = api.endpoints.find((e) => e.endpoint === ENDPOINT);
      expect(endpoint?.requests ?? 0).toBeGreaterThanOrEqual(4);
      await expect(requestsCell(page, "endpoint", /trpc:billing\.creditStatus/)).toHaveText(
        endpoint!.requests.toLocaleString("en-US"),
        { timeout: 2_000 },
      );
      const org = api.organizations.find((o) => o.organizationId === golden)!;
      await expect(requestsCell(page, "organization", new RegExp(GOLDEN))).toHaveText(
        org.requests.toLocaleString("en-US"),
        { timeout: 2_000 },
      );
    }).toPass({ timeout: 30_000 });
    await expect(page.getByTestId("sla-verdict")).toContainText(/endpoints (met|broke) the SLA/);
    await expect(endpointTable(page).getByRole("row", { name: /trpc:billing\.creditStatus/ })).toContainText(
      /Met|Broken: /,
    );
    await expect(organizationTable(page).getByRole("link", { name: GOLDEN })).toHaveAttribute(
      "href",
      `/admin/organizations/${golden}`,
    );
    // The e2e server has no OPENAI_API_KEY: the local rules engine is the only provider.
    const local = page.getByTestId("providers").getByRole("row", { name: /Local rules engine/ });
    await expect(local).toContainText("Primary");
    await expect(local).toContainText("Healthy");
    await expect(page.getByTestId("config-cache")).toContainText(/configuration|cache/);
    await expectNoAxeViolations(page);

    // A chart's table and its CSV: the same figures.
    const chart = page.getByTestId("chart-endpoints");
    await chart.getByRole("button", { name: "Show as table" }).click();
    await expect(chart.getByRole("table", { name: "Response times by endpoint" })).toBeVisible();
    await expectNoAxeViolations(page);
    const [download] = await Promise.all([
      page.waitForEvent("download"),
      chart.getByRole("button", { name: "Download CSV: Response times by endpoint" }).click(),
    ]);
    expect(download.suggestedFilename()).toBe("endpoints_last-24-hours_utc.csv");
    const csv = (await readFile((await download.path())!, "utf8")).split("\r\n");
    expect(csv[0]).toBe("Endpoint,Requests,p50 (ms),p95 (ms),p99 (ms),Server errors (%)");
    // The chart draws the busiest endpoints (the whole suite's traffic decides which): the
    // busiest of all is among them, with its figures.
    const now = await trpcQuery<Overview>(page.request, "serviceLevels.overview", { hours: 24 });
    const busiest = [...now.endpoints].sort((a, b) => b.requests - a.requests)[0]!;
    expect(csv.some((line) => line.startsWith(`${busiest.endpoint},`) && /,\d+,/.test(line))).toBe(true);
    expect(csv.length - 1).toBe(await chart.getByRole("table").getByRole("row").count());

    // The period is the address: the last 7 days still hold today's requests…
    await page.getByRole("radiogroup", { name: "Period" }).getByText("Last 7 days").click();
    await expect(page).toHaveURL("/admin/service-levels?period=7d");
    await expect(page.getByRole("heading", { level: 2, name: "Last 7 days" })).toBeVisible();
    await expect(endpointTable(page).getByRole("row", { name: /trpc:billing\.creditStatus/ })).toBeVisible();

    // …chosen days start from today, in the date range picker…
    await page.getByRole("radiogroup", { name: "Period" }).getByText("Chosen days").click();
    const today = new Date().toISOString().slice(0, 10);
    await expect(page).toHaveURL(`/admin/service-levels?period=range&from=${today}&to=${today}`);
    await expect(page.getByRole("group", { name: "Days" })).toBeVisible();
    await expect(endpointTable(page).getByRole("row", { name: /trpc:billing\.creditStatus/ })).toBeVisible();
    await expectNoAxeViolations(page);

    // …and days before the server started have no requests at all.
    const day = (back: number) => new Date(Date.now() - back * 86_400_000).toISOString().slice(0, 10);
    await page.goto(`/admin/service-levels?period=range&from=${day(9)}&to=${day(8)}`);
    await expect(page.getByText("No requests in this period", { exact: true })).toBeVisible();
    await expect(endpointTable(page)).toHaveCount(0);
    await expect(page.getByTestId("providers")).toBeVisible();

    // Back returns to the previous period.
    await page.goBack();
    await expect(page).toHaveURL(`/admin/service-levels?period=range&from=${today}&to=${today}`);
  });

  test("fits a 375 px screen", async ({ page }) => {
    await page.setViewportSize({ width: 375, height: 800 });
    await page.goto("/admin/service-levels");
    await signIn(page, STAFF);
    await expect(page.getByTestId("providers")).toBeVisible();
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
    await expectNoAxeViolations(page);
  });
});
