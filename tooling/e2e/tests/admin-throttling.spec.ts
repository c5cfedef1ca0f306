import type { APIRequestContext, Page } from "@playwright/test";
import { organizationId, trpcMutation, trpcQuery } from "../support/api";
import { signIn } from "../support/auth";
import { expectNoAxeViolations } from "../support/axe";
import { expect, test } from "../support/fixtures";

const STAFF = "staff@wedsync.demo";
const STAFF_NAME = "Pat Staff";
const BLOOM = "Bloom & Petal Florals";
const BLOOM_OWNER = "owner@bloom-petal.demo";

interface ThrottleItem {
  id: string;
  scope: string;
  organizationId: string | null;
  organizationName: string | null;
}

/** Signed in as platform staff on the throttling screen (a deep link survives sign-in). */
async function openAsStaff(page: Page) {
  await page.goto("/admin/throttling");
  await signIn(page, STAFF);
  await expect(page).toHaveURL("/admin/throttling");
  await expect(page.getByRole("heading", { level: 1, name: "Throttling" })).toBeFocused();
}

/** Other specs share the server: lift anything still throttling this organization before starting. */
async function liftAllOn(request: APIRequestContext, name: string) {
  const { items } = await trpcQuery<{ items: ThrottleItem[] }>(request, "throttles.list", {
    active: true,
    limit: 200,
  });
  for (const t of items.filter((t) => t.scope === "organization" && t.organizationName === name)) {
    await trpcMutation(request, "throttles.lift", { id: t.id });
  }
}

/** One field extraction for a client of the organization, as its owner: the raw answer. */
function extract(request: APIRequestContext, orgId: string, clientId: string, i: number) {
  return request.post("/trpc/clients.process", {
    data: {
      json: {
        organizationId: orgId,
        clientId,
        featureType: "field_extraction",
        input: { text: `Grace & Harry marry on 21 August 2027 at Babington House, 90 guests (${i})` },
      },
    },
  });
}

