import { readFile } from "node:fs/promises";
import type { APIRequestContext, Locator, Page } from "@playwright/test";
import { organizationId, trpcMutation, trpcQuery } from "../support/api";
import { signIn } from "../support/auth";
import { expectNoAxeViolations } from "../support/axe";
import { expect, test } from "../support/fixtures";

const EVERMORE = "Evermore Wedding Planners";

interface DayUsage {
  day: string;
  requests: number;
  succeeded: number;
  failed: number;
  rejected: number;
}

/** "YYYY-MM-DD" in a timezone (the organization's day). */
function dayIn(timeZone: string, at = new Date()): string {
  return new Intl.DateTimeFormat("en-CA", {
    timeZone,
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
  }).format(at);
}

/** One request through the OpenAI-compatible endpoint with an API key (field extraction, the key's default). */
async function sendRequest(request: APIRequestContext, key: string, text: string) {
  const res = await request.post("/v1/chat/completions", {
    headers: { authorization: `Bearer ${key}` },
    data: { messages: [{ role: "user", content: text }] },
  });
  expect(res.status(), await res.text()).toBe(200);
}

/** The number a meter's value text starts with ("12 of 1,000 requests" → 12). */
async function meterCount(meter: Locator): Promise<number> {
  const text = (await meter.getAttribute("aria-valuetext")) ?? "";
  return Number(text.split(" of ")[0]!.replace(/[^0-9]/g, ""));
}

/** Marks the document: if the page reloads, the mark is gone. */
async function markDocument(page: Page) {
  await page.evaluate(() => {
    (window as unknown as { __noReload: boolean }).__noReload = true;
  });
}
async function expectSameDocument(page: Page) {
  expect(await page.evaluate(() => (window as unknown as { __noReload?: boolean }).__noReload)).toBe(true);
}

