import { render, screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it, vi } from "vitest";
import { LimitsForm, type SaveOutcome } from "./LimitsForm";
import { aFeature, PRICED } from "./test-fixtures";
import type { ConfigPatch, PlatformFeature } from "./types";

function setup(feature = aFeature()) {
  const onSave = vi.fn(
    async (patch: ConfigPatch, base: PlatformFeature): Promise<SaveOutcome> => ({
      status: "saved",
      config: { ...base, ...patch, version: base.version + 1 },
    }),
  );
  const user = userEvent.setup();
  const view = render(<LimitsForm feature={feature} pricedModels={PRICED} onSave={onSave} />);
  return { user, onSave, view };
}

const field = (name: string) => screen.getByRole("textbox", { name }) as HTMLInputElement;
const combo = () => screen.getByRole("combobox", { name: "Model" }) as HTMLInputElement;
const errorOf = (input: HTMLInputElement) =>
  (input.getAttribute("aria-describedby") ?? "")
    .split(" ")
    .map((id) => document.getElementById(id)?.textContent ?? "")
    .join(" ");

describe("LimitsForm", { timeout: 30_000 }, () => {
  it("refuses a request cap past the bound as you type, naming the field and the bound, and sends nothing", async () => {
    const { user, onSave } = setup();
    const cap = field("Daily request cap");
    expect(cap.value).toBe("1000");
    await user.clear(cap);
    await user.type(cap, "20000000");
    await waitFor(() => expect(cap.getAttribute("aria-invalid")).toBe("true"));
    expect(errorOf(cap)).toContain("Daily request cap can be at most 10,000,000 requests a day.");
    await user.click(screen.getByRole("button", { name: "Save Field extraction limits" }));
    expect(onSave).not.toHaveBeenCalled();

    await user.clear(cap);
    await user.type(cap, "2.5");
    await waitFor(() =>
      expect(errorOf(cap)).toContain(
        "Daily request cap must be a whole number of requests, from 0 to 10,000,000.",
      ),
    );

    // A valid value clears the error, and the save sends only what changed.
    await user.clear(cap);
    await user.type(cap, "1,500");
    await waitFor(() => expect(cap.getAttribute("aria-invalid")).toBeNull());
    await user.click(screen.getByRole("button", { name: "Save Field extraction limits" }));
    await waitFor(() => expect(onSave).toHaveBeenCalledTimes(1));
    expect(onSave.mock.calls[0]![0]).toEqual({ maxRequestsPerDay: 1500 });
    expect(onSave.mock.calls[0]![1].version).toBe(2);
  });

  it("takes a cost cap in money format, refuses three decimals naming the bound, and normalises 25 to 25.00", async () => {
    const { user, onSave } = setup();
    const cost = field("Daily cost cap");
    expect(cost.value).toBe("50.00");
    await user.clear(cost);
    await user.type(cost, "25.505");
    await waitFor(() => expect(cost.getAttribute("aria-invalid")).toBe("true"));
    expect(errorOf(cost)).toContain("Daily cost cap must be an amount in dollars with at most 2 decimals");
    expect(errorOf(cost)).toContain("$99,999,999.99");
    await user.clear(cost);
    await user.type(cost, "$25");
    await waitFor(() => expect(cost.getAttribute("aria-invalid")).toBeNull());
    await user.click(screen.getByRole("button", { name: "Save Field extraction limits" }));
    await waitFor(() => expect(onSave).toHaveBeenCalledTimes(1));
    expect(onSave.mock.calls[0]![0]).toEqual({ maxCostPerDay: "25.00" });
  });

  it("refuses a rate limit past its bound", async () => {
    const { user, onSave } = setup();
    const rate = field("Rate limit");
    await user.clear(rate);
    await user.type(rate, "100001");
    await waitFor(() =>
      expect(errorOf(rate)).toContain("Rate limit can be at most 100,000 requests a minute."),
    );
    await user.click(screen.getByRole("button", { name: "Save Field extraction limits" }));
    expect(onSave).not.toHaveBeenCalled();
  });

  it("refuses a model without a price, and accepts one from the priced list", async () => {
    const { user, onSave } = setup();
    const model = combo();
    await user.clear(model);
    await user.type(model, "gpt-imaginary");
    await waitFor(() => expect(model.getAttribute("aria-invalid")).toBe("true"));
    expect(errorOf(model)).toContain("Model “gpt-imaginary” has no price");
    await user.click(screen.getByRole("button", { name: "Save Field extraction limits" }));
    expect(onSave).not.toHaveBeenCalled();

    await user.clear(model);
    await user.type(model, "gpt-4o");
    await user.click(await screen.findByRole("option", { name: /^gpt-4o \$2\.50 in/ }));
    await waitFor(() => expect(model.getAttribute("aria-invalid")).toBeNull());
    expect(model.value).toBe("gpt-4o");
    await user.click(screen.getByRole("button", { name: "Save Field extraction limits" }));
    await waitFor(() => expect(onSave).toHaveBeenCalledTimes(1));
    expect(onSave.mock.calls[0]![0]).toEqual({ model: "gpt-4o" });
  });

  it("follows a change made elsewhere while nothing is typed, and keeps its base once something is", async () => {
    const { user, view, onSave } = setup();
    const rerender = (f: PlatformFeature) =>
      view.rerender(<LimitsForm feature={f} pricedModels={PRICED} onSave={onSave} />);
    rerender(aFeature({ maxRequestsPerDay: 900, version: 3 }));
    await waitFor(() => expect(field("Daily request cap").value).toBe("900"));

    await user.clear(field("Rate limit"));
    await user.type(field("Rate limit"), "30");
    rerender(aFeature({ maxRequestsPerDay: 800, version: 4 }));
    expect(
      await screen.findByText(/Someone else changed Field extraction while you were editing/),
    ).toBeTruthy();
    expect(field("Daily request cap").value).toBe("900");
    await user.click(screen.getByRole("button", { name: "Save Field extraction limits" }));
    // Sent against the version it was based on (3), so the server can say it lost the race.
    await waitFor(() => expect(onSave).toHaveBeenCalledTimes(1));
    expect(onSave.mock.calls[0]![0]).toEqual({ rateLimitPerMinute: 30 });
    expect(onSave.mock.calls[0]![1].version).toBe(3);
  });

  it("does not take this person's own switch change for someone else's while editing", async () => {
    const { user, view, onSave } = setup();
    await user.clear(field("Rate limit"));
    await user.type(field("Rate limit"), "30");
    const toggled = aFeature({ isEnabled: false, version: 3 });
    view.rerender(
      <LimitsForm
        feature={toggled}
        pricedModels={PRICED}
        ownToggle={{ from: 2, config: toggled }}
        onSave={onSave}
      />,
    );
    await waitFor(() => expect(screen.queryByText(/Someone else changed/)).toBeNull());
    await user.click(screen.getByRole("button", { name: "Save Field extraction limits" }));
    await waitFor(() => expect(onSave).toHaveBeenCalledTimes(1));
    expect(onSave.mock.calls[0]![1].version).toBe(3);
  });
});
