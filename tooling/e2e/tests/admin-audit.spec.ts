import type { APIRequestContext, Page } from "@playwright/test";
import { trpcMutation, trpcQuery } from "../support/api";
import { signIn } from "../support/auth";
import { expectNoAxeViolations } from "../support/axe";
import { expect, test } from "../support/fixtures";

const STAFF = "staff@wedsync.demo";
const STAFF_NAME = "Pat Staff";
const EVERMORE = "Evermore Wedding Planners";
const OWNER = "owner@evermore.demo";
const OWNER_NAME = "Evermore Owner";
const FEATURE = "smart_mapping";

interface Feature {
  featureType: string;
  maxRequestsPerDay: number;
  version: number;
}
interface AuditEntry {
  id: number;
  action: string;
  version: number;
  actor: { name: string | null; isPlatformStaff: boolean };
}

async function feature(request: APIRequestContext, organizationId: string): Promise<Feature> {
  const config = await trpcQuery<{ features: Feature[] }>(request, "platform.config.get", { organizationId });
  return config.features.find((f) => f.featureType === FEATURE)!;
}

/** The owner sets Smart mapping's daily request cap (from the version read just before). */
async function ownerSetsCap(request: APIRequestContext, organizationId: string, cap: number) {
  const current = await feature(request, organizationId);
  await trpcMutation(request, "platform.config.update", {
    organizationId,
    featureType: FEATURE,
    expectedVersion: current.version,
    patch: { maxRequestsPerDay: cap },
  });
}

const caps = (n: number) => `${n.toLocaleString("en-US")} requests a day`;
const entries = (page: Page) =>
  page.getByRole("list", { name: "Changes, newest first" }).locator(":scope > li");

