import { signIn } from "../support/auth";
import { expect, test } from "../support/fixtures";

test.describe("admin app", () => {
  test.beforeEach(async ({ page }) => {
    await page.goto("/admin/");
    await expect(page.getByRole("heading", { level: 1, name: "Sign in to WedSync Admin" })).toBeVisible();
  });

  test("someone who is not platform staff is told so and sees no organizations", async ({ page }) => {
    await signIn(page, "member@evermore.demo");

    await expect(page.getByRole("heading", { level: 1, name: "Platform staff only" })).toBeVisible();
    await expect(page.getByRole("table")).toHaveCount(0);
    await expect(page.getByRole("button", { name: "Sign out" })).toBeVisible();
  });

  test("staff see every organization and one organization's configuration", async ({ page }) => {
    await signIn(page, "staff@wedsync.demo");

    await expect(page.getByRole("heading", { level: 1, name: "Organizations" })).toBeVisible();
    const organizations = page.getByRole("table", { name: /Every organization/ });
    await expect(organizations.getByRole("row")).toHaveCount(4); // header + the three demo organizations
    await expect(organizations.getByRole("rowheader")).toContainText([
      "Bloom & Petal Florals",
      "Evermore Wedding Planners",
      "Golden Hour Photography",
    ]);
    const evermoreRow = organizations.getByRole("row", { name: /Evermore Wedding Planners/ });
    await expect(evermoreRow).toContainText("Enterprise");
    await expect(evermoreRow).toContainText("Europe/Paris");
    await expect(evermoreRow).toContainText("6");

    await page.getByRole("link", { name: "Evermore Wedding Planners" }).click();

    await expect(page.getByRole("heading", { level: 2, name: "Evermore Wedding Planners" })).toBeFocused();
    await expect(page.getByText("Enterprise tier")).toBeVisible();
    await expect(page).toHaveURL(/[?]org=[0-9a-f-]{36}$/);
    const config = page.getByRole("table", {
      name: "AI platform configuration for Evermore Wedding Planners",
    });
    await expect(config.getByRole("row")).toHaveCount(4);
    await expect(config).not.toContainText("Requires");
    await expect(
      config
        .getByRole("row", { name: /smart_mapping/ })
        .getByRole("cell")
        .first(),
    ).toHaveText("Yes");

    // The selection is in the address: a reload shows the same organization.
    await page.reload();
    await expect(page.getByRole("heading", { level: 2, name: "Evermore Wedding Planners" })).toBeVisible();
  });

  test("staff see each AI provider's health", async ({ page }) => {
    await signIn(page, "staff@wedsync.demo");
    const providers = page.getByRole("table", { name: /AI providers/ });
    // npm start without OPENAI_API_KEY: the local rules engine is the only provider.
    const local = providers.getByRole("row", { name: /local/ });
    await expect(local).toContainText("primary");
    await expect(local).toContainText("Healthy");
  });

  test("staff see the service levels of every endpoint over the last day", async ({ page }) => {
    await signIn(page, "staff@wedsync.demo");
    await expect(page.getByRole("heading", { level: 2, name: "Service levels" })).toBeVisible();
    const verdict = page.getByTestId("sla-verdict");
    // Response times are written in batches each second: this page's own calls show up shortly.
    await expect(async () => {
      await page.reload();
      await expect(verdict).toContainText(/endpoints (met|broke) the SLA/, { timeout: 2_000 });
    }).toPass({ timeout: 20_000 });
    const table = page.getByRole("table", { name: /Endpoints, last 24 hours/ });
    await expect(table.getByRole("row", { name: /trpc:auth\.session/ })).toBeVisible();
  });
});
