import { render, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { TYPICAL_WEDDING_SEASON } from "@wedsync/core/domain";
import { FiguresTable } from "@wedsync/ui/ChartCard";
import { figuresToCsv } from "@wedsync/ui/figures";
import { afterEach, describe, expect, it, vi } from "vitest";
import { expectedRequests } from "./expected";
import {
  clientFigures,
  costByFeatureFigures,
  performanceFigures,
  pointsOf,
  requestFigures,
  trendFigures,
} from "./figures";

const period = { from: "2026-05-01", to: "2026-05-03" };

describe("a chart's CSV", () => {
  it("cost by feature: one row per day, a column per feature used, exact money and its total", () => {
    const figures = costByFeatureFigures(
      [
        { period: "2026-05-01", featureType: "field_extraction", spentUsd: "0.100001" },
        { period: "2026-05-01", featureType: "smart_mapping", spentUsd: "0.200002" },
        { period: "2026-05-03", featureType: "field_extraction", spentUsd: "1.5" },
      ],
      pointsOf(period, "day"),
      "day",
    );
    expect(figuresToCsv(figures)).toBe(
      [
        "Day,Field extraction (USD),Smart mapping (USD),Total (USD)",
        "2026-05-01,0.100001,0.200002,0.300003",
        "2026-05-02,0.000000,0.000000,0.000000",
        "2026-05-03,1.500000,0.000000,1.500000",
        "",
      ].join("\r\n"),
    );
  });

  it("requests by month add the days of each month", () => {
    const day = (d: string, requests: number, rejected = 0) => ({
      day: d,
      requests,
      succeeded: requests - 1,
      failed: 1,
      rejected,
    });
    const figures = requestFigures(
      [day("2026-01-05", 3), day("2026-01-20", 2, 4), day("2026-02-01", 5)],
      pointsOf({ from: "2026-01-01", to: "2026-03-31" }, "month"),
      "month",
    );
    expect(figuresToCsv(figures).split("\r\n")).toEqual([
      "Month,Requests,Succeeded,Failed,Turned away",
      "2026-01,5,3,2,4",
      "2026-02,5,4,1,0",
      "2026-03,0,0,0,0",
      "",
    ]);
  });

  it("defuses a client name a spreadsheet would run as a formula, and quotes commas", () => {
    const figures = clientFigures(
      [
        { clientId: "a", clientName: '=HYPERLINK("http://x")', requests: 2, costUsd: "0.020000" },
        { clientId: "b", clientName: "Léa, Hugo", requests: 1, costUsd: "0.010000" },
        { clientId: null, clientName: null, requests: 1, costUsd: "0.000000" },
      ],
      { clients: 3, requests: 4, costUsd: "0.004000" },
    );
    expect(figuresToCsv(figures).split("\r\n")).toEqual([
      "Client,Requests,Cost (USD)",
      `"'=HYPERLINK(""http://x"")",2,0.020000`,
      `"Léa, Hugo",1,0.010000`,
      "No client (your organization's own requests),1,0.000000",
      "3 other clients,4,0.004000",
      "",
    ]);
  });

  it("performance: success rate exact to two places, times in ms, every feature together last", () => {
    const figures = performanceFigures(
      [
        { featureType: "field_extraction", requests: 3, succeeded: 2 },
        { featureType: "pdf_analysis", requests: 0, succeeded: 0 },
      ],
      [{ featureType: "field_extraction", p50Ms: 12.345, p95Ms: 80, p99Ms: null }],
      { requests: 3, succeeded: 2, p50Ms: 12.345, p95Ms: 80, p99Ms: 80 },
    );
    expect(figuresToCsv(figures).split("\r\n")).toEqual([
      "Feature,Requests,Success rate (%),p50 (ms),p95 (ms),p99 (ms)",
      "Field extraction,3,66.67,12.35,80,",
      "All features,3,66.67,12.35,80,80",
      "",
    ]);
  });

  it("trend: the same days last year matched day by day, and the season's expectation", () => {
    // No history before May: the level is May's own, 1–2 May only (today is 2 May):
    // 6 requests ÷ (2 × 1.2) = 2.5 a day without the season; a May day expects 2.5 × 1.2 = 3.
    const expected = expectedRequests({
      period,
      by: "day",
      today: "2026-05-02",
      season: { index: TYPICAL_WEDDING_SEASON },
      requestsByMonth: new Map([["2026-05", 6]]),
      requestsByDay: new Map([
        ["2026-05-01", 4],
        ["2026-05-02", 2],
      ]),
    });
    expect(expected.basis).toBe("this-period");
    const row = (day: string, requests: number) => ({
      day,
      requests,
      succeeded: requests,
      failed: 0,
      rejected: 0,
    });
    const figures = trendFigures(
      [row("2026-05-01", 4), row("2026-05-02", 2)],
      [row("2025-05-01", 1), row("2025-05-03", 7)],
      expected.byPoint,
      period,
      "day",
    );
    expect(figuresToCsv(figures).split("\r\n")).toEqual([
      "Day,Requests,Same days last year,Expected for the season",
      "2026-05-01,4,1,3",
      "2026-05-02,2,0,3",
      "2026-05-03,0,7,3",
      "",
    ]);
  });
});

describe("expectedRequests from the 12 months before the period", () => {
  it("is the average day of the year before, with the season put back", () => {
    // 100 requests a month, June 2025 – May 2026: 1,200 ÷ Σ(days × index) = 1,200 ÷ 365.8;
    // a June day: × 1.5 = 4.92 → 5; June as a month: 30 × 4.92 = 147.6 → 148.
    const months = new Map(
      [
        "2025-06",
        "2025-07",
        "2025-08",
        "2025-09",
        "2025-10",
        "2025-11",
        "2025-12",
        "2026-01",
        "2026-02",
        "2026-03",
        "2026-04",
        "2026-05",
      ].map((m) => [m, 100] as const),
    );
    const june = { from: "2026-06-01", to: "2026-06-30" };
    const input = {
      period: june,
      today: "2026-06-30",
      season: { index: TYPICAL_WEDDING_SEASON },
      requestsByMonth: months,
      requestsByDay: new Map<string, number>(),
    };
    const daily = expectedRequests({ ...input, by: "day" });
    expect(daily.basis).toBe("previous-12-months");
    expect(daily.perDay).toBeCloseTo(1_200 / 365.8, 10);
    expect(daily.byPoint.get("2026-06-15")).toBe(5);
    expect(expectedRequests({ ...input, by: "month" }).byPoint.get("2026-06")).toBe(148);
  });
});

describe("FiguresTable", () => {
  afterEach(() => vi.restoreAllMocks());
  it("writes the CSV's figures for people: dates, money and counts in words, a header per column", () => {
    const figures = costByFeatureFigures(
      [{ period: "2026-05-01", featureType: "field_extraction", spentUsd: "1234.5" }],
      ["2026-05-01"],
      "day",
    );
    render(<FiguresTable caption="Cost by feature" figures={figures} />);
    const table = screen.getByRole("table", { name: "Cost by feature" });
    const headers = within(table)
      .getAllByRole("columnheader")
      .map((h) => h.textContent);
    expect(headers).toEqual(["Day", "Field extraction (USD)", "Total (USD)"]);
    const row = within(table).getByRole("row", { name: /1 May 2026/ });
    expect(
      within(row)
        .getAllByRole("cell")
        .map((c) => c.textContent),
    ).toEqual(["$1,234.50", "$1,234.50"]);
  });

  it("is what ChartCard downloads: a Blob of exactly the CSV", async () => {
    const { ChartCard } = await import("@wedsync/ui/ChartCard");
    const created: Blob[] = [];
    vi.spyOn(URL, "createObjectURL").mockImplementation((b) => {
      created.push(b as Blob);
      return "blob:test";
    });
    vi.spyOn(URL, "revokeObjectURL").mockImplementation(() => {});
    vi.spyOn(HTMLAnchorElement.prototype, "click").mockImplementation(() => {});
    const figures = requestFigures([], ["2026-05-01"], "day");
    render(
      <ChartCard
        name="requests"
        period={{ from: "2026-05-01", to: "2026-05-01" }}
        title="Requests over time"
        description="d"
        figures={figures}
        spec={{ kind: "bars", category: "point", unit: "count", series: [] }}
      />,
    );
    await userEvent.click(screen.getByRole("button", { name: "Download CSV: Requests over time" }));
    expect(created).toHaveLength(1);
    expect(await created[0]!.text()).toBe(figuresToCsv(figures));
  });
});
