import type { Page } from "@playwright/test";
import { signIn } from "../support/auth";
import { expectNoAxeViolations } from "../support/axe";
import { expect, test } from "../support/fixtures";

const STAFF = "staff@wedsync.demo";
const ORG_PAGE = /\/admin\/organizations\/([0-9a-f-]{36})$/;
const DEMO_ORGANIZATIONS = ["Bloom & Petal Florals", "Evermore Wedding Planners", "Golden Hour Photography"];

/** Signed in as platform staff at the list of organizations (where /admin/ leads). */
async function signInAsStaff(page: Page) {
  await page.goto("/admin/");
  await expect(page.getByRole("heading", { level: 1, name: "Sign in to WedSync Admin" })).toBeVisible();
  await signIn(page, STAFF);
  await expect(page).toHaveURL("/admin/organizations");
  await expect(page.getByRole("heading", { level: 1, name: "Organizations" })).toBeVisible();
}

const sections = (page: Page) => page.getByRole("navigation", { name: "Sections" });

test.describe("admin app", () => {
  // Each test signs in (a deliberately slow password hash) and runs axe: room for a busy machine.
  test.describe.configure({ timeout: 60_000 });

  test("someone who is not platform staff is told so and sees no organizations", async ({ page }) => {
    await page.goto("/admin/organizations");
    await signIn(page, "member@evermore.demo");

    await expect(page.getByRole("heading", { level: 1, name: "Platform staff only" })).toBeVisible();
    await expect(page.getByRole("table")).toHaveCount(0);
    await expect(page.getByRole("navigation", { name: "Sections" })).toHaveCount(0);
    await expect(page.getByRole("link", { name: "Go to the supplier app" })).toHaveAttribute("href", "/");
    await expect(page.getByRole("button", { name: "Sign out" })).toBeVisible();
    await expectNoAxeViolations(page);

    await page.getByRole("button", { name: "Sign out" }).click();
    await expect(page.getByRole("heading", { level: 1, name: "Sign in to WedSync Admin" })).toBeVisible();
  });

  test("staff open an organization from the list, see its configuration, and act on it in the supplier app", async ({
    page,
  }) => {
    await signInAsStaff(page);
    await expect(page.getByRole("banner")).toContainText("Platform staff");
    await expect(sections(page).getByRole("link", { name: "Organizations" })).toHaveAttribute(
      "aria-current",
      "page",
    );
    const organizations = page.getByRole("grid", { name: "Organizations" });
    for (const name of DEMO_ORGANIZATIONS) {
      await expect(organizations.getByRole("rowheader", { name: new RegExp(name) })).toBeVisible();
    }
    const evermoreRow = organizations.getByRole("row", { name: /Evermore Wedding Planners/ });
    await expect(evermoreRow).toContainText("Enterprise");
    await expect(evermoreRow).toContainText("Europe/Paris");
    await expect(
      evermoreRow.getByRole("link", { name: /clients of Evermore Wedding Planners/ }),
    ).toHaveAttribute("href", /^\/o\/[0-9a-f-]{36}\/clients$/);
    await expectNoAxeViolations(page);

    await organizations.getByRole("link", { name: "Evermore Wedding Planners", exact: true }).click();
    await expect(page).toHaveURL(ORG_PAGE);
    const orgId = ORG_PAGE.exec(new URL(page.url()).pathname)![1]!;
    const heading = page.getByRole("heading", { level: 1, name: "Evermore Wedding Planners" });
    await expect(heading).toBeFocused();
    await expect(page).toHaveTitle("Evermore Wedding Planners · WedSync Admin");
    await expect(page.getByText("Enterprise tier · time zone Europe/Paris")).toBeVisible();
    const config = page.getByRole("table", {
      name: "AI platform configuration for Evermore Wedding Planners",
    });
    await expect(config.getByRole("row")).toHaveCount(4); // header + the three features
    await expect(config.getByRole("rowheader")).toHaveText([
      "PDF analysis",
      "Field extraction",
      "Smart mapping",
    ]);
    await expect(config).not.toContainText("Requires"); // enterprise: nothing locked
    await expect(config).not.toContainText("smart_mapping");
    await expect(page.getByTestId("live-status")).toHaveText("Live", { timeout: 20_000 });
    // Still under Organizations in the navigation.
    await expect(sections(page).getByRole("link", { name: "Organizations" })).toHaveAttribute(
      "aria-current",
      "page",
    );
    await expectNoAxeViolations(page);

    // The address names the organization: a reload shows it again.
    await page.reload();
    await expect(heading).toBeVisible();

    const supplier = page.getByRole("region", { name: "Open in the supplier app" });
    for (const [label, screen] of [
      ["Clients", "clients"],
      ["Usage analytics", "analytics"],
      ["Billing", "billing"],
      ["Alerts", "alerts"],
    ] as const) {
      await expect(supplier.getByRole("link", { name: label })).toHaveAttribute(
        "href",
        `/o/${orgId}/${screen}`,
      );
    }
    await supplier.getByRole("link", { name: "AI configuration" }).click();
    await expect(page).toHaveURL(`/o/${orgId}/config`);
    await expect(page.getByRole("heading", { level: 1, name: "AI configuration" })).toBeVisible();
    // Staff act there as admins of that organization (not a member of it).
    await expect(page.getByRole("banner")).toContainText("Evermore Wedding Planners");
    await expect(page.getByRole("banner")).toContainText("Platform staff");
    await expect(page.getByRole("switch", { name: "PDF analysis" })).toBeEnabled();
  });

  test("staff see each AI provider's health and the service levels of every endpoint over the last day", async ({
    page,
  }) => {
    // A deep link survives sign-in.
    await page.goto("/admin/service-levels");
    await signIn(page, STAFF);
    await expect(page).toHaveURL("/admin/service-levels");
    await expect(page.getByRole("heading", { level: 1, name: "Service levels" })).toBeFocused();

    const providers = page.getByRole("table", { name: /AI providers/ });
    // The e2e server runs without OPENAI_API_KEY: the local rules engine is the only provider.
    const local = providers.getByRole("row", { name: /Local rules engine/ });
    await expect(local).toContainText("Primary");
    await expect(local).toContainText("Healthy");

    const verdict = page.getByTestId("sla-verdict");
    // Response times are written in batches each second: this page's own calls show up shortly.
    await expect(async () => {
      await page.reload();
      await expect(verdict).toContainText(/endpoints (met|broke) the SLA/, { timeout: 2_000 });
    }).toPass({ timeout: 20_000 });
    const table = page.getByRole("table", { name: /Endpoints, last 24 hours/ });
    await expect(table.getByRole("row", { name: /trpc:auth\.session/ })).toBeVisible();
    await expectNoAxeViolations(page);
  });

  test("every section has its own address, reached from the nav, and Back works", async ({ page }) => {
    await signInAsStaff(page);
    const visited: string[] = [];
    for (const [label, path] of [
      ["Bulk changes", "/admin/bulk"],
      ["Throttling", "/admin/throttling"],
      ["Model prices", "/admin/model-prices"],
      ["Audit", "/admin/audit"],
      ["Service levels", "/admin/service-levels"],
      ["Invoices", "/admin/invoices"],
    ] as const) {
      await sections(page).getByRole("link", { name: label }).click();
      await expect(page).toHaveURL(new RegExp(`${path}(\\?.*)?$`));
      await expect(page.getByRole("heading", { level: 1 })).toBeFocused();
      await expect(sections(page).getByRole("link", { name: label })).toHaveAttribute("aria-current", "page");
      await expect(page.getByText("This screen is being built")).toHaveCount(0);
      visited.push(path);
    }
    await page.goBack();
    await expect(page).toHaveURL(new RegExp(`${visited.at(-2)}(\\?.*)?$`));
  });

  test.describe("addresses that lead nowhere", () => {
    test.use({
      // A tuple: Playwright reads a bare two-element array as [value, options].
      expectedHttpErrors: [
        [
          { status: 404, path: "/trpc/platform.config.get" },
          { status: 404, path: "/trpc/admin.organizations.get" },
        ],
        { scope: "test" },
      ],
    });

    test("get a not-found page inside the app, with a way back to the organizations", async ({ page }) => {
      await signInAsStaff(page);

      await page.goto("/admin/no/such/screen");
      await expect(page.getByRole("heading", { level: 1, name: "This page does not exist" })).toBeVisible();
      await expect(sections(page)).toBeVisible();
      await expectNoAxeViolations(page);

      await page.goto("/admin/organizations/not-an-id");
      await expect(
        page.getByRole("heading", { level: 1, name: "This organization does not exist" }),
      ).toBeVisible();

      await page.goto("/admin/organizations/00000000-0000-4000-8000-000000000000");
      await expect(
        page.getByRole("heading", { level: 1, name: "This organization does not exist" }),
      ).toBeVisible();
      await page.getByRole("link", { name: "Go to the list of organizations" }).click();
      await expect(page).toHaveURL("/admin/organizations");
    });
  });

  test("the admin app works on a 375 px wide screen", async ({ page }) => {
    await page.setViewportSize({ width: 375, height: 740 });
    await signInAsStaff(page);
    await page.getByRole("link", { name: "Golden Hour Photography", exact: true }).click();
    await expect(page.getByRole("heading", { level: 1, name: "Golden Hour Photography" })).toBeVisible();
    // Nothing but the tables' own scrolling regions is wider than the screen.
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth);
    expect(overflow).toBeLessThanOrEqual(375);
    await expectNoAxeViolations(page);
  });
});
