import { render, screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it, vi } from "vitest";
import { FeatureCard } from "./FeatureCard";
import { ReadOnlyNotice } from "./ReadOnlyNotice";
import { aFeature, PRICED } from "./test-fixtures";

const smartMapping = aFeature({
  featureType: "smart_mapping",
  isEnabled: false,
  availableOnTier: false,
  requiredTier: "enterprise",
});

describe("FeatureCard", { timeout: 30_000 }, () => {
  it("shows a feature the plan does not include as locked, with the plan that unlocks it", () => {
    render(
      <FeatureCard
        feature={smartMapping}
        tier="professional"
        canEdit
        pricedModels={PRICED}
        onToggle={vi.fn()}
        onSave={vi.fn()}
      />,
    );
    const sw = screen.getByRole("switch", { name: "Smart mapping" });
    expect(sw.hasAttribute("disabled")).toBe(true);
    expect((sw as HTMLInputElement).checked).toBe(false);
    const lock = screen.getByText(/^Locked: included from the Enterprise plan/);
    expect(lock.textContent).toContain("Your organization is on the Professional plan.");
    // The switch says why it is locked.
    expect(sw.getAttribute("aria-describedby")).toContain(lock.id);
    expect(screen.queryByRole("textbox")).toBeNull();
  });

  it("is read-only for a member, with the reason", async () => {
    const user = userEvent.setup();
    const onToggle = vi.fn();
    render(
      <>
        <ReadOnlyNotice memberRole="member" />
        <FeatureCard
          feature={aFeature()}
          tier="professional"
          canEdit={false}
          pricedModels={null}
          onToggle={onToggle}
          onSave={vi.fn()}
        />
      </>,
    );
    expect(screen.getByTestId("read-only").textContent).toContain(
      "Only owners and admins can change AI settings; you are a member.",
    );
    const sw = screen.getByRole("switch", { name: "Field extraction" });
    expect(sw.getAttribute("aria-readonly")).toBe("true");
    await user.click(sw);
    expect(onToggle).not.toHaveBeenCalled();
    expect((sw as HTMLInputElement).checked).toBe(true);
    expect(screen.queryByRole("textbox")).toBeNull();
    expect(screen.queryByRole("button", { name: /Save/ })).toBeNull();
    expect(screen.getByText("$50.00 a day")).toBeTruthy();
  });

  it("toggles for real through onToggle, then offers Undo, which switches it back", async () => {
    const user = userEvent.setup();
    const onToggle = vi.fn(async (isEnabled: boolean) => ({
      config: aFeature({ isEnabled }),
      cascadedClientConfigs: isEnabled ? 0 : 2,
    }));
    render(
      <FeatureCard
        feature={aFeature()}
        tier="professional"
        canEdit
        pricedModels={PRICED}
        onToggle={onToggle}
        onSave={vi.fn()}
      />,
    );
    await user.click(screen.getByRole("switch", { name: "Field extraction" }));
    expect(onToggle).toHaveBeenCalledWith(false);
    const undo = await screen.findByRole("status");
    expect(undo.textContent).toContain("Field extraction switched off.");
    expect(undo.textContent).toContain("2 client override(s)");
    await user.click(screen.getByRole("button", { name: "Undo" }));
    await waitFor(() => expect(onToggle).toHaveBeenLastCalledWith(true));
    await waitFor(() => expect(screen.queryByRole("button", { name: "Undo" })).toBeNull());
  });
});
