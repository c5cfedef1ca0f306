import type { APIRequestContext } from "@playwright/test";
import { signIn } from "../support/auth";
import { expect, test } from "../support/fixtures";

const OWNER = "owner@evermore.demo";

/** A tRPC call over plain HTTP with the page's session cookie (superjson's { json } envelope). */
async function trpcQuery<T>(request: APIRequestContext, path: string, input: unknown): Promise<T> {
  const res = await request.get(`/trpc/${path}?input=${encodeURIComponent(JSON.stringify({ json: input }))}`);
  expect(res.ok()).toBe(true);
  return ((await res.json()) as { result: { data: { json: T } } }).result.data.json;
}
async function trpcMutation<T>(request: APIRequestContext, path: string, input: unknown): Promise<T> {
  const res = await request.post(`/trpc/${path}`, { data: { json: input } });
  expect(res.ok(), await res.text()).toBe(true);
  return ((await res.json()) as { result: { data: { json: T } } }).result.data.json;
}

test.describe("realtime dashboard", () => {
  test("a configuration change made elsewhere appears without a reload, and is announced", async ({
    page,
  }) => {
    await page.goto("/");
    await signIn(page, OWNER);
    const table = page.getByRole("table", {
      name: "AI platform configuration for Evermore Wedding Planners",
    });
    await expect(table).toBeVisible();
    await expect(page.getByTestId("live-status").first()).toHaveText("Live");

    // Another tab, user or instance: here the same session over plain HTTP.
    const config = await trpcQuery<{
      features: Array<{ featureType: string; version: number; rateLimitPerMinute: number }>;
    }>(page.request, "platform.config.get", {});
    const smart = config.features.find((f) => f.featureType === "smart_mapping")!;
    // A value it does not have yet (an unchanged value would be no change, and announce nothing).
    const limit = smart.rateLimitPerMinute + 1;
    await trpcMutation(page.request, "platform.config.update", {
      featureType: "smart_mapping",
      expectedVersion: smart.version,
      patch: { rateLimitPerMinute: limit },
    });

    await expect(table.getByRole("row", { name: /smart_mapping/ })).toContainText(String(limit));
    await expect(
      page.getByText(`smart_mapping changed (version ${smart.version + 1}, update)`),
    ).toBeVisible();
  });

  test("requests appear in the live activity as they are recorded", async ({ page }) => {
    await page.goto("/");
    await signIn(page, OWNER);
    await expect(page.getByTestId("live-status").first()).toHaveText("Live");
    const totals = page.getByTestId("live-usage-totals");
    await expect(totals).toContainText("0 requests");
    // The month's usage (from the rollups) before the request.
    const requestsStat = page.getByTestId("usage-totals").getByRole("definition").first();
    await expect(requestsStat).toHaveText(/^\d+$/);
    const before = Number(await requestsStat.textContent());

    // A client that may use field extraction: the demo data switches it off for one of them.
    const { clients } = await trpcQuery<{ clients: Array<{ id: string }> }>(page.request, "clients.list", {});
    let clientId: string | undefined;
    for (const c of clients) {
      const config = await trpcQuery<{
        features: Array<{ featureType: string; effective: { isEnabled: boolean } }>;
      }>(page.request, "clients.config.get", { clientId: c.id });
      if (config.features.find((f) => f.featureType === "field_extraction")?.effective.isEnabled) {
        clientId = c.id;
        break;
      }
    }
    expect(clientId).toBeDefined();
    await trpcMutation(page.request, "clients.process", {
      clientId,
      featureType: "field_extraction",
      input: { text: "Sophie & James marry on 14 August 2027 at Hedsor House, 95 guests" },
    });

    await expect(totals).toContainText("1 requests");
    const latest = page.getByRole("table", { name: "Latest requests" });
    await expect(latest.getByRole("row").nth(1)).toContainText("field_extraction");
    await expect(latest.getByRole("row").nth(1)).toContainText("succeeded");
    // The usage panel refreshed itself from the same event.
    await expect(requestsStat).toHaveText(String(before + 1));
    await expect(page.getByRole("table", { name: "Usage by feature" })).toContainText("Field extraction");
  });
});
