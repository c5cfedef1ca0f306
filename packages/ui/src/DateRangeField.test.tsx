import { render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it, vi } from "vitest";
import { DateRangeField } from "./DateRangeField";

const backwards = (r: { from: string; to: string } | null) =>
  r && r.to < r.from ? "The end date must be on or after the start date." : null;

// Typing into date segments is slow under jsdom.
describe("DateRangeField", { timeout: 20_000 }, () => {
  it("hands on a usable range, refuses one in place naming the problem, and clears to none", async () => {
    const user = userEvent.setup();
    const onChange = vi.fn();
    render(
      <DateRangeField
        label="Dates"
        description="Days in UTC."
        value={{ from: "2026-05-01", to: "2026-05-20" }}
        problemOf={backwards}
        onChange={onChange}
        clearable
      />,
    );
    expect(screen.getByRole("group", { name: "Dates" })).toBeTruthy();
    const years = screen.getAllByRole("spinbutton", { name: /year/i });
    // The end moves to 2025: before the start, refused (and so is every year typed on the way).
    await user.click(years[1]!);
    await user.keyboard("2025");
    expect(onChange).not.toHaveBeenCalled();
    expect(screen.getByText("The end date must be on or after the start date.")).toBeTruthy();
    // Back to 2026: handed on.
    await user.click(years[1]!);
    await user.keyboard("2026");
    expect(onChange).toHaveBeenLastCalledWith({ from: "2026-05-01", to: "2026-05-20" });
    await user.click(screen.getByRole("button", { name: "Clear the dates" }));
    expect(onChange).toHaveBeenLastCalledWith(null);
    expect(screen.queryByRole("button", { name: "Clear the dates" })).toBeNull();
  });
});