test.describe("quotas and usage analytics", () => {
  test("requests sent with an API key move the meters and the request chart live, and the CSV matches the API", async ({
    page,
  }) => {
    test.slow(); // two screens, five requests, two axe runs and a download
    await page.goto("/");
    await signIn(page, "owner@evermore.demo");
    await expect(page).toHaveURL(/\/o\/[0-9a-f-]{36}\/config$/);
    const orgId = await organizationId(page.request, EVERMORE);
    const { secret } = await trpcMutation<{ secret: string }>(page.request, "apiKeys.create", {
      organizationId: orgId,
      name: "Usage screens e2e",
      role: "member",
      defaultFeature: "field_extraction",
    });

    // Quotas: today's field extraction meter, as it stands now (other specs may have sent requests).
    await page
      .getByRole("navigation", { name: "Sections" })
      .getByRole("link", { name: "Quotas & live cost" })
      .click();
    await expect(page.getByRole("heading", { level: 1, name: "Quotas and live cost" })).toBeVisible();
    const card = page.getByRole("region", { name: "Field extraction" });
    const requestsMeter = card.getByRole("meter", { name: "Requests today" });
    await expect(requestsMeter).toBeVisible();
    await expect(page.getByTestId("live-status")).toHaveText("Live");
    const before = await meterCount(requestsMeter);
    await markDocument(page);

    await sendRequest(
      page.request,
      secret,
      "Chloé & Louis marry on 26 June 2027 at Château de Chantilly, 120 guests",
    );
    await expect.poll(() => meterCount(requestsMeter)).toBe(before + 1);
    await sendRequest(page.request, secret, "Léa & Hugo, 17 July 2027, Domaine de Primard");
    await sendRequest(page.request, secret, "Manon & Gabriel: 4 September 2027, 80 guests");
    await expect.poll(() => meterCount(requestsMeter)).toBe(before + 3);
    await expectSameDocument(page);

    // The meter agrees with the counters the caps are checked against.
    const today = dayIn("Europe/Paris");
    const counted = await trpcQuery<{ features: Array<{ featureType: string; requests: number }> }>(
      page.request,
      "usage.byFeature",
      { organizationId: orgId, from: today, to: today },
    );
    await expect
      .poll(() => meterCount(requestsMeter))
      .toBe(counted.features.find((f) => f.featureType === "field_extraction")!.requests);
    // The owner sees the month against the credit limit, and the projection says how it is made.
    await expect(page.getByRole("meter", { name: "Spend this month" })).toHaveAttribute(
      "aria-valuetext",
      /of \$1,000\.00 credit limit$/,
    );
    await expectNoAxeViolations(page);

    // Analytics, this month: the request chart's table moves too, without a reload.
    await page
      .getByRole("navigation", { name: "Sections" })
      .getByRole("link", { name: "Usage analytics" })
      .click();
    await expect(page.getByRole("heading", { level: 1, name: "Usage analytics" })).toBeVisible();
    const chart = page.getByTestId("chart-requests");
    await chart.getByRole("button", { name: "Show as table" }).click();
    const table = chart.getByRole("table", { name: "Requests over time" });
    const todayRow = table
      .getByRole("row")
      .filter({ has: page.getByRole("rowheader", { name: dayWords(today) }) });
    const requestsCell = todayRow.getByRole("cell").first();
    const shown = Number(((await requestsCell.textContent()) ?? "").replace(/[^0-9]/g, ""));
    await markDocument(page);
    await sendRequest(page.request, secret, "Camille & Arthur, 22 May 2027, Vaux-le-Vicomte");
    await expect(requestsCell).toHaveText(new Intl.NumberFormat("en-US").format(shown + 1));
    await expectSameDocument(page);
    await expectNoAxeViolations(page);

    // The chart's CSV: exactly platform.usage's days for the period on screen.
    const [download] = await Promise.all([
      page.waitForEvent("download"),
      chart.getByRole("button", { name: "Download CSV: Requests over time" }).click(),
    ]);
    const from = `${today.slice(0, 7)}-01`;
    expect(download.suggestedFilename()).toBe(`requests_${from}_${today}.csv`);
    const csv = await readFile((await download.path())!, "utf8");
    const usage = await trpcQuery<{ byDay: DayUsage[] }>(page.request, "platform.usage", {
      organizationId: orgId,
      from,
      to: today,
    });
    const byDay = new Map(usage.byDay.map((d) => [d.day, d]));
    const expected = ["Day,Requests,Succeeded,Failed,Turned away"];
    for (let d = from; d <= today; d = nextDay(d)) {
      const u = byDay.get(d);
      expected.push([d, u?.requests ?? 0, u?.succeeded ?? 0, u?.failed ?? 0, u?.rejected ?? 0].join(","));
    }
    expect(csv).toBe(`${expected.join("\r\n")}\r\n`);
    expect(byDay.get(today)!.requests).toBeGreaterThanOrEqual(4);
  });

  test("the period lives in the address: a choice is a new entry, Back returns, a bad range is refused", async ({
    page,
  }) => {
    test.slow(); // several screens, each checked with axe
    await page.goto("/");
    await signIn(page, "owner@evermore.demo");
    await expect(page).toHaveURL(/\/config$/);
    const orgId = await organizationId(page.request, EVERMORE);
    await page.goto(`/o/${orgId}/analytics`);
    await expect(page.getByRole("radio", { name: "This month" })).toBeChecked();
    const periods = page.getByRole("radiogroup", { name: "Period" });
    await periods.getByText("Last 30 days").click();
    await expect(page).toHaveURL(/period=30d/);
    await expect(page.getByRole("radio", { name: "Last 30 days" })).toBeChecked();
    await page.goBack();
    await expect(page.getByRole("radio", { name: "This month" })).toBeChecked();

    // A shared link to a year opens that year, month by month.
    const lastYear = Number(dayIn("Europe/Paris").slice(0, 4)) - 1;
    await page.goto(`/o/${orgId}/analytics?period=year&year=${lastYear}`);
    await expect(page.getByRole("radio", { name: "A year" })).toBeChecked();
    await expect(
      page.getByText(`1 January ${lastYear} – 31 December ${lastYear}, in Europe/Paris days.`),
    ).toBeVisible();

    // A range past 400 days in a link: this month instead, and why.
    await page.goto(`/o/${orgId}/analytics?period=range&from=2020-01-01&to=2022-01-01`);
    await expect(
      page.getByText(/A range can span at most 400 days\. Showing this month instead\./),
    ).toBeVisible();
    await expectNoAxeViolations(page);
  });

  test("a member sees today's meters and who sees the credit limit", async ({ page }) => {
    await page.goto("/");
    await signIn(page, "member@evermore.demo");
    await expect(page).toHaveURL(/\/config$/);
    const orgId = await organizationId(page.request, EVERMORE);
    await page.goto(`/o/${orgId}/quotas`);
    await expect(
      page.getByRole("region", { name: "Field extraction" }).getByRole("meter", { name: "Requests today" }),
    ).toBeVisible();
    await expect(page.getByText("Owners and admins see the monthly credit limit.")).toBeVisible();
    await expect(page.getByRole("meter", { name: "Spend this month" })).toHaveCount(0);
    await expectNoAxeViolations(page);
  });

  test("an organization without usage is told how to send its first request", async ({ page }) => {
    test.slow(); // two screens, each checked with axe
    await page.goto("/");
    await signIn(page, "owner@bloom-petal.demo");
    await expect(page).toHaveURL(/\/config$/);
    const orgId = await organizationId(page.request, "Bloom & Petal Florals");
    const today = dayIn("Europe/London");
    const history = await trpcQuery<{ rows: unknown[]; lastEventSeq: number }>(
      page.request,
      "usage.byFeature",
      {
        organizationId: orgId,
        from: `${Number(today.slice(0, 4)) - 3}${today.slice(4, 7)}-01`,
        to: today,
        by: "month",
      },
    );
    const unused = history.rows.length === 0 && history.lastEventSeq === 0;

    // A period long before the demo data: empty either way; which empty state depends on the organization.
    await page.goto(`/o/${orgId}/analytics?period=range&from=2021-01-01&to=2021-01-31`);
    const title = unused ? "No AI requests yet" : "No requests in this period";
    await expect(page.getByText(title, { exact: true })).toBeVisible();
    if (unused) {
      await page.getByRole("link", { name: "API & keys" }).last().click();
      await expect(page).toHaveURL(new RegExp(`/o/${orgId}/api`));
      await page.goto(`/o/${orgId}/analytics?period=range&from=2021-01-01&to=2021-01-31`);
      await expect(page.getByText(title, { exact: true })).toBeVisible();
    }
    await expectNoAxeViolations(page);
    await page.goto(`/o/${orgId}/quotas`);
    await expect(page.getByRole("heading", { level: 1, name: "Quotas and live cost" })).toBeVisible();
    if (unused) await expect(page.getByText("No AI requests yet", { exact: true })).toBeVisible();
    await expectNoAxeViolations(page);
  });
});

/** "2026-05-20" → "20 May 2026", as the tables write a day. */
function dayWords(day: string): string {
  return new Intl.DateTimeFormat("en-GB", {
    day: "numeric",
    month: "long",
    year: "numeric",
    timeZone: "UTC",
  }).format(new Date(`${day}T00:00:00Z`));
}

function nextDay(day: string): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
}
