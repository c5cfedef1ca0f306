import { render, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { type ClientOverride, type PlatformLimits, resolveEffectiveConfig } from "@wedsync/core/domain";
import { describe, expect, it, vi } from "vitest";
import { OverrideForm, type SaveOverrides } from "./OverrideForm";

const PLATFORM: PlatformLimits = {
  featureType: "field_extraction",
  isEnabled: true,
  maxRequestsPerDay: 500,
  maxCostPerDay: "50.00",
  rateLimitPerMinute: 60,
  priorityLevel: 5,
  model: "gpt-4o-mini",
};
const OWN: ClientOverride = {
  isEnabled: null,
  maxRequestsPerDay: 200,
  maxCostPerDay: null,
  rateLimitPerMinute: null,
};

function renderForm(save: SaveOverrides, stored: ClientOverride | null = OWN, platform = PLATFORM) {
  return render(
    <OverrideForm
      clientName="Chloé & Louis"
      platform={platform}
      stored={stored}
      version={stored ? 1 : 0}
      effective={resolveEffectiveConfig(platform, stored)}
      save={save}
    />,
  );
}

const field = (name: string) => screen.getByRole("textbox", { name }) as HTMLInputElement;

describe("OverrideForm", { timeout: 20_000 }, () => {
  it("refuses an override past the platform limit in the form, naming the limit, and sends nothing", async () => {
    const user = userEvent.setup();
    const save = vi.fn<SaveOverrides>();
    renderForm(save);
    await user.clear(field("Requests a day"));
    await user.type(field("Requests a day"), "600");
    await user.type(field("Spend a day"), "75");
    await user.click(screen.getByRole("button", { name: "Save Field extraction limits" }));

    expect(save).not.toHaveBeenCalled();
    expect(field("Requests a day").getAttribute("aria-invalid")).toBe("true");
    const text = document.body.textContent ?? "";
    expect(text).toContain("Requests a day: at most 500, the platform limit");
    expect(text).toContain("Spend a day: at most $50.00, the platform limit");
    // The error is read with the field.
    const described = field("Requests a day").getAttribute("aria-describedby") ?? "";
    const messages = described.split(" ").map((id) => document.getElementById(id)?.textContent);
    expect(messages).toContain("Requests a day: at most 500, the platform limit");
  });

  it("saves a value within the limit, sending only what changed and the version it was based on", async () => {
    const user = userEvent.setup();
    const save = vi.fn<SaveOverrides>(async () => ({
      version: 2,
      overrides: { ...OWN, maxRequestsPerDay: 500 },
    }));
    renderForm(save);
    await user.clear(field("Requests a day"));
    await user.type(field("Requests a day"), "500"); // equal to the limit is allowed
    await user.click(screen.getByRole("button", { name: "Save Field extraction limits" }));
    expect(save).toHaveBeenCalledTimes(1);
    expect(save).toHaveBeenCalledWith({ expectedVersion: 1, overrides: { maxRequestsPerDay: 500 } });
  });

  it("will not switch on for one client what the organization switched off", async () => {
    const user = userEvent.setup();
    const save = vi.fn<SaveOverrides>();
    renderForm(save, null, { ...PLATFORM, isEnabled: false });
    await user.click(screen.getByRole("button", { name: /Field extraction for this client/ }));
    const on = screen.getByRole("option", { name: "On for this client" });
    expect(on.getAttribute("aria-disabled")).toBe("true");
  });

  it("shows where each value comes from in words: override with the platform limit beside it, or inherited", () => {
    renderForm(vi.fn<SaveOverrides>());
    const rows = document.querySelectorAll(".cl-override-row");
    const requests = [...rows].find((r) => r.textContent?.includes("Requests a day"))!;
    const cost = [...rows].find((r) => r.textContent?.includes("Spend a day"))!;
    expect(requests.getAttribute("data-inherited")).toBe("false");
    expect(requests.textContent).toContain("In force: 200");
    expect(requests.textContent).toContain("override · limit 500");
    expect(cost.getAttribute("data-inherited")).toBe("true");
    expect(cost.textContent).toContain("In force: $50.00");
    expect(cost.textContent).toContain("inherited");
    expect(cost.textContent).not.toContain("override");
    // Only an override can be reset.
    expect(
      within(requests as HTMLElement).getByRole("button", { name: /Reset Requests a day to inherited/ }),
    ).toBeTruthy();
    expect(within(cost as HTMLElement).queryByRole("button", { name: /Reset/ })).toBeNull();
  });

  it("resets one field to inherited only after a confirmation that says from → to", async () => {
    const user = userEvent.setup();
    const save = vi.fn<SaveOverrides>(async () => ({
      version: 2,
      overrides: { ...OWN, maxRequestsPerDay: null },
    }));
    renderForm(save);
    await user.click(screen.getByRole("button", { name: /Reset Requests a day to inherited/ }));
    const dialog = screen.getByRole("alertdialog");
    expect(dialog.textContent).toContain(
      "Requests a day 200 (override) → 500 (inherited from the organization)",
    );
    expect(save).not.toHaveBeenCalled();
    await user.click(within(dialog).getByRole("button", { name: "Reset to inherited" }));
    expect(save).toHaveBeenCalledWith({ expectedVersion: 1, overrides: { maxRequestsPerDay: null } });
  });

  it("a lost race shows what is saved now and re-applies the change on top of it", async () => {
    const user = userEvent.setup();
    const conflict = Object.assign(new Error("changed by someone else"), {
      data: {
        code: "CONFLICT",
        details: {
          currentVersion: 3,
          current: {
            overrides: {
              isEnabled: null,
              maxRequestsPerDay: 150,
              maxCostPerDay: "5.00",
              rateLimitPerMinute: null,
            },
          },
        },
      },
    });
    const save = vi
      .fn<SaveOverrides>()
      .mockRejectedValueOnce(conflict)
      .mockResolvedValueOnce({
        version: 4,
        overrides: { ...OWN, maxRequestsPerDay: 100, maxCostPerDay: "5.00" },
      });
    renderForm(save);
    await user.clear(field("Requests a day"));
    await user.type(field("Requests a day"), "100");
    await user.click(screen.getByRole("button", { name: "Save Field extraction limits" }));
    const notice = screen.getByRole("alert");
    expect(notice.textContent).toContain("now version 3");
    expect(notice.textContent).toContain("Requests a day: 150");
    expect(notice.textContent).toContain("Spend a day: $5.00");
    expect(notice.textContent).toContain("Your change");
    expect(notice.textContent).toContain("Requests a day: 100");
    await user.click(screen.getByRole("button", { name: "Apply my change on top" }));
    expect(save).toHaveBeenLastCalledWith({ expectedVersion: 3, overrides: { maxRequestsPerDay: 100 } });
    expect(screen.queryByText(/now version 3/)).toBeNull();
  });
});
