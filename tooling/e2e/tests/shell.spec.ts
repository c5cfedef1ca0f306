import { signIn } from "../support/auth";
import { expectNoAxeViolations } from "../support/axe";
import { expect, test } from "../support/fixtures";

const ORG_URL = /\/o\/[0-9a-f-]{36}\/config$/;

test.describe("supplier app shell", () => {
  test("a deep link survives sign-in, Back works, and every section has its own address", async ({
    page,
  }) => {
    await page.goto("/");
    await signIn(page, "owner@golden-hour.demo");
    await expect(page).toHaveURL(ORG_URL);
    const orgId = /\/o\/([^/]+)\//.exec(page.url())![1]!;
    await expect(page.getByText("Golden Hour Photography").first()).toBeVisible();

    const nav = page.getByRole("navigation", { name: "Sections" });
    await nav.getByRole("link", { name: "Clients" }).click();
    await expect(page).toHaveURL(`/o/${orgId}/clients`);
    await expect(nav.getByRole("link", { name: "Clients" })).toHaveAttribute("aria-current", "page");
    await page.goBack();
    await expect(page).toHaveURL(ORG_URL);

    // A shared link opens at its screen after signing in (a new context: no session yet).
    const other = await page.context().browser()!.newContext();
    const tab = await other.newPage();
    await tab.goto(`/o/${orgId}/analytics`);
    await signIn(tab, "owner@golden-hour.demo");
    await expect(tab).toHaveURL(`/o/${orgId}/analytics`);
    await expect(tab.getByRole("heading", { level: 1 })).toBeVisible();
    await other.close();
  });

  test("unknown addresses and other organizations get a not-found page, not the dashboard", async ({
    page,
  }) => {
    await page.goto("/");
    await signIn(page, "owner@bloom-petal.demo");
    await expect(page).toHaveURL(ORG_URL);

    await page.goto("/no/such/screen");
    await expect(page.getByRole("heading", { level: 1, name: "This page does not exist" })).toBeVisible();
    await expectNoAxeViolations(page);

    // Golden Hour's id, seen from Bloom & Petal: not a member, so it does not exist for them.
    await page.goto("/o/00000000-0000-4000-8000-000000000000/config");
    await expect(
      page.getByRole("heading", { level: 1, name: "This organization does not exist" }),
    ).toBeVisible();
    await page.getByRole("link", { name: "Go to your dashboard" }).click();
    await expect(page).toHaveURL(ORG_URL);
  });

  test("someone in two organizations switches between them from the header", async ({ page }) => {
    await page.goto("/");
    await signIn(page, "consultant@wedsync.demo");
    await expect(page).toHaveURL(ORG_URL);
    const first = page.url();
    // Organizations come in name order: Golden Hour (admin there) first, then Evermore (member).
    const switcher = page.getByRole("button", { name: /Organization/ });
    await expect(switcher).toContainText("Golden Hour Photography");
    const billing = page.getByRole("navigation", { name: "Sections" }).getByRole("link", { name: "Billing" });
    await expect(billing).toBeVisible();
    await switcher.click();
    await page.getByRole("option", { name: /Evermore Wedding Planners/ }).click();
    await expect(page).not.toHaveURL(first);
    await expect(page).toHaveURL(ORG_URL);
    await expect(page.getByRole("button", { name: /Organization/ })).toContainText(
      "Evermore Wedding Planners",
    );
    // A member there: billing and alerts are not offered.
    await expect(billing).toHaveCount(0);
    // The choice is remembered: "/" now opens Evermore.
    await page.goto("/");
    await expect(page.getByRole("button", { name: /Organization/ })).toContainText(
      "Evermore Wedding Planners",
    );
    await page.goto(first);
    await expect(billing).toBeVisible();
  });

  test("at 375 px wide the sections stay reachable and nothing scrolls sideways", async ({ page }) => {
    await page.setViewportSize({ width: 375, height: 740 });
    await page.goto("/");
    await signIn(page, "owner@evermore.demo");
    await expect(page).toHaveURL(ORG_URL);
    await page.getByRole("navigation", { name: "Sections" }).getByRole("link", { name: "Billing" }).click();
    await expect(page).toHaveURL(/\/billing$/);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
  });

  test("sign-out returns to the sign-in form", async ({ page }) => {
    await page.goto("/");
    await signIn(page, "member@evermore.demo");
    await expect(page).toHaveURL(ORG_URL);
    await page.getByRole("button", { name: "Sign out" }).click();
    await expect(page.getByLabel("Email")).toBeVisible();
  });
});
