import type { APIRequestContext, Page } from "@playwright/test";
import { trpcMutation, trpcQuery } from "../support/api";
import { signIn } from "../support/auth";
import { expectNoAxeViolations } from "../support/axe";
import { expect, test } from "../support/fixtures";

const STAFF = "staff@wedsync.demo";
const STAFF_NAME = "Pat Staff";
const GOLDEN = "Golden Hour Photography" as const;
const EVERMORE = "Evermore Wedding Planners" as const;
const ORG_PAGE = /\/admin\/organizations\/([0-9a-f-]{36})$/;

interface Feature {
  featureType: string;
  isEnabled: boolean;
  maxRequestsPerDay: number;
  rateLimitPerMinute: number;
  version: number;
}
interface AuditEntry {
  actor: { name: string | null; isPlatformStaff: boolean };
  changes: Array<{ field: string; from: unknown; to: unknown }>;
}

/** Signed in as platform staff, at `path`. */
async function signInAsStaff(page: Page, path = "/admin/organizations") {
  await page.goto(path);
  await signIn(page, STAFF);
  await expect(page.getByRole("heading", { level: 1 })).toBeFocused();
}

/** A demo organization's id, as staff find it (staff belong to no organization). */
async function orgId(request: APIRequestContext, name: string): Promise<string> {
  const list = await trpcQuery<{ rows: Array<{ id: string; name: string }> }>(
    request,
    "admin.organizations.list",
    { search: name },
  );
  const org = list.rows.find((r) => r.name === name);
  expect(org, name).toBeDefined();
  return org!.id;
}

async function feature(request: APIRequestContext, organizationId: string, featureType: string) {
  const config = await trpcQuery<{ features: Feature[] }>(request, "platform.config.get", { organizationId });
  return config.features.find((f) => f.featureType === featureType)!;
}

/** The newest platform configuration entry of a feature in an organization's history. */
async function lastAudit(request: APIRequestContext, organizationId: string, featureType: string) {
  const audit = await trpcQuery<{ entries: AuditEntry[] }>(request, "admin.audit.list", {
    organizationId,
    featureType,
    entityKind: "platform_config",
    limit: 1,
  });
  return audit.entries[0]!;
}

/** Nothing but the tables' own scrolling boxes is wider than a 375 px screen. */
async function expectNoSidewaysScroll(page: Page) {
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
}

const grid = (page: Page) => page.getByRole("grid", { name: "Organizations" });
const orgRow = (page: Page, name: string) => grid(page).getByRole("row", { name: new RegExp(name) });

