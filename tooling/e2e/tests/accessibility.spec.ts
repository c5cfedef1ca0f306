import AxeBuilder from "@axe-core/playwright";
import type { Page } from "@playwright/test";
import { signIn } from "../support/auth";
import { expect, test } from "../support/fixtures";

const WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21aa"];

/** axe on the page as it is now; on failure, lists each rule with the elements that break it. */
async function expectNoViolations(page: Page) {
  const results = await new AxeBuilder({ page }).withTags(WCAG_21_AA).analyze();
  const summary = results.violations.map((v) => ({
    rule: v.id,
    impact: v.impact,
    help: v.help,
    targets: v.nodes.map((n) => n.target.join(" ")),
  }));
  expect(summary).toEqual([]);
}

// The supplier app's screens are checked in their own specs, in each state they reach
// (config.spec.ts: normal, dialog open, conflict shown, read-only, 375 px wide).
test.describe("accessibility (WCAG 2.1 AA, axe)", () => {
  test("supplier sign-in page, including its error state", async ({ page }) => {
    await page.goto("/");
    await expect(page.getByRole("heading", { level: 1, name: "Sign in" })).toBeVisible();
    await expectNoViolations(page);

    await signIn(page, "owner@golden-hour.demo", "not-the-password");
    await expect(page.getByRole("alert")).toBeVisible();
    await expectNoViolations(page);
  });

  test("admin sign-in page", async ({ page }) => {
    await page.goto("/admin/");
    await expect(page.getByRole("heading", { level: 1, name: "Sign in to WedSync Admin" })).toBeVisible();
    await expectNoViolations(page);
  });

  test("admin 'platform staff only' page", async ({ page }) => {
    await page.goto("/admin/");
    await signIn(page, "member@evermore.demo");
    await expect(page.getByRole("heading", { level: 1, name: "Platform staff only" })).toBeVisible();
    await expectNoViolations(page);
  });

  test("admin dashboard with an organization selected", async ({ page }) => {
    await page.goto("/admin/");
    await signIn(page, "staff@wedsync.demo");
    await page.getByRole("link", { name: "Evermore Wedding Planners", exact: true }).click();
    await expect(page.getByRole("table", { name: /AI platform configuration/ })).toBeVisible();
    await expectNoViolations(page);
  });
});
