import { signIn } from "../support/auth";
import { expect, test } from "../support/fixtures";

// Every test fails on console errors (see support/fixtures.ts); these walk every page of both
// apps on purpose, so a page no other test reaches cannot hide one.
test.describe("no console errors", () => {
  test("supplier app: sign-in, configuration, reload, sign-out", async ({ page, consoleErrors }) => {
    await page.goto("/");
    await signIn(page, "owner@bloom-petal.demo");
    await expect(page.getByRole("heading", { level: 1, name: "AI configuration" })).toBeVisible();
    await expect(page.getByRole("banner")).toContainText("Bloom & Petal Florals");
    await expect(page.getByRole("banner")).toContainText("Free");
    const pdf = page.getByRole("article", { name: "PDF analysis" });
    await expect(pdf).toContainText("Locked: included from the Professional plan");
    await page.reload();
    await expect(pdf).toBeVisible();
    await page.getByRole("button", { name: "Sign out" }).click();
    await expect(page.getByLabel("Email")).toBeVisible();
    expect(consoleErrors).toEqual([]);
  });

  test("supplier app for someone in no organization", async ({ page, consoleErrors }) => {
    await page.goto("/");
    await signIn(page, "staff@wedsync.demo");
    await expect(page.getByRole("heading", { level: 1, name: "No organization yet" })).toBeVisible();
    await expect(page.getByRole("link", { name: "admin app" })).toHaveAttribute("href", "/admin/");
    expect(consoleErrors).toEqual([]);
  });

  test("admin app: sign-in, staff only, organizations, configuration, sign-out", async ({
    page,
    consoleErrors,
  }) => {
    await page.goto("/admin/");
    await signIn(page, "admin@golden-hour.demo");
    await expect(page.getByRole("heading", { level: 1, name: "Platform staff only" })).toBeVisible();
    await page.getByRole("button", { name: "Sign out" }).click();

    await signIn(page, "staff@wedsync.demo");
    await page.getByRole("link", { name: "Golden Hour Photography", exact: true }).click();
    await expect(page.getByRole("heading", { level: 1, name: "Golden Hour Photography" })).toBeVisible();
    await page.getByRole("link", { name: "All organizations" }).click();
    await page.getByRole("link", { name: "Bloom & Petal Florals", exact: true }).click();
    await expect(page.getByRole("heading", { level: 1, name: "Bloom & Petal Florals" })).toBeVisible();
    await page.goBack();
    await page.goBack();
    await expect(page.getByRole("heading", { level: 1, name: "Golden Hour Photography" })).toBeVisible();
    await page.getByRole("link", { name: "Service levels" }).click();
    await expect(page.getByRole("heading", { level: 1, name: "Service levels" })).toBeVisible();
    await page.getByRole("button", { name: "Sign out" }).click();
    await expect(page.getByLabel("Email")).toBeVisible();
    expect(consoleErrors).toEqual([]);
  });
});
