import { render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { daysOf } from "@wedsync/core/calendar";
import { projectMonthSpend, TYPICAL_WEDDING_SEASON } from "@wedsync/core/domain";
import { describe, expect, it } from "vitest";
import { MonthPanel } from "./MonthPanel";
import { projectionAgainstLimit } from "./projection";

const season = { index: TYPICAL_WEDDING_SEASON }; // May 1.2, June 1.5, July 1.5
const dollarADay = (from: string, to: string) =>
  new Map(daysOf({ from, to }).map((d) => [d, 1_000_000n] as const));

describe("projectionAgainstLimit", () => {
  it("compares the projection with the credit limit by the meters' rule", () => {
    expect(projectionAgainstLimit(21_000_000n, 30_000_000n)).toEqual({
      level: "ok",
      percent: 70,
      overMicros: 0n,
    });
    expect(projectionAgainstLimit(21_000_000n, 25_000_000n)).toEqual({
      level: "warning",
      percent: 84,
      overMicros: 0n,
    });
    expect(projectionAgainstLimit(21_000_000n, 20_000_000n)).toEqual({
      level: "over",
      percent: 105,
      overMicros: 1_000_000n,
    });
  });
});

describe("MonthPanel", () => {
  const projection = projectMonthSpend({
    today: "2026-05-20",
    spendByDay: dollarADay("2026-05-11", "2026-05-20"),
    season,
  });
  const typical = { index: TYPICAL_WEDDING_SEASON, source: "typical" as const, months: 0 };

  it("shows owners and admins the month against the credit limit, and the projection's verdict", () => {
    render(
      <MonthPanel
        month="2026-05"
        spentMicros={10_000_000n}
        limitUsd="25.00"
        projection={projection}
        season={typical}
      />,
    );
    const meter = screen.getByRole("meter", { name: "Spend this month" });
    expect(meter.getAttribute("aria-valuetext")).toBe("$10.00 of $25.00 credit limit");
    expect(screen.getByTestId("projected-month").textContent).toBe("$21.00");
    expect(screen.getByTestId("projected-next").textContent).toBe("$37.50");
    expect(screen.getByText(/Expected to come close to the credit limit \(84% of \$25\.00\)/)).toBeTruthy();
    expect(
      screen.getByText(/June is usually 1\.50× an average month, busier than May \(1\.20×\)/),
    ).toBeTruthy();
  });

  it("tells members who sees the credit limit, and explains the projection on request", async () => {
    render(
      <MonthPanel
        month="2026-05"
        spentMicros={10_000_000n}
        limitUsd={null}
        projection={projection}
        season={typical}
      />,
    );
    expect(screen.queryByRole("meter")).toBeNull();
    expect(screen.getByText("Owners and admins see the monthly credit limit.")).toBeTruthy();
    expect(screen.getByTestId("month-spent").textContent).toBe("$10.00");
    const how = screen.getByRole("button", { name: "How the projection is computed" });
    expect(how.getAttribute("aria-expanded")).toBe("false");
    await userEvent.click(how);
    expect(how.getAttribute("aria-expanded")).toBe("true");
    expect(
      screen.getByText(/Each of the 11 days left in May adds that rate × May's index 1\.20× = \$1\.00 a day/),
    ).toBeTruthy();
  });
});
