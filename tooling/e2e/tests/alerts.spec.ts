import type { APIRequestContext, Page } from "@playwright/test";
import { organizationId, trpcMutation, trpcQuery } from "../support/api";
import { signIn } from "../support/auth";
import { expectNoAxeViolations } from "../support/axe";
import { expect, test } from "../support/fixtures";

const ORG = "Golden Hour Photography";
const TIMEZONE = "America/New_York";
const WEBHOOK = "https://hooks.example.com/wedsync-e2e";

interface Rule {
  id: string;
  kind: string;
  thresholds: number[];
  webhookUrl: string | null;
  hasWebhookSecret: boolean;
}
interface AlertRow {
  id: number;
  kind: string;
  threshold: number;
  period: string;
}

async function openAsOwner(page: Page) {
  await page.goto("/");
  await signIn(page, "owner@golden-hour.demo");
  await expect(page).toHaveURL(/\/o\/[0-9a-f-]{36}\/config$/);
  return organizationId(page.request, ORG);
}

const today = () =>
  new Intl.DateTimeFormat("en-CA", {
    timeZone: TIMEZONE,
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
  }).format(new Date());

/**
 * A slow-responses threshold that has not fired today. Such a rule is judged once the day has 20
 * completed requests (alert-service's minRequests) and fires when the day's p95 processing time
 * reaches it: a few milliseconds is reached by any real request, so the alert comes as soon as
 * the day has its 20th request (or at once, when it already has them).
 */
async function freshLatencyThreshold(request: APIRequestContext, orgId: string): Promise<number> {
  const { alerts } = await trpcQuery<{ alerts: AlertRow[] }>(request, "alerts.list", {
    organizationId: orgId,
    kind: "p95_latency",
    limit: 100,
  });
  const used = new Set(alerts.filter((a) => a.period === today()).map((a) => a.threshold));
  const t = [1, 2, 3, 4, 5, 6, 7, 8].find((n) => !used.has(n));
  expect(t, "an unused small threshold").toBeDefined();
  return t!;
}

/** One rule per kind: a slow-responses rule left by an earlier run would make "create" a conflict. */
async function removeLatencyRule(request: APIRequestContext, orgId: string) {
  const rules = await trpcQuery<Rule[]>(request, "alerts.rules.list", { organizationId: orgId });
  for (const r of rules.filter((r) => r.kind === "p95_latency")) {
    await trpcMutation(request, "alerts.rules.delete", { organizationId: orgId, id: r.id });
  }
}

