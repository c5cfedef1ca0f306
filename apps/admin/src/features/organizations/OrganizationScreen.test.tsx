import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, describe, expect, it, vi } from "vitest";
import { renderAdmin } from "../../test/render";
import { OrganizationScreen } from "./OrganizationScreen";
import { EVERMORE, row, throttle } from "./test-fixtures";

afterEach(() => vi.unstubAllGlobals());

const feature = (featureType: string, over: Record<string, unknown> = {}) => ({
  id: `f-${featureType}`,
  organizationId: EVERMORE,
  featureType,
  isEnabled: true,
  maxRequestsPerDay: 1000,
  maxCostPerDay: "25.00",
  priorityLevel: 5,
  rateLimitPerMinute: 60,
  model: "gpt-4o-mini",
  version: 1,
  updatedAt: new Date(),
  availableOnTier: true,
  requiredTier: "free",
  clientOverrides: 0,
  clientsSwitchedOff: 0,
  ...over,
});

const OVERVIEW = {
  ...row({
    id: EVERMORE,
    name: "Evermore Wedding Planners",
    slug: "evermore",
    tier: "enterprise",
    timezone: "Europe/Paris",
    clientCount: 6,
    monthSpendUsd: "3.25",
    credit: { month: "2026-06", status: "ok", usedUsd: "3.250000", limitUsd: "100.00" },
    activeAlerts: 1,
  }),
  billingEmail: "billing@evermore.demo",
  members: [
    {
      userId: "u1",
      name: "Olivia Owner",
      email: "owner@evermore.demo",
      role: "owner",
      since: new Date("2025-01-01"),
    },
    {
      userId: "u2",
      name: "Max Member",
      email: "member@evermore.demo",
      role: "member",
      since: new Date("2025-02-01"),
    },
  ],
  features: [
    feature("pdf_analysis"),
    feature("field_extraction", { clientOverrides: 2, clientsSwitchedOff: 1 }),
    feature("smart_mapping", { isEnabled: false }),
  ],
  invoicePreview: {
    periodStart: "2026-06-01",
    periodEnd: "2026-06-30",
    subtotalUsd: "3.25",
    totalUsd: "3.90",
    pendingRequests: 0,
  },
  recentAlerts: [
    {
      id: 7,
      organizationId: EVERMORE,
      ruleId: 1,
      kind: "daily_cost",
      threshold: 80,
      period: "2026-06-15",
      value: "81",
      message: "field_extraction spend today reached 81% of its daily cost cap",
      createdAt: new Date("2026-06-15T09:00:00Z"),
      delivery: { attempts: 0, deliveredAt: null, error: null, nextAttemptAt: null },
    },
  ],
};

const PLATFORM_PAUSE = throttle({
  id: "dddddddd-dddd-4ddd-8ddd-dddddddddddd",
  scope: "platform",
  reason: "Provider outage",
});

describe("OrganizationScreen", () => {
  it("shows the organization's month, configuration, members and alerts in words, and where to act on it", async () => {
    await renderAdmin(<OrganizationScreen organizationId={EVERMORE} />, {
      answers: {
        "admin.organizations.get": OVERVIEW,
      },
    });
    const heading = await screen.findByRole("heading", { level: 1, name: "Evermore Wedding Planners" });
    expect(document.activeElement).toBe(heading);
    expect(screen.getByText("Enterprise tier · time zone Europe/Paris")).toBeTruthy();

    const month = screen.getByRole("region", { name: "This month (June 2026)" });
    expect(month.textContent).toContain("Spend this month$3.25");
    expect(month.textContent).toContain("Invoice so far (not issued)$3.90");
    expect(month.textContent).toContain("1 alert");
    expect(
      within(month).getByRole("meter", { name: "Credit used this month" }).getAttribute("aria-valuetext"),
    ).toBe("$3.25 of $100.00");

    const config = screen.getByRole("region", {
      name: "AI platform configuration for Evermore Wedding Planners",
    });
    const extraction = within(config).getByRole("row", { name: /Field extraction/ });
    expect(extraction.textContent).toContain("2 clients with own settings");
    expect(extraction.textContent).toContain("1 client switched it off");
    expect(within(config).getByRole("row", { name: /Smart mapping/ }).textContent).toContain("Off");
    expect(config.textContent).not.toContain("smart_mapping");

    const members = screen.getByRole("region", { name: "Members of Evermore Wedding Planners" });
    expect(within(members).getByRole("row", { name: /Olivia Owner/ }).textContent).toContain("Owner");

    const alerts = screen.getByRole("list", { name: "Last alerts" });
    expect(alerts.textContent).toContain("Daily spend");
    expect(alerts.textContent).toContain("Field extraction spend today");
    expect(alerts.textContent).not.toContain("field_extraction");

    expect(screen.getByText(/Not throttled/)).toBeTruthy();
    expect(screen.getByRole("link", { name: "Change history" }).getAttribute("href")).toBe(
      `/o/${EVERMORE}/config#audit-heading`,
    );
    expect(screen.getByRole("link", { name: "All organizations" }).getAttribute("href")).toBe(
      "/admin/organizations",
    );
  });

  it("lifts a throttle reaching it after a confirmation that says whom else it reaches", async () => {
    const user = userEvent.setup();
    const { calls } = await renderAdmin(<OrganizationScreen organizationId={EVERMORE} />, {
      answers: {
        "admin.organizations.get": { ...OVERVIEW, throttles: [PLATFORM_PAUSE] },
        "throttles.lift": { ...PLATFORM_PAUSE, organizationId: null, liftedAt: new Date() },
      },
    });
    const throttles = await screen.findByRole("list", { name: "Throttles in force" });
    expect(throttles.textContent).toContain("Paused for the whole platform, until lifted.");
    expect(throttles.textContent).toContain("Reason: Provider outage");
    await user.click(within(throttles).getByRole("button", { name: "Lift" }));
    const dialog = screen.getByRole("alertdialog", { name: "Lift this throttle?" });
    expect(dialog.textContent).toContain("for every organization it reaches, not only this one");
    expect(calls).not.toContain("throttles.lift");
    await user.click(within(dialog).getByRole("button", { name: "Lift the throttle" }));
    await waitFor(() => expect(screen.queryByRole("alertdialog")).toBeNull());
    expect(calls).toContain("throttles.lift");
  });

  it("says the organization does not exist when the API does not know it", async () => {
    await renderAdmin(<OrganizationScreen organizationId={EVERMORE} />);
    expect(
      await screen.findByRole("heading", { level: 1, name: "This organization does not exist" }),
    ).toBeTruthy();
    expect(screen.getByRole("link", { name: "Go to the list of organizations" }).getAttribute("href")).toBe(
      "/admin/organizations",
    );
  });
});
