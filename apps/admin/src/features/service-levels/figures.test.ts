import { figuresToCsv } from "@wedsync/ui/figures";
import { describe, expect, it } from "vitest";
import {
  breachWords,
  endpointFigures,
  errorPercent,
  organizationFigures,
  seriesFigures,
  verdictWords,
} from "./figures";
import { MAX_RANGE_DAYS, periodSearchSchema, rangeProblem, resolvePeriod } from "./period";
import { anOverview } from "./test-fixtures";

describe("service level figures", () => {
  it("server errors as an exact percentage, rounded once", () => {
    expect(errorPercent(1, 800)).toBe("0.13");
    expect(errorPercent(0, 5)).toBe("0.00");
    expect(errorPercent(2, 3)).toBe("66.67");
    expect(errorPercent(0, 0)).toBeNull();
  });

  it("says each broken rule in words, with the measure and the limit", () => {
    const [quick, slow] = anOverview().endpoints;
    expect(verdictWords(quick!)).toBe("Met");
    expect(verdictWords({ requests: 0, compliant: true, breaches: [] })).toBe("No requests");
    expect(verdictWords(slow!)).toBe(
      "Broken: 95% of responses took up to 1,250 ms (the SLA allows 500 ms); 98.00% succeeded (the SLA needs at least 99.90%)",
    );
    expect(breachWords({ rule: "p95_latency", actual: 501, limit: 500 })).toContain("501 ms");
  });

  it("the series' CSV: every hour (UTC instants), its p95 against the limit, server errors exact", () => {
    expect(figuresToCsv(seriesFigures(anOverview())).split("\r\n")).toEqual([
      "Hour (UTC),Requests,95% within (ms),SLA limit (ms),Server errors (%)",
      "2026-05-01T10:00:00.000Z,800,480,500,0.13",
      "2026-05-01T11:00:00.000Z,0,,500,",
      "",
    ]);
    const daily = anOverview({
      period: { ...anOverview().period, granularity: "day" },
      series: [
        { start: new Date("2026-05-01T00:00:00Z"), requests: 3, serverErrors: 0, errorRate: 0, p95Ms: 9 },
      ],
    });
    expect(figuresToCsv(seriesFigures(daily)).split("\r\n")[1]).toBe("2026-05-01,3,9,500,0.00");
  });

  it("endpoints and organizations by p50/p95/p99, the busiest first", () => {
    expect(figuresToCsv(endpointFigures(anOverview())).split("\r\n").slice(0, 3)).toEqual([
      "Endpoint,Requests,p50 (ms),p95 (ms),p99 (ms),Server errors (%)",
      "trpc:platform.config.get,900,4,12,30,0.00",
      "v1:chat.completions,200,120,1250,2400,2.00",
    ]);
    expect(organizationFigures(anOverview()).rows.map((r) => r.organization)).toEqual([
      "Golden Hour Photography",
      "Evermore Wedding Planners",
    ]);
  });
});

describe("the service levels period", () => {
  const today = "2026-05-20";
  it("the last 24 hours by default; 7 and 30 days as hours", () => {
    expect(resolvePeriod({}, today)).toMatchObject({
      input: { hours: 24 },
      words: "Last 24 hours",
      live: true,
    });
    expect(resolvePeriod({ period: "7d" }, today).input).toEqual({ hours: 168 });
    expect(resolvePeriod({ period: "30d" }, today).input).toEqual({ hours: 720 });
  });

  it("chosen UTC days, refused past the API's limit, backwards or in the future", () => {
    expect(resolvePeriod({ period: "range", from: "2026-05-01", to: "2026-05-03" }, today)).toMatchObject({
      input: { from: "2026-05-01", to: "2026-05-03" },
      words: "May 1, 2026 – May 3, 2026 (UTC days)",
      live: false,
      slug: "2026-05-01_2026-05-03",
    });
    expect(rangeProblem({ from: "2026-04-01", to: "2026-05-02" }, today)).toBe(
      `Choose at most ${MAX_RANGE_DAYS} days.`,
    );
    expect(rangeProblem({ from: "2026-05-03", to: "2026-05-02" }, today)).toBe(
      "The end date must be on or after the start date.",
    );
    expect(rangeProblem({ from: "2026-05-21", to: "2026-05-22" }, today)).toBe(
      "The start date must not be in the future.",
    );
    const fallback = resolvePeriod({ period: "range", from: "2026-01-01", to: "2026-05-01" }, today);
    expect(fallback).toMatchObject({
      input: { hours: 24 },
      problem: `Choose at most ${MAX_RANGE_DAYS} days.`,
    });
    expect(periodSearchSchema.parse({ period: "year", from: "x" })).toEqual({
      period: undefined,
      from: undefined,
    });
  });
});