test.describe("alerts", () => {
  test("create a rule, see its secret once, watch an alert arrive live, then edit and delete it", async ({
    page,
  }) => {
    test.setTimeout(300_000); // a whole flow: dozens of requests and six axe scans
    const orgId = await openAsOwner(page);
    await removeLatencyRule(page.request, orgId);
    const threshold = await freshLatencyThreshold(page.request, orgId);

    await page.getByRole("navigation", { name: "Sections" }).getByRole("link", { name: "Alerts" }).click();
    await expect(page).toHaveURL(`/o/${orgId}/alerts`);
    await expect(page.getByRole("heading", { level: 1, name: "Alerts" })).toBeVisible();
    await expect(page.getByRole("heading", { level: 2, name: "History" })).toBeVisible();
    await expect(page.getByText("Loading alerts…")).toHaveCount(0);
    await expectNoAxeViolations(page);

    // Create: bad values are refused in the form, naming the field's limits.
    await page.getByRole("button", { name: "New alert rule" }).click();
    const dialog = page.getByRole("dialog", { name: "New alert rule" });
    await expect(dialog).toBeVisible();
    await dialog.getByRole("button", { name: /What to watch/ }).click();
    await page.getByRole("option", { name: "Slow responses" }).click();
    const thresholds = dialog.getByRole("textbox", { name: "Alert at (milliseconds)" });
    await thresholds.fill("0");
    const webhook = dialog.getByRole("textbox", { name: /Webhook URL/ });
    await webhook.fill("hooks.example.com/wedsync");
    await dialog.getByRole("button", { name: "Create rule" }).click();
    await expect(dialog.getByText(/from 1 to 600000 \(milliseconds\); 0 is outside that/)).toBeVisible();
    await expect(dialog.getByText(/Enter a full web address starting with https:\/\//)).toBeVisible();
    await expect(thresholds).toHaveAttribute("aria-invalid", "true");
    await expectNoAxeViolations(page);

    await thresholds.fill(String(threshold));
    await webhook.fill(WEBHOOK);
    await dialog.getByRole("button", { name: "Create rule" }).click();

    // The signing secret, once.
    const secretDialog = page.getByRole("dialog", { name: "Your webhook signing secret" });
    await expect(secretDialog).toBeVisible();
    await expect(secretDialog).toContainText("it will not be shown again");
    const secretField = secretDialog.getByRole("textbox", { name: `Signing secret for ${WEBHOOK}` });
    const secret = await secretField.inputValue();
    expect(secret).toMatch(/^whsec_[A-Za-z0-9_-]{43}$/);
    await expectNoAxeViolations(page);
    await secretDialog.getByRole("button", { name: "Copy secret" }).click();
    await expect(secretDialog.getByText(/Copied to the clipboard|Could not copy/)).toBeVisible();
    await secretDialog.getByRole("button", { name: "I have saved it" }).click();
    await expect(secretDialog).toHaveCount(0);
    expect(await page.content()).not.toContain(secret);
    // The API keeps it to sign with and never gives it back.
    const rules = await trpcQuery<Rule[]>(page.request, "alerts.rules.list", { organizationId: orgId });
    const rule = rules.find((r) => r.kind === "p95_latency")!;
    expect(rule).toMatchObject({ thresholds: [threshold], webhookUrl: WEBHOOK, hasWebhookSecret: true });
    expect(JSON.stringify(rules)).not.toContain(secret);
    const row = page.getByTestId("alert-rules").getByRole("row", { name: /Slow responses/ });
    await expect(row).toContainText(`${threshold} ms`);
    await expect(row).toContainText(WEBHOOK);

    // Requests until the day's p95 crosses the threshold; the alert must arrive without a reload.
    await page.evaluate(() => {
      (window as unknown as { stillHere: boolean }).stillHere = true;
    });
    const { clients } = await trpcQuery<{ clients: Array<{ id: string; coupleNames: string }> }>(
      page.request,
      "clients.list",
      {
        organizationId: orgId,
      },
    );
    // Mia & Lucas have no override: field extraction on, inherited (the list is in id order, not seed order).
    const client = clients.find((c) => c.coupleNames === "Mia & Lucas")!.id;
    const toast = page.getByRole("region", { name: /Notifications/ }).getByText("New alert");
    for (let i = 0; i < 40 && !(await toast.isVisible()); i++) {
      // Answers are not checked: a request turned away (rate limit) does not count, the next one will.
      await page.request.post("/trpc/clients.process", {
        data: {
          json: {
            organizationId: orgId,
            clientId: client,
            featureType: "field_extraction",
            input: { text: `Mia & Lucas, 25 September 2027, Glen Manor Vineyards, request ${i}` },
          },
        },
      });
    }
    await expect(toast).toBeVisible({ timeout: 20_000 });
    const newest = page.getByTestId("alert-history").locator("tbody tr").first();
    await expect(newest).toHaveClass("alert-new");
    await expect(newest).toContainText("New");
    await expect(newest).toContainText("Slow responses");
    await expect(newest).toContainText(`95th-percentile processing time on ${today()}`);
    await expect(newest).toContainText(`(alert at ${threshold} ms)`);
    expect(await page.evaluate(() => (window as unknown as { stillHere?: boolean }).stillHere)).toBe(true);
    const raised = await trpcQuery<{ alerts: AlertRow[] }>(page.request, "alerts.list", {
      organizationId: orgId,
      limit: 1,
    });
    expect(raised.alerts[0]).toMatchObject({ kind: "p95_latency", threshold, period: today() });
    await expect(newest).toHaveAttribute("data-alert-id", String(raised.alerts[0]!.id));
    await expectNoAxeViolations(page);

    // Edit: a bad threshold is refused, then a second threshold and a new secret, shown once.
    await row.getByRole("button", { name: "Edit the Slow responses rule" }).click();
    const edit = page.getByRole("dialog", { name: "Edit the Slow responses rule" });
    await expect(edit).toBeVisible();
    const editThresholds = edit.getByRole("textbox", { name: "Alert at (milliseconds)" });
    await expect(editThresholds).toHaveValue(String(threshold));
    await editThresholds.fill("700000");
    await edit.getByRole("button", { name: "Save rule" }).click();
    await expect(edit.getByText(/from 1 to 600000 \(milliseconds\); 700000 is outside that/)).toBeVisible();
    await expectNoAxeViolations(page);
    await editThresholds.fill(`${threshold}, 5000`);
    // Keyboard only: Tab to the checkbox, Space ticks it.
    await edit.getByRole("checkbox", { name: /Replace the signing secret/ }).focus();
    await page.keyboard.press("Space");
    await expect(edit.getByRole("checkbox", { name: /Replace the signing secret/ })).toBeChecked();
    await edit.getByRole("button", { name: "Save rule" }).click();
    await expect(secretDialog).toBeVisible();
    const replaced = await secretField.inputValue();
    expect(replaced).toMatch(/^whsec_/);
    expect(replaced).not.toBe(secret);
    await secretDialog.getByRole("button", { name: "I have saved it" }).click();
    await expect(row).toContainText(`${threshold} ms, 5,000 ms`);

    // Delete, behind a confirmation.
    await row.getByRole("button", { name: "Delete the Slow responses rule" }).click();
    const confirm = page.getByRole("alertdialog", { name: "Delete the Slow responses rule?" });
    await expect(confirm).toContainText("Alerts already raised stay in the history");
    await expectNoAxeViolations(page);
    await confirm.getByRole("button", { name: "Delete rule" }).click();
    await expect(confirm).toHaveCount(0);
    await expect(page.getByTestId("alert-rules").getByRole("row", { name: /Slow responses/ })).toHaveCount(0);
    const left = await trpcQuery<Rule[]>(page.request, "alerts.rules.list", { organizationId: orgId });
    expect(left.some((r) => r.kind === "p95_latency")).toBe(false);
    // The alert it raised stays in the history.
    await expect(newest).toContainText(`(alert at ${threshold} ms)`);
  });

  test("a member who opens alerts sees that they are for owners and admins", async ({ page }) => {
    await page.goto("/");
    await signIn(page, "member@golden-hour.demo");
    await expect(page).toHaveURL(/\/o\/[0-9a-f-]{36}\/config$/);
    const orgId = await organizationId(page.request, ORG);
    await page.goto(`/o/${orgId}/alerts`);
    await expect(page.getByRole("heading", { level: 1, name: "Alerts" })).toBeVisible();
    await expect(page.getByText("Only owners and admins can see alerts")).toBeVisible();
    await expect(page.getByRole("button", { name: "New alert rule" })).toHaveCount(0);
    await expectNoAxeViolations(page);
  });
});
