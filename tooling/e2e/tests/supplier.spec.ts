import { signIn, whoAmI } from "../support/auth";
import { expect, test } from "../support/fixtures";

const OWNER = "owner@golden-hour.demo";

test.describe("supplier app", () => {
  test.beforeEach(async ({ page }) => {
    await page.goto("/");
    await expect(page.getByRole("heading", { level: 1, name: "Sign in" })).toBeVisible();
  });

  test("a wrong password shows the server's error and stays on the form", async ({ page }) => {
    await signIn(page, OWNER, "not-the-password");

    await expect(page.getByRole("alert")).toHaveText("Wrong email or password");
    await expect(page.getByRole("heading", { level: 1, name: "Sign in" })).toBeVisible();
    await expect(page.getByLabel("Email")).toHaveValue(OWNER);
    await expect(page.getByRole("table")).toHaveCount(0);
    expect((await whoAmI(page)).status).toBe(401);
  });

  test("the owner sees the organization, its tier and its platform configuration", async ({ page }) => {
    await signIn(page, OWNER);

    await expect(page.getByRole("heading", { level: 1, name: "Golden Hour Photography" })).toBeVisible();
    await expect(page.getByText("Professional tier")).toBeVisible();
    const table = page.getByRole("table", { name: "AI platform configuration for Golden Hour Photography" });
    await expect(table.getByRole("row")).toHaveCount(4); // header + three features
    const headers = table.getByRole("columnheader");
    await expect(headers).toHaveText([
      "Feature",
      "Enabled",
      "Daily requests cap",
      "Daily cost cap",
      "Rate limit / min",
      "Model",
      "Availability",
    ]);

    const smartMapping = table.getByRole("row", { name: /smart_mapping/ });
    await expect(smartMapping).toContainText("Requires Enterprise");
    await expect(smartMapping.getByRole("cell").first()).toHaveText("No");
    for (const feature of ["pdf_analysis", "field_extraction"]) {
      const row = table.getByRole("row", { name: new RegExp(feature) });
      await expect(row).toContainText("Included");
      await expect(row).not.toContainText("Requires");
      await expect(row.getByRole("cell").first()).toHaveText("Yes");
    }
    await expect(table.getByRole("row", { name: /pdf_analysis/ })).toContainText("$50.00");
    // One organization: no switcher.
    await expect(page.getByLabel("Organization")).toHaveCount(0);
  });

  test("a reload keeps the session, held in an httpOnly cookie", async ({ page, context }) => {
    await signIn(page, OWNER);
    await expect(page.getByRole("heading", { level: 1, name: "Golden Hour Photography" })).toBeVisible();

    await page.reload();
    await expect(page.getByRole("heading", { level: 1, name: "Golden Hour Photography" })).toBeVisible();
    await expect(page.getByRole("table", { name: /AI platform configuration/ })).toBeVisible();

    const session = (await context.cookies()).find((c) => c.name === "wedsync_session");
    expect(session?.httpOnly).toBe(true);
    expect(await page.evaluate(() => document.cookie)).not.toContain("wedsync_session");
  });

  test("sign out returns to the form and ends the session", async ({ page }) => {
    await signIn(page, OWNER);
    await expect(page.getByRole("heading", { level: 1, name: "Golden Hour Photography" })).toBeVisible();
    expect((await whoAmI(page)).status).toBe(200);

    await page.getByRole("button", { name: "Sign out" }).click();

    await expect(page.getByRole("heading", { level: 1, name: "Sign in" })).toBeVisible();
    await expect(page.getByLabel("Email")).toBeVisible();
    expect(await whoAmI(page)).toEqual({ status: 401, code: "UNAUTHORIZED" });
    await page.reload();
    await expect(page.getByRole("heading", { level: 1, name: "Sign in" })).toBeVisible();
  });

  test("while signing out the dashboard is gone and the form waits for the server", async ({ page }) => {
    await signIn(page, OWNER);
    const table = page.getByRole("table", { name: /AI platform configuration/ });
    await expect(table).toBeVisible();
    await expect(page.getByTestId("live-status").first()).toHaveText("Live");
    // Hold the logout answer until the test has looked at the page in between.
    let releaseLogout!: () => void;
    const released = new Promise<void>((resolve) => {
      releaseLogout = resolve;
    });
    await page.route("**/trpc/auth.logout**", async (route) => {
      await released;
      await route.continue();
    });

    await page.getByRole("button", { name: "Sign out" }).click();
    await expect(page.getByText("Signing out…")).toBeVisible();
    await expect(table).toHaveCount(0);
    await expect(page.getByLabel("Email")).toHaveCount(0);

    releaseLogout();
    await expect(page.getByLabel("Email")).toBeVisible();
    expect(await whoAmI(page)).toEqual({ status: 401, code: "UNAUTHORIZED" });
  });
});

test.describe("organization switcher", () => {
  test("someone in two organizations switches between them, and the choice survives a reload", async ({
    page,
  }) => {
    await page.goto("/");
    await signIn(page, "consultant@wedsync.demo");
    await expect(page.getByRole("heading", { level: 1, name: "Golden Hour Photography" })).toBeVisible();

    await page.getByLabel("Organization").selectOption({ label: "Evermore Wedding Planners (Enterprise)" });
    await page.getByRole("button", { name: "Switch" }).click();
    await expect(page.getByRole("heading", { level: 1, name: "Evermore Wedding Planners" })).toBeVisible();
    const table = page.getByRole("table", {
      name: "AI platform configuration for Evermore Wedding Planners",
    });
    await expect(table.getByRole("row", { name: /smart_mapping/ })).toContainText("Included");

    await page.reload();
    await expect(page.getByRole("heading", { level: 1, name: "Evermore Wedding Planners" })).toBeVisible();
  });
});
