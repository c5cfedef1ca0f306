import { render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { daysOf } from "@wedsync/core/calendar";
import { describe, expect, it } from "vitest";
import { MonthPanel } from "./MonthPanel";
import { projectionAgainstLimit, projectMonthSpend } from "./projection";
import { seasonFor, TYPICAL_WEDDING_SEASON } from "./seasonal";

const season = { index: TYPICAL_WEDDING_SEASON }; // May 1.2, June 1.5, July 1.5
const dollarADay = (from: string, to: string) =>
  new Map(daysOf({ from, to }).map((d) => [d, 1_000_000n] as const));

describe("projectMonthSpend (figures worked out by hand)", () => {
  it("a supplier in May: $1 a day for 10 days projects May at $21 and sees June's peak coming", () => {
    // Rate: $10 over 10 May days ÷ (10 × 1.2) = $0.8333… a day without the season.
    // May: $10 spent + 11 days left × 0.8333… × 1.2 = $11 → $21. June: 30 × 0.8333… × 1.5 = $37.50.
    const p = projectMonthSpend({
      today: "2026-05-20",
      spendByDay: dollarADay("2026-05-11", "2026-05-20"),
      season,
    })!;
    expect(p).toMatchObject({
      month: "2026-05",
      spentMicros: 10_000_000n,
      daysLeft: 11,
      basedOnDays: 10,
      perDayMicros: 1_000_000n,
      restMicros: 11_000_000n,
      projectedMicros: 21_000_000n,
      monthIndex: 1.2,
    });
    expect(p.next).toEqual({ month: "2026-06", days: 30, index: 1.5, projectedMicros: 37_500_000n });
  });

  it("a window across two months weighs each day by its own month's index", () => {
    // 27 May – 5 June, $1 a day: rate = $10 ÷ (5 × 1.2 + 5 × 1.5 = 13.5) = $0.740740…
    // June: $5 spent + 25 days × 0.740740… × 1.5 = $27.777778 → $32.777778; a day: $1.111111.
    // July: 31 × 0.740740… × 1.5 = $34.444444.
    const p = projectMonthSpend({
      today: "2026-06-05",
      spendByDay: dollarADay("2026-05-27", "2026-06-05"),
      season,
    })!;
    expect(p.spentMicros).toBe(5_000_000n);
    expect(p.restMicros).toBe(27_777_778n);
    expect(p.projectedMicros).toBe(32_777_778n);
    expect(p.perDayMicros).toBe(1_111_111n);
    expect(p.next.projectedMicros).toBe(34_444_444n);
  });

  it("has nothing to project from without spend in the last 30 days", () => {
    // 20 April is the 31st day back from 20 May: outside the window.
    expect(projectMonthSpend({ today: "2026-05-20", spendByDay: new Map(), season })).toBeNull();
    expect(
      projectMonthSpend({ today: "2026-05-20", spendByDay: new Map([["2026-04-20", 5_000_000n]]), season }),
    ).toBeNull();
  });

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

describe("seasonFor", () => {
  it("uses the typical wedding year until there are 12 whole months of history", () => {
    const eleven = new Map(
      Array.from({ length: 11 }, (_, i) => [`2025-${String(i + 1).padStart(2, "0")}`, 10]),
    );
    expect(seasonFor(eleven, "2025-12")).toMatchObject({ source: "typical", months: 0 });
    expect(TYPICAL_WEDDING_SEASON.reduce((s, v) => s + v, 0)).toBeCloseTo(12, 10);
  });

  it("takes the organization's own index from 12 whole months, leaving out the month still running", () => {
    // Jan–Dec 2025: 10 requests a month except June (40): mean 12.5, June 40 / 12.5 = 3.2, others 0.8.
    const history = new Map(
      Array.from({ length: 12 }, (_, i) => [`2025-${String(i + 1).padStart(2, "0")}`, i === 5 ? 40 : 10]),
    );
    history.set("2026-01", 1_000); // running: not history yet
    const s = seasonFor(history, "2026-01");
    expect(s.source).toBe("own");
    expect(s.months).toBe(12);
    expect(s.index[5]).toBeCloseTo(3.2, 10);
    expect(s.index[0]).toBeCloseTo(0.8, 10);
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
