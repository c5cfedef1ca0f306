import type { APIRequestContext, Page } from "@playwright/test";
import { organizationId, trpcMutation, trpcQuery } from "../support/api";
import { signIn } from "../support/auth";
import { expectNoAxeViolations } from "../support/axe";
import { expect, test } from "../support/fixtures";

// The AI configuration screen of Golden Hour Photography (professional plan: smart mapping locked).
const ORG = "Golden Hour Photography";
const OWNER = "owner@golden-hour.demo";

interface Feature {
  featureType: "pdf_analysis" | "field_extraction" | "smart_mapping";
  isEnabled: boolean;
  maxRequestsPerDay: number;
  maxCostPerDay: string;
  rateLimitPerMinute: number;
  model: string;
  version: number;
}

/** What the server stores now (specs share the demo data: never assume a value). */
async function stored(request: APIRequestContext, orgId: string, featureType: Feature["featureType"]) {
  const config = await trpcQuery<{ features: Feature[] }>(request, "platform.config.get", {
    organizationId: orgId,
  });
  return config.features.find((f) => f.featureType === featureType)!;
}

/** Signed in at the organization's configuration screen, with the live stream connected. */
async function openConfig(page: Page, email = OWNER, org = ORG) {
  await page.goto("/");
  await signIn(page, email);
  await expect(page.getByRole("heading", { level: 1, name: "AI configuration" })).toBeVisible();
  // The stream may take a moment to open on a busy machine.
  await expect(page.getByTestId("live-status")).toHaveText("Live", { timeout: 20_000 });
  const orgId = await organizationId(page.request, org);
  await expect(page).toHaveURL(`/o/${orgId}/config`);
  return orgId;
}

const card = (page: Page, name: string) => page.getByRole("article", { name });

