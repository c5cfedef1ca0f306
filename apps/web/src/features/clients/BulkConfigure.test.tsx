import { render, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { NO_OVERRIDE, resolveEffectiveConfig } from "@wedsync/core/domain";
import { describe, expect, it, vi } from "vitest";
import { type ApplyBulk, BulkConfigure, type BulkTargetRow } from "./BulkConfigure";
import type { PlatformFeature } from "./types";

const FIELD_EXTRACTION = {
  id: "p1",
  organizationId: "o1",
  featureType: "field_extraction",
  isEnabled: true,
  maxRequestsPerDay: 1000,
  maxCostPerDay: "50.00",
  priorityLevel: 5,
  rateLimitPerMinute: 60,
  model: "gpt-4o-mini",
  version: 1,
  updatedAt: new Date(),
  availableOnTier: true,
  requiredTier: "free",
} as PlatformFeature;

function target(
  id: string,
  coupleNames: string,
  override: typeof NO_OVERRIDE | null,
  version: number,
): BulkTargetRow {
  return {
    id,
    coupleNames,
    features: [
      {
        featureType: "field_extraction",
        version,
        override,
        effective: resolveEffectiveConfig(FIELD_EXTRACTION, override),
      },
    ],
  };
}

const TARGETS = [
  target("c1", "Chloé & Louis", { ...NO_OVERRIDE, maxRequestsPerDay: 200, maxCostPerDay: "10.00" }, 1),
  target("c2", "Léa & Hugo", { ...NO_OVERRIDE, isEnabled: false }, 1),
  target("c3", "Manon & Gabriel", null, 0),
];

function renderBulk(apply: ApplyBulk) {
  const onApplied = vi.fn();
  render(
    <BulkConfigure
      targets={TARGETS}
      platform={[FIELD_EXTRACTION]}
      apply={apply}
      onApplied={onApplied}
      onRefresh={() => {}}
      onCancel={() => {}}
    />,
  );
  return { onApplied };
}

async function chooseCaps(user: ReturnType<typeof userEvent.setup>, requests: string) {
  await user.click(screen.getByRole("radio", { name: "Set daily caps" }));
  await user.type(screen.getByRole("textbox", { name: "Requests a day" }), requests);
  await user.click(screen.getByRole("button", { name: "Review changes…" }));
}

describe("BulkConfigure", { timeout: 30_000 }, () => {
  it("confirms by listing every client and every value that changes (from → to), then applies once", async () => {
    const user = userEvent.setup();
    const apply = vi.fn<ApplyBulk>(async () => {});
    const { onApplied } = renderBulk(apply);
    await chooseCaps(user, "100");

    const dialog = screen.getByRole("alertdialog", { name: "Change Field extraction for 3 clients?" });
    const items = within(within(dialog).getByRole("list", { name: "Changes by client" }))
      .getAllByRole("listitem")
      .filter((li) => li.parentElement?.getAttribute("aria-label") === "Changes by client")
      .map((li) => li.textContent);
    expect(items).toEqual([
      "Chloé & LouisRequests a day: 200 (override) → 100 (override)",
      "Léa & HugoRequests a day: 1,000 (inherited) → 100 (override)",
      "Manon & GabrielRequests a day: 1,000 (inherited) → 100 (override)",
    ]);
    expect(apply).not.toHaveBeenCalled();

    await user.click(within(dialog).getByRole("button", { name: "Apply to 3 clients" }));
    expect(apply).toHaveBeenCalledTimes(1);
    expect(apply).toHaveBeenCalledWith("field_extraction", [
      expect.objectContaining({ clientId: "c1", expectedVersion: 1, overrides: { maxRequestsPerDay: 100 } }),
      expect.objectContaining({ clientId: "c2", expectedVersion: 1, overrides: { maxRequestsPerDay: 100 } }),
      expect.objectContaining({ clientId: "c3", expectedVersion: 0, overrides: { maxRequestsPerDay: 100 } }),
    ]);
    expect(onApplied).toHaveBeenCalledTimes(1);
    expect(screen.queryByRole("alertdialog")).toBeNull();
  });

  it("a reset lists what each client loses, and a client with nothing to reset as unchanged (not sent)", async () => {
    const user = userEvent.setup();
    const apply = vi.fn<ApplyBulk>(async () => {});
    renderBulk(apply);
    await user.click(screen.getByRole("radio", { name: /Reset to inherited/ }));
    await user.click(screen.getByRole("button", { name: "Review changes…" }));
    const dialog = screen.getByRole("alertdialog");
    expect(dialog.textContent).toContain("Spend a day: $10.00 (override) → $50.00 (inherited)");
    expect(dialog.textContent).toContain("Switched on: Off (override) → On (inherited)");
    expect(dialog.textContent).toContain("Manon & Gabriel — already set, no change");
    await user.click(within(dialog).getByRole("button", { name: "Apply to 2 clients" }));
    expect(apply.mock.calls[0]![1].map((c) => c.clientId)).toEqual(["c1", "c2"]);
  });

  it("refuses a cap past the platform limit in the form, naming it, with no dialog and no request", async () => {
    const user = userEvent.setup();
    const apply = vi.fn<ApplyBulk>();
    renderBulk(apply);
    await chooseCaps(user, "5000");
    expect(screen.queryByRole("alertdialog")).toBeNull();
    expect(document.body.textContent).toContain("Requests a day: at most 1,000, the platform limit");
    expect(apply).not.toHaveBeenCalled();
  });

  it("shows the API's refusal inside the dialog by client name, and keeps it open", async () => {
    const user = userEvent.setup();
    const refusal = Object.assign(new Error("changes.1.overrides.maxRequestsPerDay: …"), {
      data: {
        code: "BAD_REQUEST",
        fieldErrors: [
          {
            field: "changes.1.overrides.maxRequestsPerDay",
            message: "900 exceeds the platform limit of 800 requests a day",
          },
        ],
      },
    });
    const apply = vi.fn<ApplyBulk>(async () => {
      throw refusal;
    });
    renderBulk(apply);
    await chooseCaps(user, "900");
    const dialog = screen.getByRole("alertdialog");
    await user.click(within(dialog).getByRole("button", { name: "Apply to 3 clients" }));
    const alert = within(screen.getByRole("alertdialog")).getByRole("alert");
    expect(alert.textContent).toContain("Nothing was saved");
    expect(alert.textContent).toContain(
      "Léa & Hugo: Requests a day: 900 exceeds the platform limit of 800 requests a day",
    );
    expect(alert.textContent).not.toContain("changes.1");
  });
});
