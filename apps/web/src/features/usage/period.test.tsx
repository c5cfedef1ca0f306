import { render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it, vi } from "vitest";
import { PeriodChooser } from "./PeriodChooser";
import { type PeriodSearch, periodSearchSchema, resolvePeriod } from "./period";

const TODAY = "2026-05-20";
const resolve = (search: Partial<PeriodSearch>) => resolvePeriod(periodSearchSchema.parse(search), TODAY);

describe("resolvePeriod: the days each choice covers", () => {
  it("this month: from the 1st to today; the last 30 days: today and the 29 before", () => {
    expect(resolve({})).toMatchObject({ from: "2026-05-01", to: TODAY, by: "day", problem: null });
    expect(resolve({ period: "30d" })).toMatchObject({ from: "2026-04-21", to: TODAY, by: "day" });
  });

  it("a custom range as given, up to 400 days; month by month past 92 days", () => {
    expect(resolve({ period: "range", from: "2026-03-01", to: "2026-03-31" })).toMatchObject({
      from: "2026-03-01",
      to: "2026-03-31",
      by: "day",
    });
    expect(resolve({ period: "range", from: "2025-04-16", to: TODAY })).toMatchObject({
      by: "month",
      problem: null,
    });
  });

  it("a range that cannot be shown falls back to this month and says why", () => {
    expect(resolve({ period: "range", from: "2025-04-15", to: TODAY })).toMatchObject({
      from: "2026-05-01",
      problem: "A range can span at most 400 days.",
    });
    expect(resolve({ period: "range", from: "2026-05-10", to: "2026-05-01" }).problem).toBe(
      "The end date must be on or after the start date.",
    );
    expect(resolve({ period: "range", from: "2026-05-10" }).problem).toBe(
      "Choose both a start and an end date.",
    );
  });

  it("a year: the calendar year, this one up to today; a year to come is refused", () => {
    expect(resolve({ period: "year", year: 2025 })).toMatchObject({
      from: "2025-01-01",
      to: "2025-12-31",
      by: "month",
    });
    expect(resolve({ period: "year" })).toMatchObject({ from: "2026-01-01", to: TODAY });
    expect(resolve({ period: "year", year: 2027 })).toMatchObject({
      from: "2026-05-01",
      problem: "2027 has not started yet.",
    });
  });

  it("a mangled link still opens a screen: this month", () => {
    const mangled = periodSearchSchema.parse({ period: "fortnight", from: "yesterday", year: "x" });
    expect(Object.values(mangled).filter((v) => v !== undefined)).toEqual([]);
    expect(resolvePeriod(mangled, TODAY)).toMatchObject({ from: "2026-05-01", to: TODAY, problem: null });
    expect(periodSearchSchema.parse({ period: "year", year: "2025" })).toEqual({
      period: "year",
      year: 2025,
    });
  });
});

// Typing into date segments is slow under jsdom: these get more than the default 5 s.
describe("PeriodChooser", { timeout: 20_000 }, () => {
  const shown = { from: "2026-05-01", to: TODAY };

  it("each choice becomes a search: this month (none), a year, a custom range starting from the days shown", async () => {
    const onChange = vi.fn();
    render(<PeriodChooser search={{ period: "30d" }} shown={shown} today={TODAY} onChange={onChange} />);
    const group = screen.getByRole("radiogroup", { name: "Period" });
    expect(screen.getByRole("radio", { name: "Last 30 days" })).toHaveProperty("checked", true);
    await userEvent.click(screen.getByRole("radio", { name: "This month" }));
    expect(onChange).toHaveBeenLastCalledWith({});
    await userEvent.click(screen.getByRole("radio", { name: "A year" }));
    expect(onChange).toHaveBeenLastCalledWith({ period: "year", year: 2026 });
    await userEvent.click(screen.getByRole("radio", { name: "Custom range" }));
    expect(onChange).toHaveBeenLastCalledWith({ period: "range", from: "2026-05-01", to: TODAY });
    expect(group).toBeTruthy();
  });

  it("typing a range past 400 days is refused in place, naming the limit, and changes nothing", async () => {
    const onChange = vi.fn();
    render(
      <PeriodChooser
        search={{ period: "range", from: "2026-05-01", to: "2026-05-20" }}
        shown={shown}
        today={TODAY}
        onChange={onChange}
      />,
    );
    // The start date's year segment: 2026 → 2024 makes the range 750 days long.
    const years = screen.getAllByRole("spinbutton", { name: /year/i });
    await userEvent.click(years[0]!);
    await userEvent.keyboard("2024");
    expect(onChange).not.toHaveBeenCalled();
    expect(screen.getByText("A range can span at most 400 days.")).toBeTruthy();
    // Back to a usable start: applied.
    await userEvent.click(years[0]!);
    await userEvent.keyboard("2026");
    expect(onChange).toHaveBeenLastCalledWith({ period: "range", from: "2026-05-01", to: "2026-05-20" });
  });
});