test.describe("AI configuration", () => {
  // Each test signs in (a deliberately slow password hash) and most run axe: room for a busy machine.
  test.describe.configure({ timeout: 60_000 });

  test("a switch really toggles the feature, a second signed-in window follows live, and Undo puts it back", async ({
    page,
    browser,
  }) => {
    test.slow(); // two signed-in browsers and an axe pass
    const orgId = await openConfig(page);
    const before = await stored(page.request, orgId, "pdf_analysis");
    await expectNoAxeViolations(page);

    // Another person, in another browser context, on the same screen.
    const otherContext = await browser.newContext();
    const other = await otherContext.newPage();
    await openConfig(other, "admin@golden-hour.demo");
    const theirSwitch = other.getByRole("switch", { name: "PDF analysis" });
    if (before.isEnabled) await expect(theirSwitch).toBeChecked();
    else await expect(theirSwitch).not.toBeChecked();

    const mySwitch = page.getByRole("switch", { name: "PDF analysis" });
    await mySwitch.click({ force: true });
    const after = !before.isEnabled;
    await expect(
      page.getByRole("status").filter({ hasText: `PDF analysis switched ${after ? "on" : "off"}.` }),
    ).toBeVisible();
    expect((await stored(page.request, orgId, "pdf_analysis")).isEnabled).toBe(after);
    // No reload in the other window: the change event refreshed it.
    if (after) await expect(theirSwitch).toBeChecked();
    else await expect(theirSwitch).not.toBeChecked();
    await expect(other.getByText(/PDF analysis changed at/)).toBeVisible();

    await card(page, "PDF analysis").getByRole("button", { name: "Undo" }).click();
    await expect(card(page, "PDF analysis").getByRole("button", { name: "Undo" })).toHaveCount(0);
    expect((await stored(page.request, orgId, "pdf_analysis")).isEnabled).toBe(before.isEnabled);
    if (before.isEnabled) await expect(theirSwitch).toBeChecked();
    else await expect(theirSwitch).not.toBeChecked();
    await otherContext.close();
  });

  test("a change made elsewhere (another tab, person or instance) appears without a reload and is announced", async ({
    page,
  }) => {
    // Evermore (enterprise): smart mapping is included there, so its settings are a form.
    const orgId = await openConfig(page, "owner@evermore.demo", "Evermore Wedding Planners");
    const smart = await stored(page.request, orgId, "smart_mapping");
    const limit = smart.rateLimitPerMinute + 1; // a value it does not have yet (no change announces nothing)
    await trpcMutation(page.request, "platform.config.update", {
      organizationId: orgId,
      featureType: "smart_mapping",
      expectedVersion: smart.version,
      patch: { rateLimitPerMinute: limit },
    });
    const form = page.getByRole("form", { name: "Smart mapping limits" });
    await expect(form.getByRole("textbox", { name: "Rate limit" })).toHaveValue(String(limit));
    await expect(page.getByText(/^Smart mapping changed at/)).toBeVisible();
    await expect(
      page.getByRole("region", { name: "Change history" }).getByRole("listitem").first(),
    ).toContainText(
      `Rate limit: from ${smart.rateLimitPerMinute} requests a minute → to ${limit} requests a minute`,
    );
  });

  test("a cap is refused as typed past its bound or in the wrong money format, then saved, then undone", async ({
    page,
  }) => {
    const orgId = await openConfig(page);
    const before = await stored(page.request, orgId, "field_extraction");
    const form = page.getByRole("form", { name: "Field extraction limits" });
    const updates: string[] = [];
    page.on("request", (r) => {
      if (r.url().includes("platform.config.update")) updates.push(r.url());
    });

    const cost = form.getByRole("textbox", { name: "Daily cost cap" });
    await cost.fill("25.505");
    await expect(cost).toHaveAttribute("aria-invalid", "true");
    await expect(
      form.getByText(/Daily cost cap must be an amount in dollars with at most 2 decimals/),
    ).toBeVisible();
    const requests = form.getByRole("textbox", { name: "Daily request cap" });
    await requests.fill("20000000");
    await expect(form.getByText("Daily request cap can be at most 10,000,000 requests a day.")).toBeVisible();
    await form.getByRole("button", { name: "Save Field extraction limits" }).click();
    // Refused in the form: focus goes to the first bad field, nothing is sent.
    await expect(requests).toBeFocused();
    expect(updates).toEqual([]);

    // A valid value, different from the stored one.
    const newCost = before.maxCostPerDay === "25.00" ? "26.00" : "25.00";
    await requests.fill(String(before.maxRequestsPerDay));
    await cost.fill(newCost.replace(/\.00$/, ""));
    await expect(cost).not.toHaveAttribute("aria-invalid", "true");
    await form.getByRole("button", { name: "Save Field extraction limits" }).click();
    const undoBar = card(page, "Field extraction").getByRole("status");
    await expect(undoBar).toContainText(`Daily cost cap: $${before.maxCostPerDay} a day → $${newCost} a day`);
    expect(updates).toHaveLength(1);
    expect((await stored(page.request, orgId, "field_extraction")).maxCostPerDay).toBe(newCost);
    await expect(cost).toHaveValue(newCost);

    await card(page, "Field extraction").getByRole("button", { name: "Undo" }).click();
    await expect(cost).toHaveValue(before.maxCostPerDay);
    expect((await stored(page.request, orgId, "field_extraction")).maxCostPerDay).toBe(before.maxCostPerDay);
  });

  test.describe("a save that loses the race", () => {
    test.use({ expectedHttpErrors: [{ status: 409, path: "/trpc/platform.config.update" }] });

    test("shows what the other person changed beside mine, and re-applies mine on top in one click", async ({
      page,
    }) => {
      const orgId = await openConfig(page);
      const start = await stored(page.request, orgId, "pdf_analysis");
      const form = page.getByRole("form", { name: "PDF analysis limits" });
      const mine = start.maxRequestsPerDay === 700 ? 701 : 700;
      await form.getByRole("textbox", { name: "Daily request cap" }).fill(String(mine));

      // Between reading and saving, someone else changes the rate limit (here over plain HTTP).
      const theirs = start.rateLimitPerMinute + 1;
      await trpcMutation(page.request, "platform.config.update", {
        organizationId: orgId,
        featureType: "pdf_analysis",
        expectedVersion: start.version,
        patch: { rateLimitPerMinute: theirs },
      });
      await expect(form.getByText(/Someone else changed PDF analysis while you were editing/)).toBeVisible();

      await form.getByRole("button", { name: "Save PDF analysis limits" }).click();
      const conflict = page.getByTestId("conflict");
      await expect(
        conflict.getByRole("heading", { name: "Someone else changed PDF analysis while you were editing" }),
      ).toBeFocused();
      const table = conflict.getByRole("table", { name: "What changed, setting by setting" });
      await expect(table.getByRole("row", { name: /Rate limit/ }).getByRole("cell")).toHaveText([
        `${start.rateLimitPerMinute} requests a minute`,
        `${theirs} requests a minute`,
        "not changed",
      ]);
      await expect(table.getByRole("row", { name: /Daily request cap/ }).getByRole("cell")).toHaveText([
        `${start.maxRequestsPerDay.toLocaleString("en-US")} requests a day`,
        "not changed",
        `${mine} requests a day`,
      ]);
      await expectNoAxeViolations(page);

      await conflict.getByRole("button", { name: "Apply my change on top" }).click();
      await expect(page.getByTestId("conflict")).toHaveCount(0);
      const now = await stored(page.request, orgId, "pdf_analysis");
      // Both changes kept: theirs and mine, one version after theirs.
      expect(now).toMatchObject({
        rateLimitPerMinute: theirs,
        maxRequestsPerDay: mine,
        version: start.version + 2,
      });
      await expect(form.getByRole("textbox", { name: "Daily request cap" })).toHaveValue(String(mine));
      await expect(form.getByRole("textbox", { name: "Rate limit" })).toHaveValue(String(theirs));
    });
  });

  test("an audit entry is rolled back through a confirmation that says exactly what changes", async ({
    page,
  }) => {
    const orgId = await openConfig(page);
    const start = await stored(page.request, orgId, "field_extraction");
    const first = start.rateLimitPerMinute === 45 ? 46 : 45;
    const { config: target } = await trpcMutation<{ config: Feature }>(
      page.request,
      "platform.config.update",
      {
        organizationId: orgId,
        featureType: "field_extraction",
        expectedVersion: start.version,
        patch: { rateLimitPerMinute: first },
      },
    );
    const { config: later } = await trpcMutation<{ config: Feature }>(
      page.request,
      "platform.config.update",
      {
        organizationId: orgId,
        featureType: "field_extraction",
        expectedVersion: target.version,
        patch: { rateLimitPerMinute: first + 10 },
      },
    );

    const history = page.getByRole("region", { name: "Change history" });
    const entry = history.getByRole("listitem").filter({
      has: page.getByRole("list", { name: `Changes in version ${target.version} of Field extraction` }),
    });
    await expect(entry).toContainText("You changed Field extraction");
    await expect(entry).toContainText(
      `Rate limit: from ${start.rateLimitPerMinute} requests a minute → to ${first} requests a minute`,
    );
    await entry
      .getByRole("button", {
        name: `Roll back to this version (Field extraction, version ${target.version})`,
      })
      .click();
    const dialog = page.getByRole("alertdialog", {
      name: `Roll Field extraction back to version ${target.version}?`,
    });
    await expect(dialog.getByRole("list", { name: "What the rollback changes" })).toHaveText(
      `Rate limit: from ${first + 10} requests a minute → to ${first} requests a minute`,
    );
    await expectNoAxeViolations(page);
    await dialog.getByRole("button", { name: "Roll back" }).click();
    await expect(dialog).toHaveCount(0);
    await expect(page.getByText("Field extraction rolled back")).toBeVisible();

    const now = await stored(page.request, orgId, "field_extraction");
    expect(now).toMatchObject({ rateLimitPerMinute: first, version: later.version + 1 });
    await expect(history.getByRole("listitem").first()).toContainText(
      "You rolled Field extraction back to an earlier version",
    );
    // Put the demo value back for the specs that follow.
    await trpcMutation(page.request, "platform.config.update", {
      organizationId: orgId,
      featureType: "field_extraction",
      expectedVersion: now.version,
      patch: { rateLimitPerMinute: start.rateLimitPerMinute },
    });
  });

  test("a feature the plan does not include is locked, naming the plan that unlocks it", async ({ page }) => {
    await openConfig(page);
    const smart = card(page, "Smart mapping");
    await expect(smart.getByRole("switch", { name: "Smart mapping" })).toBeDisabled();
    await expect(smart).toContainText(
      "Locked: included from the Enterprise plan. Your organization is on the Professional plan.",
    );
    await expect(smart.getByRole("textbox")).toHaveCount(0);
  });

  test("a member sees the settings read-only, with the reason, and no history", async ({ page }) => {
    await openConfig(page, "member@golden-hour.demo");
    await expect(page.getByTestId("read-only")).toHaveText(
      /^Only owners and admins can change AI settings; you are a member\./,
    );
    for (const name of ["PDF analysis", "Field extraction", "Smart mapping"]) {
      await expect(page.getByRole("switch", { name })).toHaveAttribute("aria-readonly", "true");
    }
    const checked = await page.getByRole("switch", { name: "Field extraction" }).isChecked();
    await page.getByRole("switch", { name: "Field extraction" }).click({ force: true });
    expect(await page.getByRole("switch", { name: "Field extraction" }).isChecked()).toBe(checked);
    await expect(page.getByRole("textbox")).toHaveCount(0);
    await expect(page.getByRole("button", { name: /^Save/ })).toHaveCount(0);
    await expect(page.getByRole("heading", { name: "Change history" })).toHaveCount(0);
    await expect(card(page, "Field extraction")).toContainText("Daily cost cap");
    await expectNoAxeViolations(page);
  });

  test("at 375 px wide nothing scrolls sideways and the screen passes axe", async ({ page }) => {
    await page.setViewportSize({ width: 375, height: 740 });
    await openConfig(page);
    await expect(page.getByRole("form", { name: "Field extraction limits" })).toBeVisible();
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await expectNoAxeViolations(page);
  });
});