test.describe("admin: audit", () => {
  test.describe.configure({ timeout: 150_000 });
  // The rollback that loses a race on purpose.
  test.use({ expectedHttpErrors: [{ status: 409, path: "/trpc/platform.config.rollback" }] });

  test("staff find an owner's change by filters and roll it back through a confirmation, in their own name", async ({
    page,
    browser,
  }) => {
    // The owner, in a browser of their own, changes Smart mapping's cap twice: A → B → C.
    const ownerContext = await browser.newContext();
    const owner = await ownerContext.newPage();
    await owner.goto("/");
    await signIn(owner, OWNER);
    await expect(owner).toHaveURL(/\/o\/[0-9a-f-]{36}\/config$/);
    const session = await trpcQuery<{ organizations: Array<{ id: string; name: string }> }>(
      owner.request,
      "auth.session",
      undefined,
    );
    const evermore = session.organizations.find((o) => o.name === EVERMORE)!.id;
    const a = (await feature(owner.request, evermore)).maxRequestsPerDay;
    const b = a > 700 ? a - 111 : a + 111;
    const c = b - 50;
    await ownerSetsCap(owner.request, evermore, b);
    await ownerSetsCap(owner.request, evermore, c);

    // Staff find it by organization (searchable), person and feature: each filter is the address.
    await page.goto("/admin/audit");
    await signIn(page, STAFF);
    await expect(page.getByRole("heading", { level: 1, name: "Audit" })).toBeFocused();
    await expectNoAxeViolations(page);
    const org = page.getByRole("combobox", { name: "Organization" });
    await org.fill("everm");
    await page.getByRole("option", { name: new RegExp(EVERMORE) }).click();
    await expect(page).toHaveURL(new RegExp(`[?&]org=${evermore}`));
    await page.getByRole("searchbox", { name: "Who" }).fill("owner@evermore");
    await expect(page).toHaveURL(/[?&]actor=owner%40evermore/);
    await page.getByRole("button", { name: / Feature$/ }).click();
    await page.getByRole("option", { name: "Smart mapping", exact: true }).click();
    await expect(page).toHaveURL(new RegExp(`[?&]feature=${FEATURE}`));
    await expect(page.getByRole("combobox", { name: "Organization" })).toHaveValue(EVERMORE);

    // Newest first: the owner's second change (B → C), then the first (A → B).
    const newest = entries(page).first();
    await expect(newest).toContainText(`${OWNER_NAME} changed Smart mapping`);
    await expect(newest).toContainText(`Daily request cap: from ${caps(b)} → to ${caps(c)}`);
    const first = entries(page).nth(1);
    await expect(first).toContainText(`Daily request cap: from ${caps(a)} → to ${caps(b)}`);
    for (const item of await entries(page).all()) {
      await expect(item).toContainText(EVERMORE);
      await expect(item).toContainText(OWNER_NAME);
    }
    await expectNoAxeViolations(page);

    // Today's days keep them; yesterday's do not.
    const url = page.url();
    const day = (back: number) =>
      new Date(Date.now() - back * 86_400_000).toLocaleDateString("en-CA", {
        timeZone: Intl.DateTimeFormat().resolvedOptions().timeZone,
      });
    await page.goto(`${url}&from=${day(0)}&to=${day(0)}`);
    await expect(page.getByRole("group", { name: "Dates" })).toBeVisible();
    await expect(entries(page).first()).toContainText(`to ${caps(c)}`);
    await page.goto(`${url}&from=${day(2)}&to=${day(1)}`);
    await expect(page.getByText("No change matches these filters")).toBeVisible();
    await page.goto(url);

    // Roll back to the first change: the confirmation lists exactly what changes (C → B).
    await first.getByRole("button", { name: /^Roll back to this version/ }).click();
    const dialog = page.getByRole("alertdialog", {
      name: `Roll Smart mapping at ${EVERMORE} back to version`,
    });
    await expect(dialog).toBeVisible();
    const changes = dialog.getByRole("list", { name: "What the rollback changes" });
    await expect(changes.getByRole("listitem")).toHaveText([
      `Daily request cap: from ${caps(c)} → to ${caps(b)}`,
    ]);
    await expectNoAxeViolations(page);

    // Meanwhile the owner changes it again (C → D): the rollback is refused, explained, and compared anew.
    const d = c - 7;
    await ownerSetsCap(owner.request, evermore, d);
    await dialog.getByRole("button", { name: "Roll back" }).click();
    await expect(
      dialog.getByText(/Someone changed Smart mapping at Evermore Wedding Planners while this was open/),
    ).toBeVisible();
    await expect(changes.getByRole("listitem")).toHaveText([
      `Daily request cap: from ${caps(d)} → to ${caps(b)}`,
    ]);
    await expectNoAxeViolations(page);
    await dialog.getByRole("button", { name: "Roll back" }).click();
    await expect(dialog).toHaveCount(0);
    await expect(page.getByText(`Smart mapping at ${EVERMORE} rolled back`)).toBeVisible();

    // The value is the first change's again, and the rollback is recorded in the staff member's name.
    expect((await feature(page.request, evermore)).maxRequestsPerDay).toBe(b);
    const audit = await trpcQuery<{ entries: AuditEntry[] }>(page.request, "admin.audit.list", {
      organizationId: evermore,
      featureType: FEATURE,
      limit: 1,
    });
    expect(audit.entries[0]).toMatchObject({
      action: "rollback",
      actor: { name: STAFF_NAME, isPlatformStaff: true },
    });
    await page.getByRole("button", { name: "Clear every filter" }).click();
    await expect(page).toHaveURL("/admin/audit");
    const rollback = page.locator(`[data-audit-id='${audit.entries[0]!.id}']`);
    await expect(rollback).toContainText(
      `${STAFF_NAME}Platform staff rolled Smart mapping back to an earlier version`,
    );
    await expect(rollback).toContainText(`Daily request cap: from ${caps(d)} → to ${caps(b)}`);
    await ownerContext.close();
  });

  test("fits a 375 px screen", async ({ page }) => {
    await page.setViewportSize({ width: 375, height: 800 });
    await page.goto("/admin/audit");
    await signIn(page, STAFF);
    await expect(entries(page).first()).toBeVisible();
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
    await expectNoAxeViolations(page);
  });
});
