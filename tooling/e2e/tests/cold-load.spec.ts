/**
 * What a cold load asks the network for. The page carries who is signed in and the organization's
 * configuration (first-paint data; on the configuration screen its models and change history too),
 * and preloads the screen's code with the entry: a screen's first API request is then its own
 * data, never "who am I" or "which organization", and the configuration screen asks for nothing.
 */
import type { Page, Request } from "@playwright/test";
import { signIn } from "../support/auth";
import { expect, test } from "../support/fixtures";

/** The tRPC queries and mutations the page called, in order, from the moment this starts (not its live streams). */
function recordProcedures(page: Page): string[] {
  const called: string[] = [];
  page.on("request", (req: Request) => {
    const url = new URL(req.url());
    const stream = req.headers().accept?.includes("text/event-stream") ?? false;
    if (url.pathname.startsWith("/trpc/") && !stream) called.push(...url.pathname.slice(6).split(","));
  });
  return called;
}

test.describe("cold loads", () => {
  test("a signed-in screen starts without asking who is signed in or for its organization", async ({
    page,
    browser,
  }) => {
    await page.goto("/");
    await signIn(page, "owner@evermore.demo");
    await expect(page).toHaveURL(/\/o\/[0-9a-f-]{36}\/config$/);
    const configUrl = new URL(page.url()).pathname;

    // A new tab: the session cookie and nothing cached.
    const context = await browser.newContext({ storageState: await page.context().storageState() });
    const tab = await context.newPage();
    const called = recordProcedures(tab);
    await tab.goto(configUrl);
    await expect(tab.getByRole("heading", { level: 1, name: "AI configuration" })).toBeVisible();
    await expect(tab.getByRole("switch").first()).toBeVisible();
    // The change history and the model list came with the page too: the screen asked for nothing.
    await expect(tab.getByRole("heading", { name: "Change history" })).toBeVisible();
    await expect(tab.getByText("Loading", { exact: false })).toHaveCount(0);
    expect(called).toEqual([]);

    // The screen's code was asked for with the page, before the entry bundle ran.
    const preloaded = await tab.evaluate(() =>
      Array.from(document.querySelectorAll<HTMLLinkElement>('link[rel="modulepreload"]'), (l) => l.href),
    );
    expect(preloaded.some((href) => /\/assets\/config-[\w-]+\.js$/.test(href))).toBe(true);
    expect(preloaded.some((href) => /\/assets\/analytics-[\w-]+\.js$/.test(href))).toBe(false);
    await context.close();
  });

  test("signed out, a deep link shows the sign-in form without a request", async ({ page }) => {
    const called = recordProcedures(page);
    await page.goto("/o/e03decac-1238-4eaf-b40b-19dc26d68f99/analytics");
    await expect(page.getByRole("button", { name: "Sign in" })).toBeVisible();
    expect(called).toEqual([]);
  });
});
