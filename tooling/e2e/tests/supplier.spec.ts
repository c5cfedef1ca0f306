import { signIn, whoAmI } from "../support/auth";
import { expect, test } from "../support/fixtures";

// Signing in and out of the supplier app, and the session behind it. The screens themselves have
// their own specs (config.spec.ts, shell.spec.ts, …).
const OWNER = "owner@golden-hour.demo";
const CONFIG = /\/o\/[0-9a-f-]{36}\/config$/;

test.describe("supplier app session", () => {
  test.beforeEach(async ({ page }) => {
    await page.goto("/");
    await expect(page.getByRole("heading", { level: 1, name: "Sign in" })).toBeVisible();
  });

  test("a wrong password shows the server's error and stays on the form", async ({ page }) => {
    await signIn(page, OWNER, "not-the-password");

    await expect(page.getByRole("alert")).toHaveText("Wrong email or password");
    await expect(page.getByRole("heading", { level: 1, name: "Sign in" })).toBeVisible();
    await expect(page.getByLabel("Email")).toHaveValue(OWNER);
    await expect(page.getByRole("navigation", { name: "Sections" })).toHaveCount(0);
    expect((await whoAmI(page)).status).toBe(401);
  });

  test("a reload keeps the session, held in an httpOnly cookie", async ({ page, context }) => {
    await signIn(page, OWNER);
    await expect(page).toHaveURL(CONFIG);
    await expect(page.getByRole("heading", { level: 1, name: "AI configuration" })).toBeVisible();

    await page.reload();
    await expect(page.getByRole("heading", { level: 1, name: "AI configuration" })).toBeVisible();
    await expect(page.getByRole("switch", { name: "Field extraction" })).toBeVisible();

    const session = (await context.cookies()).find((c) => c.name === "wedsync_session");
    expect(session?.httpOnly).toBe(true);
    expect(await page.evaluate(() => document.cookie)).not.toContain("wedsync_session");
  });

  test("sign out returns to the form and ends the session", async ({ page }) => {
    await signIn(page, OWNER);
    await expect(page.getByRole("heading", { level: 1, name: "AI configuration" })).toBeVisible();
    expect((await whoAmI(page)).status).toBe(200);

    await page.getByRole("button", { name: "Sign out" }).click();

    await expect(page.getByRole("heading", { level: 1, name: "Sign in" })).toBeVisible();
    await expect(page.getByLabel("Email")).toBeVisible();
    expect(await whoAmI(page)).toEqual({ status: 401, code: "UNAUTHORIZED" });
    await page.reload();
    await expect(page.getByRole("heading", { level: 1, name: "Sign in" })).toBeVisible();
  });

  test("while signing out the screen is gone and the form waits for the server", async ({ page }) => {
    await signIn(page, OWNER);
    const features = page.getByRole("region", { name: "Features" });
    await expect(features).toBeVisible();
    await expect(page.getByTestId("live-status")).toHaveText("Live", { timeout: 20_000 });
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
    await expect(features).toHaveCount(0);
    await expect(page.getByLabel("Email")).toHaveCount(0);

    releaseLogout();
    await expect(page.getByLabel("Email")).toBeVisible();
    expect(await whoAmI(page)).toEqual({ status: 401, code: "UNAUTHORIZED" });
  });
});
