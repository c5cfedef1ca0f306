import { render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it, vi } from "vitest";
import { BulkChangeForm } from "./BulkChangeForm";

const MODELS = [{ model: "gpt-4o-mini", inputPerMillion: "0.15", outputPerMillion: "0.6" }];

describe("BulkChangeForm", { timeout: 30_000 }, () => {
  it("refuses a bad limit in the form, naming the field and its bounds, before any request", async () => {
    const user = userEvent.setup();
    const onPreview = vi.fn();
    render(<BulkChangeForm pricedModels={MODELS} onPreview={onPreview} />);
    await user.click(screen.getByRole("radio", { name: "Set the daily request cap" }));
    const field = screen.getByRole("textbox", { name: "Daily request cap" });
    await user.type(field, "20000000");
    await user.click(screen.getByRole("button", { name: "Preview the change…" }));
    expect(onPreview).not.toHaveBeenCalled();
    expect(field.getAttribute("aria-invalid")).toBe("true");
    expect(document.activeElement).toBe(field);
    expect(screen.getByText("Daily request cap can be at most 10,000,000 requests a day.")).toBeTruthy();

    await user.clear(field);
    await user.type(field, "2,000");
    expect(field.getAttribute("aria-invalid")).toBeNull();
    await user.click(screen.getByRole("button", { name: "Preview the change…" }));
    expect(onPreview).toHaveBeenCalledWith({
      featureType: "pdf_analysis",
      patch: { maxRequestsPerDay: 2000 },
    });
  });

  it("switches the chosen feature on or off", async () => {
    const user = userEvent.setup();
    const onPreview = vi.fn();
    render(<BulkChangeForm pricedModels={MODELS} onPreview={onPreview} />);
    await user.click(screen.getByRole("button", { name: /Feature/ }));
    await user.click(screen.getByRole("option", { name: "Smart mapping" }));
    await user.click(screen.getByRole("radio", { name: "Switch it on" }));
    expect(screen.queryByRole("textbox")).toBeNull();
    await user.click(screen.getByRole("button", { name: "Preview the change…" }));
    expect(onPreview).toHaveBeenCalledWith({ featureType: "smart_mapping", patch: { isEnabled: true } });
  });

  it("offers only priced models, and refuses another", async () => {
    const user = userEvent.setup();
    const onPreview = vi.fn();
    render(<BulkChangeForm pricedModels={MODELS} onPreview={onPreview} />);
    await user.click(screen.getByRole("radio", { name: "Set the model" }));
    const model = screen.getByRole("combobox", { name: "Model" });
    await user.type(model, "made-up");
    await user.click(screen.getByRole("button", { name: "Preview the change…" }));
    expect(onPreview).not.toHaveBeenCalled();
    expect(screen.getByText(/“made-up” has no price/)).toBeTruthy();
  });

  it("cannot preview while no organization is chosen", () => {
    render(<BulkChangeForm pricedModels={MODELS} isDisabled onPreview={() => {}} />);
    expect(screen.getByRole("button", { name: "Preview the change…" }).hasAttribute("disabled")).toBe(true);
  });
});
