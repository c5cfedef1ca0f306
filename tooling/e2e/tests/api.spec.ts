import type { APIRequestContext, Page } from "@playwright/test";
import { organizationId, trpcMutation, trpcQuery } from "../support/api";
import { signIn } from "../support/auth";
import { expectNoAxeViolations } from "../support/axe";
import { expect, test } from "../support/fixtures";

const ORG = "Evermore Wedding Planners";
const OWNER = "owner@evermore.demo";

/** Signed in as `email`, at the API screen `section` ("" overview, "/keys", "/reference?…"). */
async function openApi(page: Page, section = "", email = OWNER): Promise<string> {
  await page.goto("/");
  await signIn(page, email);
  await expect(page).toHaveURL(/\/o\/[0-9a-f-]{36}\/config$/);
  const orgId = await organizationId(page.request, ORG);
  await page.goto(`/o/${orgId}/api${section}`);
  await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
  return orgId;
}

/** One AI request through /v1 with an API key: the HTTP status. */
async function chat(request: APIRequestContext, key: string): Promise<number> {
  const res = await request.post("/v1/chat/completions", {
    headers: { authorization: `Bearer ${key}`, "x-wedsync-feature": "field_extraction" },
    data: {
      model: "gpt-4o-mini",
      messages: [{ role: "user", content: "Emma & Liam, 12 June 2027, 80 guests" }],
    },
  });
  return res.status();
}

