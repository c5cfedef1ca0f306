import { render, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it, vi } from "vitest";
import { ConflictView } from "./ConflictView";
import { type Conflict, conflictRows, reapplyPatch } from "./conflict";
import { FeatureCard } from "./FeatureCard";
import { aFeature, conflictError, PRICED } from "./test-fixtures";
import type { ConfigPatch } from "./types";

// Started from version 2; someone else lowered the request cap to 900 (version 3); this person
// wanted the cost cap at 25.00 and the rate limit at 30 (which the other person also set).
const conflict: Conflict = {
  base: aFeature({ version: 2 }),
  theirs: aFeature({ version: 3, maxRequestsPerDay: 900, rateLimitPerMinute: 30 }),
  mine: { maxCostPerDay: "25.00", rateLimitPerMinute: 30 },
};

describe("conflict helpers", () => {
  it("lists what they changed and what you changed, field by field", () => {
    expect(conflictRows(conflict).map((r) => [r.field, r.theyChanged, r.youChanged])).toEqual([
      ["maxRequestsPerDay", true, false],
      ["maxCostPerDay", false, true],
      ["rateLimitPerMinute", true, true],
    ]);
  });
  it("re-applies only your settings that still differ from theirs", () => {
    expect(reapplyPatch(conflict)).toEqual({ maxCostPerDay: "25.00" });
    expect(reapplyPatch({ ...conflict, mine: { rateLimitPerMinute: 30 } })).toEqual({});
  });
});

describe("ConflictView", { timeout: 30_000 }, () => {
  it("shows the other person's change beside yours, and re-applies yours on their version in one click", async () => {
    const user = userEvent.setup();
    const onReapply = vi.fn();
    const onKeepTheirs = vi.fn();
    render(
      <ConflictView conflict={conflict} pending={false} onReapply={onReapply} onKeepTheirs={onKeepTheirs} />,
    );
    const heading = screen.getByRole("heading", {
      name: "Someone else changed Field extraction while you were editing",
    });
    expect(document.activeElement).toBe(heading);
    const table = screen.getByRole("table", { name: "What changed, setting by setting" });
    const cap = within(table).getByRole("row", { name: /Daily request cap/ });
    expect(
      within(cap)
        .getAllByRole("cell")
        .map((c) => c.textContent),
    ).toEqual(["1,000 requests a day", "900 requests a day", "not changed"]);
    const cost = within(table).getByRole("row", { name: /Daily cost cap/ });
    expect(
      within(cost)
        .getAllByRole("cell")
        .map((c) => c.textContent),
    ).toEqual(["$50.00 a day", "not changed", "$25.00 a day"]);
    await user.click(screen.getByRole("button", { name: "Apply my change on top" }));
    expect(onReapply).toHaveBeenCalledWith({ maxCostPerDay: "25.00" }, 3);
    await user.click(screen.getByRole("button", { name: "Keep their version" }));
    expect(onKeepTheirs).toHaveBeenCalledTimes(1);
  });

  it("in a feature card: a save that loses the race shows the conflict, and re-applying saves on the new version", async () => {
    const user = userEvent.setup();
    const theirs = aFeature({ version: 3, maxRequestsPerDay: 900 });
    const onSave = vi
      .fn<
        (
          patch: ConfigPatch,
          version: number,
        ) => Promise<{ config: ReturnType<typeof aFeature>; cascadedClientConfigs: number }>
      >()
      .mockRejectedValueOnce(conflictError(theirs))
      .mockImplementationOnce(async (patch) => ({
        config: { ...theirs, ...patch, version: 4 },
        cascadedClientConfigs: 0,
      }));
    render(
      <FeatureCard
        feature={aFeature({ version: 2 })}
        tier="professional"
        canEdit
        pricedModels={PRICED}
        onToggle={vi.fn()}
        onSave={onSave}
      />,
    );
    const cost = screen.getByRole("textbox", { name: "Daily cost cap" });
    await user.clear(cost);
    await user.type(cost, "25.00");
    await user.click(screen.getByRole("button", { name: "Save Field extraction limits" }));
    await screen.findByTestId("conflict");
    expect(onSave).toHaveBeenLastCalledWith({ maxCostPerDay: "25.00" }, 2);
    await user.click(screen.getByRole("button", { name: "Apply my change on top" }));
    await waitFor(() => expect(onSave).toHaveBeenCalledTimes(2));
    expect(onSave).toHaveBeenLastCalledWith({ maxCostPerDay: "25.00" }, 3);
    await waitFor(() => expect(screen.queryByTestId("conflict")).toBeNull());
    expect(screen.getByRole("status").textContent).toContain("Daily cost cap: $50.00 a day → $25.00 a day");
  });
});
