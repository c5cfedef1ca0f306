import { render, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it, vi } from "vitest";
import { ActiveThrottles } from "./ActiveThrottles";
import { throttleItem } from "./test-data";

const WAIT = { timeout: 10_000 };
const SLOW = 30_000;
const NOW = new Date("2026-06-01T12:00:00.000Z");

const THROTTLES = [
  throttleItem(),
  throttleItem({
    id: "00000000-0000-4000-8000-000000000002",
    scope: "feature",
    organizationId: null,
    organizationName: null,
    featureType: "field_extraction",
    mode: "cap",
    perMinute: 20,
    reason: "Provider degraded",
    expiresAt: new Date("2026-06-01T14:00:00.000Z"),
  }),
  throttleItem({
    id: "00000000-0000-4000-8000-000000000003",
    scope: "platform",
    organizationId: null,
    organizationName: null,
    // Already past at NOW: no longer in force, whatever the last fetch said.
    expiresAt: new Date("2026-06-01T11:59:59.000Z"),
  }),
];

describe("ActiveThrottles", () => {
  it("lists the throttles still in force in words: whom, what, why, who set it, when it ends", () => {
    render(<ActiveThrottles throttles={THROTTLES} now={NOW} onLift={async () => {}} />);
    const table = screen.getByRole("table", { name: "Throttles in force (2), newest first" });
    const rows = within(table).getAllByRole("row").slice(1);
    expect(rows.map((r) => within(r).getByRole("rowheader").textContent)).toEqual([
      "Evermore Wedding Planners",
      "Field extraction, every organization",
    ]);
    expect(rows[0]!.textContent).toContain("AI requests refused");
    expect(rows[0]!.textContent).toContain("Until lifted by hand");
    expect(rows[0]!.textContent).toContain("Sam Staff");
    expect(rows[1]!.textContent).toContain("Limited to 20 a minute");
    expect(rows[1]!.textContent).toContain("Provider degraded");
    expect(table.textContent).not.toContain("field_extraction");
    expect(table.textContent).not.toContain("The whole platform");
  });

  it("says so when none is in force", () => {
    render(<ActiveThrottles throttles={[THROTTLES[2]!]} now={NOW} onLift={async () => {}} />);
    expect(screen.getByText("No throttle is in force")).toBeTruthy();
    expect(screen.queryByRole("table")).toBeNull();
  });

  it(
    "lifts only after a confirmation that says what happens, and keeps it open with the error when lifting fails",
    async () => {
      const user = userEvent.setup();
      const onLift = vi
        .fn()
        .mockRejectedValueOnce(
          Object.assign(
            new Error("This throttle already expired at 2026-06-01T12:00:00.000Z; nothing to lift"),
            {
              data: { code: "CONFLICT", httpStatus: 409, fieldErrors: [] },
            },
          ),
        )
        .mockResolvedValueOnce(undefined);
      render(<ActiveThrottles throttles={THROTTLES} now={NOW} onLift={onLift} />);
      await user.click(
        screen.getByRole("button", { name: "Lift the throttle on Evermore Wedding Planners" }),
      );
      const dialog = await screen.findByRole("alertdialog", undefined, WAIT);
      expect(within(dialog).getByRole("heading").textContent).toBe(
        "Lift the throttle on Evermore Wedding Planners?",
      );
      expect(dialog.textContent).toContain(
        "AI requests from Evermore Wedding Planners are admitted again at once, within each organization's own limits.",
      );
      expect(onLift).not.toHaveBeenCalled();

      await user.click(within(dialog).getByRole("button", { name: "Lift it now" }));
      await waitFor(
        () => expect(within(dialog).getByRole("alert").textContent).toContain("already expired"),
        WAIT,
      );
      expect(screen.getByRole("alertdialog")).toBe(dialog);

      await user.click(within(dialog).getByRole("button", { name: "Lift it now" }));
      await waitFor(() => expect(screen.queryByRole("alertdialog")).toBeNull(), WAIT);
      expect(onLift).toHaveBeenCalledTimes(2);
      expect(onLift.mock.calls[0]![0].id).toBe(THROTTLES[0]!.id);
    },
    SLOW,
  );
});