test.describe("admin: organizations, an organization's page, bulk changes", () => {
  // Sign-in is a deliberately slow hash, and every screen runs axe.
  test.describe.configure({ timeout: 90_000 });

  test("staff search the organizations, sort them, and open one to see its month, members and configuration", async ({
    page,
  }) => {
    await signInAsStaff(page);
    for (const name of ["Bloom & Petal Florals", GOLDEN, EVERMORE]) {
      await expect(orgRow(page, name)).toBeVisible();
    }
    const golden = orgRow(page, GOLDEN);
    await expect(golden).toContainText("Professional");
    await expect(golden.getByRole("meter", { name: "Credit used" })).toHaveAttribute(
      "aria-valuetext",
      /^\$[\d,.]+ of \$[\d,.]+$/,
    );
    await expect(golden).not.toContainText("Unknown"); // the throttle state was read
    await expectNoAxeViolations(page);

    await grid(page)
      .getByRole("columnheader", { name: /Clients/ })
      .click();
    await expect(page).toHaveURL(/sort=clients/);
    await expect(grid(page).getByRole("columnheader", { name: /Clients/ })).toHaveAttribute(
      "aria-sort",
      "ascending",
    );

    await page.getByRole("searchbox", { name: "Search by name" }).fill("golden");
    await expect(page).toHaveURL(/q=golden/);
    await expect(grid(page).getByRole("row")).toHaveCount(2); // the header and Golden Hour
    await expect(page.getByText("1 organization", { exact: true })).toBeVisible();
    // The address holds the search and the order: a reload shows the same list.
    await page.reload();
    await expect(page.getByRole("searchbox", { name: "Search by name" })).toHaveValue("golden");
    await expect(grid(page).getByRole("row")).toHaveCount(2);

    await orgRow(page, GOLDEN).getByRole("link", { name: GOLDEN, exact: true }).click();
    await expect(page).toHaveURL(ORG_PAGE);
    const id = ORG_PAGE.exec(new URL(page.url()).pathname)![1]!;
    await expect(page.getByRole("heading", { level: 1, name: GOLDEN })).toBeFocused();
    await expect(page).toHaveTitle(`${GOLDEN} · WedSync Admin`);
    const month = page.getByRole("region", { name: /^This month/ });
    await expect(month).toContainText("Spend this month$");
    await expect(month).toContainText("Invoice so far (not issued)$");
    await expect(month.getByRole("meter", { name: "Credit used this month" })).toBeVisible();
    const members = page.getByRole("region", { name: `Members of ${GOLDEN}` });
    await expect(members.getByRole("row", { name: /owner@golden-hour\.demo/ })).toContainText("Owner");
    await expect(members.getByRole("row", { name: /consultant@wedsync\.demo/ })).toContainText("Admin");
    const config = page.getByRole("region", { name: `AI platform configuration for ${GOLDEN}` });
    await expect(config.getByRole("rowheader")).toHaveText([
      "PDF analysis",
      "Field extraction",
      "Smart mapping",
    ]);
    await expect(config.getByRole("row", { name: /Field extraction/ })).toContainText(
      /\d+ clients? with own settings/,
    );
    await expect(config).not.toContainText("field_extraction");
    const supplier = page.getByRole("region", { name: "Open in the supplier app" });
    await expect(supplier.getByRole("link", { name: "Change history" })).toHaveAttribute(
      "href",
      `/o/${id}/config#audit-heading`,
    );
    await expect(supplier.getByRole("link", { name: "Usage analytics" })).toHaveAttribute(
      "href",
      `/o/${id}/analytics`,
    );
    await expect(page.getByTestId("live-status")).toHaveText("Live", { timeout: 20_000 });
    await expectNoAxeViolations(page);

    // At 375 px: the list, the page and Bulk changes fit the screen (tables scroll in their own box).
    await page.setViewportSize({ width: 375, height: 740 });
    await expectNoSidewaysScroll(page);
    await page.getByRole("link", { name: "All organizations" }).click();
    await expect(grid(page)).toBeVisible();
    await expectNoSidewaysScroll(page);
    await page.goto("/admin/bulk");
    await expect(page.getByRole("heading", { level: 1, name: "Bulk changes" })).toBeVisible();
    await expectNoSidewaysScroll(page);
  });

  test("a throttle reaching an organization shows in the list and on its page, where staff lift it", async ({
    page,
  }) => {
    await signInAsStaff(page);
    const bloom = await orgId(page.request, "Bloom & Petal Florals");
    const set = await trpcMutation<{ id: string }>(page.request, "throttles.set", {
      scope: "organization",
      organizationId: bloom,
      mode: "cap",
      perMinute: 5,
      reason: "e2e: a runaway integration",
    });
    try {
      await page.reload();
      await expect(orgRow(page, "Bloom & Petal Florals")).toContainText(
        "Capped at 5 requests a minute for this organization",
      );
      await orgRow(page, "Bloom & Petal Florals")
        .getByRole("link", { name: "Bloom & Petal Florals", exact: true })
        .click();
      const throttles = page.getByRole("list", { name: "Throttles in force" });
      const item = throttles.getByRole("listitem").filter({ hasText: "e2e: a runaway integration" });
      await expect(item).toContainText("Capped at 5 requests a minute for this organization, until lifted.");
      await expect(item).toContainText("Reason: e2e: a runaway integration");
      await item.getByRole("button", { name: "Lift" }).click();
      const dialog = page.getByRole("alertdialog", { name: "Lift this throttle?" });
      await expect(dialog).toContainText("Lifting it admits new AI requests again at once.");
      await expectNoAxeViolations(page);
      await dialog.getByRole("button", { name: "Lift the throttle" }).click();
      await expect(dialog).toHaveCount(0);
      await expect(page.getByRole("region", { name: "Notifications" })).toContainText("Throttle lifted");
      await expect(item).toHaveCount(0);
      const listed = await trpcQuery<{ items: Array<{ id: string; status: string }> }>(
        page.request,
        "throttles.list",
        { limit: 50 },
      );
      expect(listed.items.find((t) => t.id === set.id)?.status).toBe("lifted");
    } finally {
      // Never leave a throttle behind for the specs after this one.
      const listed = await trpcQuery<{ items: Array<{ id: string }> }>(page.request, "throttles.list", {
        active: true,
        limit: 200,
      });
      if (listed.items.some((t) => t.id === set.id))
        await trpcMutation(page.request, "throttles.lift", { id: set.id });
    }
  });

  test("staff switch a feature across two organizations through the confirmation; both change, each audited under their name", async ({
    page,
  }) => {
    await signInAsStaff(page);
    const ids = {
      [GOLDEN]: await orgId(page.request, GOLDEN),
      [EVERMORE]: await orgId(page.request, EVERMORE),
    };
    const before = {
      [GOLDEN]: await feature(page.request, ids[GOLDEN], "pdf_analysis"),
      [EVERMORE]: await feature(page.request, ids[EVERMORE], "pdf_analysis"),
    };
    // Whatever another spec left: switch off when both are on, else on.
    const target = !(before[GOLDEN].isEnabled && before[EVERMORE].isEnabled);
    const [from, to] = target ? ["Off", "On"] : ["On", "Off"];

    try {
      for (const name of [GOLDEN, EVERMORE] as const)
        await orgRow(page, name).locator(".org-checkbox").click();
      const chosen = page.getByRole("toolbar", { name: "Chosen organizations" });
      await expect(chosen).toContainText(`2 organizations chosen: ${GOLDEN}, ${EVERMORE}`);
      await chosen.getByRole("button", { name: "Change the chosen in bulk…" }).click();
      await expect(page).toHaveURL(/\/admin\/bulk\?orgs=/);
      await expect(page.getByRole("heading", { level: 1, name: "Bulk changes" })).toBeFocused();
      await expect(page.getByRole("region", { name: "Organizations" })).toContainText(
        `2 organizations chosen in the list: ${EVERMORE}, ${GOLDEN}.`,
      );
      await expectNoAxeViolations(page);

      await page.getByRole("button", { name: /Feature/ }).click();
      await page.getByRole("option", { name: "PDF analysis" }).click();
      // React Aria's radio input is visually hidden under its label: press the label, as a person does.
      const kind = target ? "Switch it on" : "Switch it off";
      await page.getByText(kind, { exact: true }).click();
      await expect(page.getByRole("radio", { name: kind })).toBeChecked();
      await page.getByRole("button", { name: "Preview the change…" }).click();

      const dialog = page.getByRole("alertdialog", {
        name: `${target ? "Switch on" : "Switch off"} PDF analysis for 2 organizations?`,
      });
      const listed = dialog.getByRole("list", { name: "Changes by organization" }).locator(":scope > li");
      await expect(listed).toHaveCount(2);
      for (const name of [EVERMORE, GOLDEN] as const) {
        const item = listed.filter({ hasText: name });
        await expect(item).toContainText(
          before[name].isEnabled === target ? "already set, no change" : `Status: ${from} → ${to}`,
        );
      }
      await expectNoAxeViolations(page);
      await dialog.getByRole("button", { name: "Apply to 2 organizations" }).click();
      await expect(dialog).toHaveCount(0);
      await expect(page.getByRole("region", { name: "Notifications" })).toContainText(
        `${target ? "Switched on" : "Switched off"} PDF analysis for`,
      );
      await expect(page.getByRole("region", { name: "Done" })).toContainText("under your name");

      for (const name of [GOLDEN, EVERMORE] as const) {
        const after = await feature(page.request, ids[name], "pdf_analysis");
        expect(after.isEnabled, name).toBe(target);
        if (before[name].isEnabled !== target) {
          expect(after.version, name).toBe(before[name].version + 1);
          const entry = await lastAudit(page.request, ids[name], "pdf_analysis");
          expect(entry.actor, name).toEqual(
            expect.objectContaining({ name: STAFF_NAME, isPlatformStaff: true }),
          );
          expect(entry.changes, name).toContainEqual({ field: "isEnabled", from: !target, to: target });
        }
      }
    } finally {
      for (const name of [GOLDEN, EVERMORE] as const) {
        await trpcMutation(page.request, "admin.bulk.update", {
          selection: { organizationIds: [ids[name]] },
          featureType: "pdf_analysis",
          patch: { isEnabled: before[name].isEnabled },
          applyToCurrent: true,
        });
      }
    }
  });

  test.describe("a change made meanwhile", () => {
    test.use({ expectedHttpErrors: [{ status: 409, path: "/trpc/admin.bulk.update" }] });

    test("refuses the whole change, says what changed, and applies after a new preview", async ({ page }) => {
      await signInAsStaff(page, "/admin/bulk");
      const evermore = await orgId(page.request, EVERMORE);
      const before = await feature(page.request, evermore, "field_extraction");
      // Above the current cap, so no client's own cap is lowered.
      const raised = before.maxRequestsPerDay + 7;

      try {
        // Choose by a filter: every Enterprise organization.
        await page.getByRole("button", { name: /Tier/ }).click();
        await page.getByRole("option", { name: "Enterprise" }).click();
        await expect(page).toHaveURL(/tier=enterprise/);
        await expect(page.getByRole("region", { name: "Organizations" })).toContainText(
          `Matches 1 organization now: ${EVERMORE}.`,
        );
        await page.getByRole("button", { name: /Feature/ }).click();
        await page.getByRole("option", { name: "Field extraction" }).click();
        await page.getByText("Set the daily request cap", { exact: true }).click();
        const cap = page.getByRole("textbox", { name: "Daily request cap" });
        await cap.fill("ten");
        await page.getByRole("button", { name: "Preview the change…" }).click();
        await expect(
          page.getByText("Daily request cap must be a whole number of requests a day"),
        ).toBeVisible();
        await expect(page.getByRole("alertdialog", { name: /for 1 organization\?$/ })).toHaveCount(0);
        await cap.fill(String(raised));
        await page.getByRole("button", { name: "Preview the change…" }).click();
        // Named: each notification is an alertdialog too.
        const dialog = page.getByRole("alertdialog", {
          name: `Set Field extraction's daily request cap to ${raised.toLocaleString("en-US")} requests a day for 1 organization?`,
        });
        await expect(dialog).toContainText(
          `Daily request cap: ${before.maxRequestsPerDay.toLocaleString("en-US")} requests a day → ${raised.toLocaleString("en-US")} requests a day`,
        );

        // Someone else changes Evermore's field extraction after the preview.
        await trpcMutation(page.request, "platform.config.update", {
          organizationId: evermore,
          featureType: "field_extraction",
          expectedVersion: before.version,
          patch: { rateLimitPerMinute: before.rateLimitPerMinute + 1 },
        });

        await dialog.getByRole("button", { name: "Apply to 1 organization" }).click();
        const conflict = dialog.getByRole("alert");
        await expect(conflict).toContainText("Nothing was changed");
        await expect(conflict).toContainText(
          `${EVERMORE} was changed by someone else; now daily request cap ${before.maxRequestsPerDay.toLocaleString("en-US")} requests a day.`,
        );
        await expect(dialog.getByRole("button", { name: "Apply to 1 organization" })).toBeDisabled();
        await expectNoAxeViolations(page);
        expect((await feature(page.request, evermore, "field_extraction")).maxRequestsPerDay).toBe(
          before.maxRequestsPerDay,
        );

        await dialog.getByRole("button", { name: "Preview again" }).click();
        await expect(conflict).toHaveCount(0);
        await dialog.getByRole("button", { name: "Apply to 1 organization" }).click();
        await expect(dialog).toHaveCount(0);
        await expect(page.getByRole("region", { name: "Notifications" })).toContainText(
          "Set Field extraction's daily request cap to",
        );
        const after = await feature(page.request, evermore, "field_extraction");
        expect(after.maxRequestsPerDay).toBe(raised);
        expect(after.version).toBe(before.version + 2); // theirs, then this change
      } finally {
        const now = await feature(page.request, evermore, "field_extraction");
        await trpcMutation(page.request, "platform.config.update", {
          organizationId: evermore,
          featureType: "field_extraction",
          expectedVersion: now.version,
          patch: {
            maxRequestsPerDay: before.maxRequestsPerDay,
            rateLimitPerMinute: before.rateLimitPerMinute,
          },
        });
      }
    });
  });

  test.describe("an organization that does not exist", () => {
    test.use({ expectedHttpErrors: [{ status: 404, path: "/trpc/admin.organizations.get" }] });

    test("gets a not-found page with a way back to the list", async ({ page }) => {
      await signInAsStaff(page, "/admin/organizations/00000000-0000-4000-8000-000000000000");
      await expect(
        page.getByRole("heading", { level: 1, name: "This organization does not exist" }),
      ).toBeVisible();
      await expectNoAxeViolations(page);
      await page.getByRole("link", { name: "Go to the list of organizations" }).click();
      await expect(page).toHaveURL("/admin/organizations");
    });
  });
});
