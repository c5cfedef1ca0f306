import type { Page } from "@playwright/test";
import { organizationId, trpcMutation, trpcQuery } from "../support/api";
import { signIn } from "../support/auth";
import { expectNoAxeViolations } from "../support/axe";
import { expect, test } from "../support/fixtures";

// Clients (weddings) of Evermore Wedding Planners: the list, one client's overrides and settings,
// and bulk configuration. Other specs share the demo data: every test reads the state first.
const OWNER = "owner@evermore.demo";
const ORG = "Evermore Wedding Planners";

interface Override {
  isEnabled: boolean | null;
  maxRequestsPerDay: number | null;
  maxCostPerDay: string | null;
  rateLimitPerMinute: number | null;
}
interface ListedClient {
  id: string;
  coupleNames: string;
  usageThisMonth: { requests: number };
  features: Array<{
    featureType: string;
    version: number;
    override: Override | null;
    effective: { isEnabled: boolean; maxRequestsPerDay: number; inherited: Record<string, boolean> };
  }>;
}
interface ClientConfig {
  features: Array<{
    featureType: string;
    version: number;
    platform: { maxRequestsPerDay: number; isEnabled: boolean };
    override: { overrides: Override } | null;
  }>;
}

async function openClients(page: Page) {
  await page.goto("/");
  await signIn(page, OWNER);
  await expect(page).toHaveURL(/\/o\/[0-9a-f-]{36}\/config$/);
  const orgId = await organizationId(page.request, ORG);
  await page.getByRole("navigation", { name: "Sections" }).getByRole("link", { name: "Clients" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Clients" })).toBeVisible();
  await expect(page.getByRole("grid", { name: "Clients" })).toBeVisible();
  return orgId;
}

async function listClients(page: Page, orgId: string) {
  const list = await trpcQuery<{ clients: ListedClient[] }>(page.request, "clients.list", {
    organizationId: orgId,
    limit: 200,
  });
  return list.clients;
}

const featureOf = (c: ListedClient, featureType: string) =>
  c.features.find((f) => f.featureType === featureType)!;
const row = (page: Page, name: string) => page.getByRole("row", { name: new RegExp(name) });
/** Columns: selection, then (the couple is the row header) wedding, the three features, this month. */
const COLUMN = { pdf_analysis: 2, field_extraction: 3, smart_mapping: 4, month: 5 } as const;
const cell = (page: Page, name: string, column: keyof typeof COLUMN) =>
  row(page, name).getByRole("gridcell").nth(COLUMN[column]);
/** A row's selection checkbox, by its visible box (the input itself is visually hidden). */
const selectRow = (page: Page, name: string) => row(page, name).locator(".cl-checkbox").click();

test.describe("clients", () => {
  // Each test signs in and runs axe: slow on a busy two-core machine.
  test.describe.configure({ timeout: 120_000 });

  test("search narrows the list in the address (Back restores it), empty results say how to clear, and a client opens", async ({
    page,
  }) => {
    const orgId = await openClients(page);
    await expectNoAxeViolations(page);

    const search = page.getByRole("searchbox", { name: "Search couples" });
    await search.fill("Chlo");
    await expect(page).toHaveURL(/[?&]q=Chlo/);
    await expect(page.getByRole("grid", { name: "Clients" }).getByRole("row")).toHaveCount(2); // header + one
    await expect(row(page, "Chloé & Louis")).toBeVisible();

    await search.fill("zzz");
    await expect(page.getByText("No clients match “zzz”")).toBeVisible();
    await page.goBack();
    await expect(page).toHaveURL(/[?&]q=Chlo/);
    await expect(search).toHaveValue("Chlo");
    await page.goForward();
    await page.getByRole("button", { name: "Clear the search" }).click();
    await expect(page).toHaveURL(`/o/${orgId}/clients`);
    const all = await listClients(page, orgId);
    await expect(page.getByRole("grid", { name: "Clients" }).getByRole("row")).toHaveCount(all.length + 1);

    await page.getByRole("link", { name: "Chloé & Louis" }).click();
    await expect(page).toHaveURL(new RegExp(`/o/${orgId}/clients/[0-9a-f-]{36}`));
    await expect(page.getByRole("heading", { level: 1, name: "Chloé & Louis" })).toBeVisible();
    await expect(page.getByRole("tab", { name: /Field extraction/ })).toBeVisible();
  });

  test("the list tells an override (with its platform limit) from an inherited value, in words, and its usage moves live", async ({
    page,
  }) => {
    const orgId = await openClients(page);
    const clients = await listClients(page, orgId);
    const own = clients.find((c) => !featureOf(c, "field_extraction").effective.inherited.maxRequestsPerDay);
    const inherited = clients.find(
      (c) => featureOf(c, "field_extraction").effective.inherited.maxRequestsPerDay,
    );
    test.skip(!own || !inherited, "needs one client with a field extraction override and one without");
    const ownCell = cell(page, own!.coupleNames, "field_extraction");
    await expect(ownCell).toContainText(
      `${featureOf(own!, "field_extraction").effective.maxRequestsPerDay.toLocaleString("en-US")} requests a day override · limit`,
    );
    await expect(cell(page, inherited!.coupleNames, "field_extraction")).toContainText(
      /requests a day inherited/,
    );
    await expect(cell(page, inherited!.coupleNames, "field_extraction")).not.toContainText(
      "requests a day override",
    );
    await expect(cell(page, own!.coupleNames, "month")).toContainText(/requests? · \$/);

    // A request recorded for a client moves its usage this month on the open list, without a reload.
    const busy = clients.find((c) => featureOf(c, "field_extraction").effective.isEnabled)!;
    const count = (n: number) => `${n.toLocaleString("en-US")} ${n === 1 ? "request" : "requests"} ·`;
    await expect(cell(page, busy.coupleNames, "month")).toContainText(count(busy.usageThisMonth.requests));
    await trpcMutation(page.request, "clients.process", {
      organizationId: orgId,
      clientId: busy.id,
      featureType: "field_extraction",
      input: { text: `${busy.coupleNames}, 12 June 2027, 120 guests` },
    });
    await expect(cell(page, busy.coupleNames, "month")).toContainText(
      count(busy.usageThisMonth.requests + 1),
    );
  });

  test("an override past the platform limit is refused in the form; within it, it is saved; then reset to inherited", async ({
    page,
  }) => {
    const orgId = await openClients(page);
    const clients = await listClients(page, orgId);
    const client = clients.find((c) => c.coupleNames === "Camille & Arthur")!;
    const before = await trpcQuery<ClientConfig>(page.request, "clients.config.get", {
      organizationId: orgId,
      clientId: client.id,
    });
    const feature = before.features.find((f) => f.featureType === "field_extraction")!;
    const limit = feature.platform.maxRequestsPerDay;
    const updates: string[] = [];
    page.on("request", (r) => {
      if (r.url().includes("clients.config.update")) updates.push(r.url());
    });

    await page.goto(`/o/${orgId}/clients/${client.id}?feature=field_extraction`);
    await expect(page.getByRole("heading", { level: 1, name: "Camille & Arthur" })).toBeVisible();
    await expect(page.getByRole("tab", { name: /Field extraction/, selected: true })).toBeVisible();
    await expectNoAxeViolations(page);

    const requests = page.getByRole("textbox", { name: "Requests a day" });
    const save = page.getByRole("button", { name: "Save Field extraction limits" });
    await requests.fill(String(limit + 1));
    await save.click();
    await expect(
      page.getByText(`Requests a day: at most ${limit.toLocaleString("en-US")}, the platform limit`),
    ).toBeVisible();
    await expect(requests).toHaveAttribute("aria-invalid", "true");
    expect(updates).toEqual([]);

    const within = Math.min(7, limit);
    await requests.fill(String(within));
    await save.click();
    await expect(page.getByText("Field extraction saved for Camille & Arthur")).toBeVisible();
    await expect
      .poll(async () => {
        const now = await trpcQuery<ClientConfig>(page.request, "clients.config.get", {
          organizationId: orgId,
          clientId: client.id,
        });
        return now.features.find((f) => f.featureType === "field_extraction")!.override?.overrides
          .maxRequestsPerDay;
      })
      .toBe(within);
    expect(updates).toHaveLength(1);

    await page.getByRole("button", { name: "Reset Requests a day to inherited" }).click();
    const dialog = page.getByRole("alertdialog", { name: "Reset requests a day to inherited?" });
    await expect(dialog).toContainText(`Requests a day ${within} (override)`);
    await dialog.getByRole("button", { name: "Reset to inherited" }).click();
    await expect(page.getByText("Requests a day reset to inherited")).toBeVisible();
    const after = await trpcQuery<ClientConfig>(page.request, "clients.config.get", {
      organizationId: orgId,
      clientId: client.id,
    });
    expect(
      after.features.find((f) => f.featureType === "field_extraction")!.override?.overrides.maxRequestsPerDay,
    ).toBeNull();
    await expect(page.getByRole("button", { name: "Reset Requests a day to inherited" })).toHaveCount(0);
  });

  test("bulk configuration of three clients lists every change in a confirmation and changes exactly those three", async ({
    page,
  }) => {
    const orgId = await openClients(page);
    const before = await listClients(page, orgId);
    const chosen = ["Léa & Hugo", "Manon & Gabriel", "Jade & Jules"];
    const platform = await trpcQuery<{ features: Array<{ featureType: string; maxRequestsPerDay: number }> }>(
      page.request,
      "platform.config.get",
      { organizationId: orgId },
    );
    const limit = platform.features.find((f) => f.featureType === "smart_mapping")!.maxRequestsPerDay;
    // A value none of them has yet, within the platform's limit.
    const taken = new Set(before.map((c) => featureOf(c, "smart_mapping").effective.maxRequestsPerDay));
    let value = Math.min(41, limit);
    while (taken.has(value) && value > 0) value--;

    for (const name of chosen) await selectRow(page, name);
    await expect(page.getByText("3 selected")).toBeVisible();
    await page.getByRole("button", { name: "Configure selected…" }).click();
    await page.getByRole("button", { name: /Feature/ }).click();
    await page.getByRole("option", { name: "Smart mapping" }).click();
    // React Aria's radio input is visually hidden under its label: press the label, as a person does.
    await page.getByText("Set daily caps", { exact: true }).click();
    await expect(page.getByRole("radio", { name: "Set daily caps" })).toBeChecked();
    await page.getByRole("textbox", { name: "Requests a day" }).fill(String(value));
    await page.getByRole("button", { name: "Review changes…" }).click();

    const dialog = page.getByRole("alertdialog", { name: "Change Smart mapping for 3 clients?" });
    await expect(dialog).toBeVisible();
    const listed = dialog.getByRole("list", { name: "Changes by client" }).locator(":scope > li");
    await expect(listed).toHaveCount(3);
    for (const name of chosen) {
      const c = before.find((x) => x.coupleNames === name)!;
      const from = featureOf(c, "smart_mapping").effective;
      await expect(listed.filter({ hasText: name })).toContainText(
        `Requests a day: ${from.maxRequestsPerDay.toLocaleString("en-US")} (${from.inherited.maxRequestsPerDay ? "inherited" : "override"}) → ${value} (override)`,
      );
    }
    await expectNoAxeViolations(page);
    await dialog.getByRole("button", { name: "Apply to 3 clients" }).click();
    await expect(page.getByText("Smart mapping changed for 3 clients")).toBeVisible();
    await expect(dialog).toHaveCount(0);

    const after = await listClients(page, orgId);
    for (const c of after) {
      const was = before.find((b) => b.id === c.id)!;
      if (chosen.includes(c.coupleNames)) {
        const f = featureOf(c, "smart_mapping");
        expect(f.override?.maxRequestsPerDay, c.coupleNames).toBe(value);
        expect(f.version, c.coupleNames).toBe(featureOf(was, "smart_mapping").version + 1);
      } else {
        expect(c.features, `${c.coupleNames} is unchanged`).toEqual(was.features);
      }
    }
    for (const name of chosen) {
      await expect(cell(page, name, "smart_mapping")).toContainText(
        `${value} requests a day override · limit`,
      );
    }
  });

  test("keyboard only, and at 375 px the table scrolls inside its box while the page does not", async ({
    page,
  }) => {
    await page.setViewportSize({ width: 375, height: 740 });
    await openClients(page);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    const box = page.locator(".table-scroll");
    expect(await box.evaluate((el) => el.scrollWidth > el.clientWidth)).toBe(true);

    // Into the search field and the table with the keyboard; Space selects a row.
    await page.getByRole("searchbox", { name: "Search couples" }).focus();
    await page.keyboard.type("Léa");
    await expect(page.getByRole("grid", { name: "Clients" }).getByRole("row")).toHaveCount(2);
    await page.getByRole("grid", { name: "Clients" }).getByRole("row").nth(1).focus();
    await page.keyboard.press("Space");
    await expect(page.getByText("1 selected")).toBeVisible();
    await page.keyboard.press("Space");
    await expect(page.getByText("1 selected")).toHaveCount(0);
    // With nothing selected, Enter opens the client.
    await page.keyboard.press("Enter");
    await expect(page.getByRole("heading", { level: 1, name: "Léa & Hugo" })).toBeVisible();
  });
});