test.describe("API and keys", () => {
  // Several axe runs per test, on a machine that may be busy.
  test.describe.configure({ timeout: 90_000 });

  test("create a key (its secret shown once), use it, revoke it: /v1 then answers 401", async ({
    page,
    context,
  }) => {
    await context.grantPermissions(["clipboard-read", "clipboard-write"]);
    await openApi(page, "/keys");
    await expect(page.getByRole("heading", { level: 1, name: "API keys" })).toBeVisible();
    await expect(
      page.getByRole("navigation", { name: "API sections" }).getByRole("link", { name: "Keys" }),
    ).toHaveAttribute("aria-current", "page");
    await expectNoAxeViolations(page);

    // Refused in the form, before any request.
    await page.getByRole("button", { name: "Create key" }).click();
    await expect(page.getByText("Name: give the key a name")).toBeVisible();

    const name = `E2E booking site ${Date.now()}`;
    await page.getByRole("textbox", { name: "Name" }).fill(name);
    await page.getByRole("button", { name: "Create key" }).click();
    const dialog = page.getByRole("dialog", { name: `Your new key “${name}”` });
    await expect(dialog).toBeVisible();
    await expect(dialog).toContainText("it will not be shown again");
    const secret = await dialog.getByRole("textbox", { name: "API key" }).inputValue();
    expect(secret).toMatch(/^wsk_/);
    await dialog.getByRole("button", { name: "Copy key" }).click();
    await expect(dialog.getByText("Copied.")).toBeVisible();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(secret);
    await expectNoAxeViolations(page);
    // Escape does not throw it away by accident.
    await page.keyboard.press("Escape");
    await expect(dialog).toBeVisible();

    // The key works.
    expect(await chat(page.request, secret)).toBe(200);

    await dialog.getByRole("button", { name: "I have copied it" }).click();
    await expect(dialog).toHaveCount(0);
    const row = page.getByRole("row", { name: new RegExp(name) });
    await expect(row).toContainText("Active");
    await expect(page.locator("body")).not.toContainText(secret);
    // Shown once: not after a reload either, only the key's prefix.
    await page.reload();
    await expect(row).toBeVisible();
    await expect(page.locator("body")).not.toContainText(secret);
    await expect(row).toContainText(`${secret.slice(0, 8)}`);

    await row.getByRole("button", { name: /^Revoke/ }).click();
    const confirm = page.getByRole("alertdialog", { name: `Revoke “${name}”?` });
    await expect(confirm).toContainText("stops working at once");
    await expectNoAxeViolations(page);
    await confirm.getByRole("button", { name: "Revoke key" }).click();
    await expect(confirm).toHaveCount(0);
    await expect(row).toContainText("Revoked");
    await expect(row.getByRole("button", { name: /^Revoke/ })).toHaveCount(0);
    await expect(page.getByText("Key revoked")).toBeVisible();

    expect(await chat(page.request, secret)).toBe(401);
  });

  test("a member sees why keys are not theirs to manage", async ({ page }) => {
    await openApi(page, "/keys", "member@evermore.demo");
    await expect(page.getByText("Only owners and admins can create or revoke API keys")).toBeVisible();
    await expect(page.getByRole("button", { name: "Create key" })).toHaveCount(0);
    await expectNoAxeViolations(page);
  });

  test("the reference: grouped, searchable, and Try it on a query and a mutation answers 200", async ({
    page,
  }) => {
    const orgId = await openApi(page, "/reference");
    await expect(page.getByRole("heading", { level: 1, name: "API reference" })).toBeVisible();
    const clients = page.getByRole("region", { name: /Clients \(weddings\)/ });
    await expect(clients.getByRole("heading")).toContainText("Client-level");
    await expect(clients.getByRole("link", { name: /^clients\.list/ })).toContainText("Client-level");
    await expect(page.getByRole("link", { name: /^admin\.organizations\.list/ })).toContainText("Staff only");
    await expectNoAxeViolations(page);

    await page.getByRole("searchbox", { name: "Search procedures" }).fill("invoices");
    await expect(page).toHaveURL(/q=invoices/);
    await expect(page.getByRole("link", { name: /^billing\.invoices\.preview/ })).toBeVisible();
    await expect(page.getByRole("link", { name: /^clients\.list/ })).toHaveCount(0);
    await page.getByRole("searchbox", { name: "Search procedures" }).fill("clients list");
    await page.getByRole("link", { name: /^clients\.list/ }).click();
    await expect(page).toHaveURL(/p=clients\.list/);

    // A query: GET with the encoded envelope, previewed before it is sent.
    const detail = page.getByRole("article");
    await expect(detail.getByRole("heading", { level: 2 })).toHaveText("clients.list");
    await expect(detail.getByRole("heading", { level: 2 })).toBeFocused();
    const preview = detail.getByTestId("request-preview");
    const input = encodeURIComponent(JSON.stringify({ json: { organizationId: orgId } }));
    await expect(preview).toContainText(
      `GET http://127.0.0.1:${new URL(page.url()).port}/trpc/clients.list?input=${input}`,
    );
    await expect(preview).toContainText("Cookie: wedsync_session=");
    await detail.getByRole("button", { name: "Send request" }).click();
    await expect(detail.getByText(/^Status 200/)).toBeVisible();
    const body = detail.getByRole("region", { name: "Response body" });
    await expect(body).toContainText('"clients"');
    await expect(detail.getByText("x-request-id")).toBeVisible();
    await expectNoAxeViolations(page);

    // A mutation: POST with the {json} body.
    await page.goto(`/o/${orgId}/api/reference?p=auth.switchOrganization`);
    const mutation = page.getByRole("article");
    await expect(mutation.getByRole("heading", { level: 2 })).toHaveText("auth.switchOrganization");
    await expect(mutation.getByTestId("request-preview")).toContainText(
      `POST http://127.0.0.1:${new URL(page.url()).port}/trpc/auth.switchOrganization`,
    );
    await expect(mutation.getByTestId("request-preview")).toContainText("Content-Type: application/json");
    await expect(mutation.getByTestId("request-preview")).toContainText(
      `{"json":{"organizationId":"${orgId}"}}`,
    );
    await mutation.getByRole("button", { name: "Send request" }).click();
    await expect(mutation.getByText(/^Status 200/)).toBeVisible();
    await expect(mutation.getByRole("region", { name: "Response body" })).toContainText(orgId);
    // Snippets for the typed client and curl, ready to paste.
    await mutation.getByRole("tab", { name: "curl" }).click();
    await expect(mutation.getByRole("region", { name: "curl snippet" })).toContainText("curl -sS -X POST");
    await expectNoAxeViolations(page);
  });

  test.describe("errors", () => {
    test.use({
      // Playwright reads an array whose second item is an object as [value, options]: say it that way.
      expectedHttpErrors: [
        [
          { status: 400, path: "/trpc/clients.config.get" },
          { status: 401, path: "/trpc/clients.config.get" },
        ],
        { scope: "test" },
      ],
    });

    test("an error shows its code, the request id and what to do", async ({ page }) => {
      const orgId = await openApi(page, "/reference?p=clients.config.get");
      const detail = page.getByRole("article");
      await expect(detail.getByRole("heading", { level: 2 })).toHaveText("clients.config.get");
      // The example names a real client of the organization: it works as it stands.
      await detail.getByRole("button", { name: "Send request" }).click();
      await expect(detail.getByText(/^Status 200/)).toBeVisible();

      await detail
        .getByRole("textbox", { name: "Input (JSON)" })
        .fill(JSON.stringify({ organizationId: orgId, clientId: "not-a-client" }));
      await detail.getByRole("button", { name: "Send request" }).click();
      await expect(detail.getByText(/^Status 400/)).toBeVisible();
      const alert = detail.getByRole("alert");
      await expect(alert).toContainText("BAD_REQUEST");
      await expect(alert).toContainText("clientId");
      await expect(alert).toContainText("Check the highlighted values and try again.");
      await expect(alert).toContainText(/Request id [0-9a-f-]{8,}/);
      await expectNoAxeViolations(page);

      // With a key that is not valid: 401, and the hint is about the key.
      // React Aria keeps the radio input itself visually hidden: press its label, as a person does.
      await detail.locator("label", { hasText: "An API key" }).click();
      await expect(detail.getByRole("radio", { name: "An API key" })).toBeChecked();
      await detail.getByLabel("API key", { exact: true }).fill("wsk_not_a_real_key");
      await expect(detail.getByTestId("request-preview")).toContainText(
        "Authorization: Bearer wsk_not_a_real_key",
      );
      await expect(detail.getByTestId("request-preview")).not.toContainText("Cookie:");
      await detail.getByRole("button", { name: "Send request" }).click();
      await expect(detail.getByText(/^Status 401/)).toBeVisible();
      await expect(detail.getByRole("alert")).toContainText("UNAUTHORIZED");
      await expect(detail.getByRole("alert")).toContainText("revoked");
    });
  });

  test("rate-limit status moves as requests arrive, without a reload", async ({ page }) => {
    const orgId = await openApi(page);
    await expect(page.getByRole("heading", { level: 1, name: "API & keys" })).toBeVisible();
    const { secret } = await trpcMutation<{ secret: string }>(page.request, "apiKeys.create", {
      organizationId: orgId,
      name: `E2E rate limits ${Date.now()}`,
      role: "member",
    });
    const meter = page.getByRole("meter", { name: "Field extraction" });
    await expect(meter).toHaveAttribute("aria-valuetext", /left this minute/);
    await expectNoAxeViolations(page);
    const left = async () =>
      Number(
        /^([\d,]+) of/.exec((await meter.getAttribute("aria-valuetext")) ?? "")![1]!.replaceAll(",", ""),
      );
    const before = await left();

    for (let i = 0; i < 3; i++) expect(await chat(page.request, secret)).toBe(200);

    // The screen follows the limiter (read, never used, by usage.rateLimits) by itself.
    await expect
      .poll(async () => {
        const truth = await trpcQuery<{ features: Array<{ featureType: string; remaining: number }> }>(
          page.request,
          "usage.rateLimits",
          { organizationId: orgId },
        );
        const remaining = truth.features.find((f) => f.featureType === "field_extraction")!.remaining;
        const shown = await left();
        return shown === remaining && shown < before;
      })
      .toBe(true);
    await expect(page.getByText(/A used slot frees up in \d+ s\.|Limit reached/).first()).toBeVisible();
    // The countdown runs locally.
    const countdown = page.locator("[data-feature=field_extraction] .api-resets");
    const first = await countdown.textContent();
    await expect.poll(() => countdown.textContent(), { timeout: 5_000 }).not.toBe(first);
  });

  test("at 375 px wide every API screen fits without sideways scrolling", async ({ page }) => {
    await page.setViewportSize({ width: 375, height: 740 });
    const orgId = await openApi(page, "/reference?p=clients.process");
    await expect(page.getByRole("article").getByRole("heading", { level: 2 })).toHaveText("clients.process");
    for (const [section, ready] of [
      ["/reference?p=clients.process", "Send request"],
      ["", "Copy"],
      ["/keys", "Create key"],
    ] as const) {
      await page.goto(`/o/${orgId}/api${section}`);
      await expect(page.getByRole("button", { name: ready }).first()).toBeVisible();
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      expect(overflow, section || "overview").toBeLessThanOrEqual(0);
    }
  });
});