test.describe("emergency throttling", () => {
  // Two people signed in (slow password hashes), axe scans and a live round trip each way.
  test.describe.configure({ timeout: 120_000 });
  // The owner's refused request is provoked on purpose.
  test.use({ expectedHttpErrors: [{ status: 503, path: "/trpc/clients.process" }] });

  test("staff refuse an organization's AI requests: its owner sees the banner and is refused until staff lift it", async ({
    page,
    browser,
  }) => {
    await openAsStaff(page);
    await liftAllOn(page.request, BLOOM);
    await expectNoAxeViolations(page);

    // Set: the organization found by typing, a reason, no end.
    const form = page.getByRole("form", { name: "Set a throttle" });
    await expect(form.getByRole("radio", { name: /One organization/ })).toBeChecked();
    const organization = form.getByRole("combobox", { name: "Organization" });
    await organization.fill("bloom");
    await page.getByRole("option", { name: new RegExp(BLOOM) }).click();
    await expect(organization).toHaveValue(BLOOM);
    await expect(form.getByRole("radio", { name: "Refuse new AI requests" })).toBeChecked();
    const reason = "E2E: runaway retries from a CRM sync";
    await form.getByRole("textbox", { name: "Reason" }).fill(reason);
    await form.getByRole("button", { name: "Review the throttle" }).click();

    // The confirmation says exactly what is refused, for whom, until when.
    const confirm = page.getByRole("alertdialog", { name: "Refuse these AI requests?" });
    await expect(confirm).toContainText(
      `New AI requests from ${BLOOM} (every feature, from the supplier app and through API keys) will all be refused until it is lifted by hand`,
    );
    await expect(confirm).toContainText(
      `${BLOOM} sees it on a banner in the supplier app, with your reason.`,
    );
    await expect(confirm).toContainText(reason);
    await expectNoAxeViolations(page);
    await confirm.getByRole("button", { name: "Refuse requests now" }).click();
    await expect(confirm).toBeHidden();
    await expect(page.getByRole("region", { name: "Notifications" })).toContainText("Throttle set");

    const inForce = page.getByRole("table", { name: /^Throttles in force/ });
    const row = inForce.getByRole("row", { name: new RegExp(BLOOM) });
    await expect(row).toContainText("AI requests refused");
    await expect(row).toContainText(reason);
    await expect(row).toContainText(STAFF_NAME);
    await expect(row).toContainText("Until lifted by hand");
    await expectNoAxeViolations(page);

    // The owner, in another browser context: the banner, and an AI request refused.
    const ownerContext = await browser.newContext();
    try {
      const owner = await ownerContext.newPage();
      await owner.goto("/");
      await signIn(owner, BLOOM_OWNER);
      await expect(owner).toHaveURL(/\/o\/[0-9a-f-]{36}\/config$/);
      const banner = owner.getByRole("region", { name: "AI service notice" });
      await expect(banner).toContainText(
        `AI requests are paused for your organization until WedSync lifts it (reason: ${reason}).`,
      );
      await expectNoAxeViolations(owner);

      const orgId = await organizationId(owner.request, BLOOM);
      const { clients } = await trpcQuery<{ clients: Array<{ id: string; coupleNames: string }> }>(
        owner.request,
        "clients.list",
        { organizationId: orgId },
      );
      // Grace & Harry have no override: field extraction inherited, on.
      const client = clients.find((c) => c.coupleNames === "Grace & Harry")!.id;
      const refused = await extract(owner.request, orgId, client, 1);
      expect(refused.status()).toBe(503);
      expect(Number(refused.headers()["retry-after"])).toBeGreaterThan(0);
      const body = (await refused.json()) as { error: { json: { message: string; data: { code: string } } } };
      expect(body.error.json.data.code).toBe("SERVICE_UNAVAILABLE");
      expect(body.error.json.message).toContain(reason);

      // Staff lift it, through its confirmation.
      await row.getByRole("button", { name: `Lift the throttle on ${BLOOM}` }).click();
      const lift = page.getByRole("alertdialog", { name: `Lift the throttle on ${BLOOM}?` });
      await expect(lift).toContainText(`AI requests from ${BLOOM} are admitted again at once`);
      await lift.getByRole("button", { name: "Lift it now" }).click();
      await expect(lift).toBeHidden();
      await expect(row).toBeHidden();
      const history = page.getByRole("table", { name: "Throttles that ended, newest first" });
      await expect(history.getByRole("row", { name: new RegExp(BLOOM) }).first()).toContainText(
        `Lifted by ${STAFF_NAME}`,
      );

      // The banner leaves the owner's screen by itself, and requests pass again.
      await expect(banner).toBeHidden({ timeout: 10_000 });
      const passed = await extract(owner.request, orgId, client, 2);
      expect(passed.status(), await passed.text()).toBe(200);
    } finally {
      await ownerContext.close();
    }
  });

  test("a throttle with an end leaves the list by itself when it ends; the screen fits 375 px", async ({
    page,
  }) => {
    await page.setViewportSize({ width: 375, height: 740 });
    await openAsStaff(page);
    const golden = await trpcQuery<{ rows: Array<{ id: string; name: string }> }>(
      page.request,
      "admin.organizations.list",
      { search: "golden" },
    );
    const goldenId = golden.rows.find((o) => o.name === "Golden Hour Photography")!.id;
    // A generous cap, so nothing else running against this server notices it.
    await trpcMutation(page.request, "throttles.set", {
      scope: "organization",
      organizationId: goldenId,
      mode: "cap",
      perMinute: 5000,
      reason: "E2E: a short cap that ends by itself",
      expiresAt: new Date(Date.now() + 6_000).toISOString(),
    });
    await page.reload();
    const row = page
      .getByRole("table", { name: /^Throttles in force/ })
      .getByRole("row", { name: /Golden Hour Photography/ });
    await expect(row).toContainText("Limited to 5,000 a minute");
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
    await expectNoAxeViolations(page);

    // No reload: it goes at its end time, and the history has it.
    await expect(row).toBeHidden({ timeout: 15_000 });
    await expect(page.getByRole("region", { name: "Notifications" })).toContainText(
      "A throttle ended by itself",
    );
    await expect(
      page
        .getByRole("table", { name: "Throttles that ended, newest first" })
        .getByRole("row", { name: /Golden Hour Photography/ })
        .first(),
    ).toContainText("Ended by itself");
  });
});
