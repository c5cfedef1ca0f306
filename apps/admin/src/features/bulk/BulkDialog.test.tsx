import { render, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import type { ApiError } from "@wedsync/ui/errors";
import { describe, expect, it, vi } from "vitest";
import { BulkDialog } from "./BulkDialog";
import type { Preview } from "./BulkPreview";

const GOLDEN = "33333333-3333-4333-8333-333333333333";
const EVERMORE = "22222222-2222-4222-8222-222222222222";
const BLOOM = "11111111-1111-4111-8111-111111111111";

const CAP = { featureType: "field_extraction" as const, patch: { maxRequestsPerDay: 100 } };

const PREVIEW: Preview = {
  featureType: "field_extraction",
  organizations: [
    {
      organizationId: EVERMORE,
      name: "Evermore Wedding Planners",
      slug: "evermore",
      tier: "enterprise",
      version: 4,
      changes: [{ field: "maxRequestsPerDay", from: 1000, to: 100 }],
      clampedClients: [
        {
          clientId: "c1",
          clientName: "Chloé & Louis",
          changes: [{ field: "maxRequestsPerDay", from: 200, to: 100 }],
        },
      ],
      problem: null,
    },
    {
      organizationId: GOLDEN,
      name: "Golden Hour Photography",
      slug: "golden-hour",
      tier: "professional",
      version: 2,
      changes: [],
      clampedClients: [],
      problem: null,
    },
  ],
  expectedVersions: [
    { organizationId: EVERMORE, version: 4 },
    { organizationId: GOLDEN, version: 2 },
  ],
  totals: { organizations: 2, changing: 1, clampedClients: 1, problems: 0 },
};

function renderDialog(over: Partial<Parameters<typeof BulkDialog>[0]> = {}) {
  const props = {
    change: CAP,
    preview: PREVIEW,
    previewError: null,
    onPreviewAgain: vi.fn(),
    apply: vi.fn(async () => {}),
    onApplied: vi.fn(),
    onClose: vi.fn(),
    ...over,
  };
  render(<BulkDialog {...props} />);
  return { props, dialog: screen.getByRole("alertdialog") };
}

const apiError = (code: string, message: string, details: unknown = null) =>
  ({
    message,
    data: { code, httpStatus: 409, fieldErrors: [], details, requestId: "req-1", path: null },
  }) as unknown as ApiError;

describe("BulkDialog", { timeout: 30_000 }, () => {
  it("lists every organization and every value that changes, and the clients lowered to fit; then applies at the preview's versions", async () => {
    const user = userEvent.setup();
    const { props, dialog } = renderDialog();
    expect(dialog.getAttribute("aria-labelledby")).toBeTruthy();
    expect(
      screen.getByRole("heading", {
        name: "Set Field extraction's daily request cap to 100 requests a day for 2 organizations?",
      }),
    ).toBeTruthy();
    expect(dialog.textContent).toContain(
      "Changes 1 of the 2 organizations (the others already have it), and lowers the own settings of 1 client",
    );
    const items = within(within(dialog).getByRole("list", { name: "Changes by organization" }))
      .getAllByRole("listitem")
      .filter((li) => li.parentElement?.getAttribute("aria-label") === "Changes by organization");
    expect(items.map((li) => li.querySelector("strong")?.textContent)).toEqual([
      "Evermore Wedding Planners",
      "Golden Hour Photography",
    ]);
    expect(items[0]!.textContent).toContain("Daily request cap: 1,000 requests a day → 100 requests a day");
    expect(items[0]!.textContent).toContain(
      "Chloé & Louis: Daily request cap: 200 requests a day → 100 requests a day",
    );
    expect(items[1]!.textContent).toContain("already set, no change");

    await user.click(within(dialog).getByRole("button", { name: "Apply to 2 organizations" }));
    expect(props.apply).toHaveBeenCalledWith(PREVIEW.expectedVersions);
    expect(props.onApplied).toHaveBeenCalledWith(PREVIEW);
  });

  it("on CONFLICT says nothing changed and what did, and offers to preview again", async () => {
    const user = userEvent.setup();
    const conflict = apiError("CONFLICT", "Nothing was changed: …", {
      stale: [
        {
          organizationId: EVERMORE,
          organizationName: "Evermore Wedding Planners",
          expectedVersion: 4,
          current: { maxRequestsPerDay: 500, isEnabled: true },
        },
      ],
      added: [BLOOM],
      removed: [],
    });
    const { props, dialog } = renderDialog({ apply: vi.fn(async () => Promise.reject(conflict)) });
    await user.click(within(dialog).getByRole("button", { name: "Apply to 2 organizations" }));
    expect(props.onApplied).not.toHaveBeenCalled();
    const alert = within(dialog).getByRole("alert");
    expect(alert.textContent).toContain("Nothing was changed");
    expect(alert.textContent).toContain(
      "Evermore Wedding Planners was changed by someone else; now daily request cap 500 requests a day.",
    );
    expect(alert.textContent).toContain("1 organization now matches the filter and was not in your preview");
    expect(
      within(dialog).getByRole("button", { name: "Apply to 2 organizations" }).hasAttribute("disabled"),
    ).toBe(true);
    await user.click(within(dialog).getByRole("button", { name: "Preview again" }));
    expect(props.onPreviewAgain).toHaveBeenCalled();
    expect(within(dialog).queryByRole("alert")).toBeNull();
  });

  it("cannot apply when an organization's tier lacks the feature, and names it", () => {
    const { dialog } = renderDialog({
      change: { featureType: "smart_mapping", patch: { isEnabled: true } },
      preview: {
        ...PREVIEW,
        featureType: "smart_mapping",
        organizations: [
          {
            ...PREVIEW.organizations[0]!,
            organizationId: BLOOM,
            name: "Bloom & Petal Florals",
            tier: "free",
            changes: [{ field: "isEnabled", from: false, to: true }],
            clampedClients: [],
            problem: "smart_mapping requires the professional tier or higher (this organization is on free)",
          },
        ],
        totals: { organizations: 1, changing: 1, clampedClients: 0, problems: 1 },
      },
    });
    expect(dialog.textContent).toContain("This cannot be applied: 1 organization cannot take it");
    expect(dialog.textContent).toContain(
      "Cannot take this change: Smart mapping requires the Professional tier or higher (this organization is on Free)",
    );
    expect(
      within(dialog).getByRole("button", { name: "Apply to 1 organization" }).hasAttribute("disabled"),
    ).toBe(true);
  });

  it("says so when there is nothing to change, and only closes", () => {
    const { dialog } = renderDialog({
      preview: { ...PREVIEW, totals: { ...PREVIEW.totals, changing: 0, clampedClients: 0 } },
    });
    expect(dialog.textContent).toContain("already has this setting: nothing will change");
    expect(within(dialog).queryByRole("button", { name: /Apply/ })).toBeNull();
    expect(within(dialog).getByRole("button", { name: "Close" })).toBeTruthy();
  });

  it("shows why a preview could not be made, in product words", () => {
    const { dialog } = renderDialog({
      preview: undefined,
      previewError: apiError("BAD_REQUEST", "patch.model: gpt-9 has no price for smart_mapping"),
    });
    expect(dialog.textContent).toContain("The preview could not be made, so nothing was changed.");
    expect(dialog.textContent).toContain("gpt-9 has no price for Smart mapping");
    expect(within(dialog).getByRole("button", { name: "Preview again" })).toBeTruthy();
  });
});
