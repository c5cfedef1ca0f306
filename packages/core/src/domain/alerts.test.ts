import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  type AlertRuleLike,
  type CostMeasurements,
  costAlertWindow,
  costCrossings,
  crossingPeriods,
  MAX_THRESHOLDS,
  type PerformanceMeasurement,
  performanceCrossings,
  sortedThresholds,
  THRESHOLD_RANGES,
  thresholdProblems,
  unrecordedCrossings,
} from "./alerts";

const rule = (kind: AlertRuleLike["kind"], thresholds: number[]) => ({
  id: `${kind}-rule`,
  kind,
  thresholds,
});

const daily = (over: Partial<CostMeasurements["daily"][number]> = {}): CostMeasurements["daily"][number] => ({
  featureType: "field_extraction",
  day: "2027-06-12",
  spentMicros: 0n,
  capMicros: 50_000_000n, // $50
  turnedAway: 0,
  ...over,
});

const costs = (over: Partial<CostMeasurements> = {}): CostMeasurements => ({
  daily: [],
  monthly: [],
  ...over,
});

const day = (over: Partial<PerformanceMeasurement> = {}): PerformanceMeasurement => ({
  organizationId: "org",
  period: "2027-06-12",
  requests: 100,
  failed: 0,
  p95Ms: null,
  ...over,
});

describe("thresholdProblems", () => {
  it.each([
    ["daily_cost", [50, 80, 100], []],
    ["p95_latency", [1, 600_000], []],
    ["daily_cost", [0], ["thresholds.0"]],
    ["monthly_cost", [101], ["thresholds.0"]],
    ["error_rate", [5, 2.5], ["thresholds.1"]],
    ["p95_latency", [600_001], ["thresholds.0"]],
    ["daily_cost", [80, 80], ["thresholds"]],
  ] as const)("%s %j: problems on %j", (kind, thresholds, fields) => {
    expect(thresholdProblems(kind, thresholds).map((p) => p.field)).toEqual(fields);
  });

  it("names the range and unit", () => {
    expect(thresholdProblems("p95_latency", [0])).toEqual([
      { field: "thresholds.0", message: "must be a whole number from 1 to 600000 (milliseconds)" },
    ]);
  });

  it("accepts exactly the distinct whole numbers inside the kind's range (property)", () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...(Object.keys(THRESHOLD_RANGES) as Array<keyof typeof THRESHOLD_RANGES>)),
        fc.array(fc.oneof(fc.integer({ min: -5, max: 600_005 }), fc.double()), { maxLength: MAX_THRESHOLDS }),
        (kind, thresholds) => {
          const { min, max } = THRESHOLD_RANGES[kind];
          const ok =
            thresholds.every((t) => Number.isInteger(t) && t >= min && t <= max) &&
            new Set(thresholds).size === thresholds.length;
          expect(thresholdProblems(kind, thresholds).length === 0).toBe(ok);
        },
      ),
    );
  });

  it("stores thresholds ascending", () => {
    expect(sortedThresholds([100, 50, 80])).toEqual([50, 80, 100]);
  });
});

describe("costAlertWindow", () => {
  it.each([
    ["2027-06-12", ["2027-06-11", "2027-06-12"], ["2027-06"]],
    ["2027-07-01", ["2027-06-30", "2027-07-01"], ["2027-06", "2027-07"]],
    ["2028-03-01", ["2028-02-29", "2028-03-01"], ["2028-02", "2028-03"]],
    ["2027-01-01", ["2026-12-31", "2027-01-01"], ["2026-12", "2027-01"]],
  ])("%s: days %j, months %j", (today, days, months) => {
    expect(costAlertWindow(today)).toEqual({ days, months });
  });
});

describe("costCrossings", () => {
  it("reports each daily threshold reached, per feature and day, with the share of the cap", () => {
    const r = rule("daily_cost", [50, 80, 100]);
    const crossings = costCrossings([r], costs({ daily: [daily({ spentMicros: 41_234_567n })] }));
    expect(crossings.map((c) => [c.threshold, c.period, c.value])).toEqual([
      [50, "2027-06-12/field_extraction", "41.234567"],
      [80, "2027-06-12/field_extraction", "41.234567"],
    ]);
    expect(crossings[0]!.rule).toBe(r);
    expect(crossings[0]!.message).toBe(
      "field_extraction spent $41.234567 on 2027-06-12: 82% of its $50.00 daily cost cap (alert at 50%)",
    );
  });

  it("counts the cap as reached when it turned a request away, though spend stopped short of it", () => {
    const crossings = costCrossings(
      [rule("daily_cost", [80, 100])],
      costs({ daily: [daily({ spentMicros: 49_990_000n, turnedAway: 3 })] }),
    );
    expect(crossings.map((c) => c.threshold)).toEqual([80, 100]);
    expect(crossings[1]!.message).toBe(
      "field_extraction reached its daily cost cap on 2027-06-12: 3 requests turned away at $49.990000 spent, 99% of its $50.00 daily cost cap (alert at 100%)",
    );
    // One request: singular; and only the 100% threshold stands for a turned-away request.
    expect(
      costCrossings(
        [rule("daily_cost", [90])],
        costs({ daily: [daily({ spentMicros: 1n, turnedAway: 1 })] }),
      ),
    ).toEqual([]);
    expect(
      costCrossings(
        [rule("daily_cost", [100])],
        costs({ daily: [daily({ spentMicros: 1n, turnedAway: 1 })] }),
      )[0]!.message,
    ).toContain(": 1 request turned away");
  });

  it("says nothing about a zero cap or a zero credit limit", () => {
    expect(
      costCrossings(
        [rule("daily_cost", [1]), rule("monthly_cost", [1])],
        costs({
          daily: [daily({ capMicros: 0n, spentMicros: 5n, turnedAway: 2 })],
          monthly: [{ month: "2027-06", spentMicros: 5n, limitMicros: 0n }],
        }),
      ),
    ).toEqual([]);
  });

  it("reports monthly thresholds against the credit limit", () => {
    const crossings = costCrossings(
      [rule("monthly_cost", [75, 90])],
      costs({ monthly: [{ month: "2027-06", spentMicros: 750_000_000n, limitMicros: 1_000_000_000n }] }),
    );
    expect(crossings).toEqual([
      expect.objectContaining({
        kind: "monthly_cost",
        threshold: 75,
        period: "2027-06",
        value: "750.000000",
        message: "Spent $750.000000 in 2027-06: 75% of the $1000.00 monthly credit limit (alert at 75%)",
      }),
    ]);
  });

  it("ignores rules of other kinds", () => {
    expect(
      costCrossings(
        [rule("error_rate", [1]), rule("p95_latency", [1])],
        costs({ daily: [daily({ spentMicros: 50_000_000n })] }),
      ),
    ).toEqual([]);
  });

  it("is exact at the boundary: a threshold is reached at spent × 100 = cap × threshold, not a micro-dollar before (property)", () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: 1n, max: 10n ** 12n }),
        fc.integer({ min: 1, max: 100 }),
        fc.bigInt({ min: -3n, max: 3n }),
        (cap, t, delta) => {
          // The least spend that reaches t% of the cap, and a few micro-dollars either side.
          const least = (cap * BigInt(t) + 99n) / 100n;
          const spent = least + delta < 0n ? 0n : least + delta;
          const reached = costCrossings(
            [rule("daily_cost", [t]), rule("monthly_cost", [t])],
            costs({
              daily: [daily({ spentMicros: spent, capMicros: cap })],
              monthly: [{ month: "2027-06", spentMicros: spent, limitMicros: cap }],
            }),
          );
          expect(reached.length).toBe(spent >= least ? 2 : 0);
        },
      ),
    );
  });

  it("reaching a threshold means reaching every lower one (property)", () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.integer({ min: 1, max: 100 }), { minLength: 1, maxLength: MAX_THRESHOLDS }),
        fc.bigInt({ min: 0n, max: 2n * 10n ** 8n }),
        (thresholds, spent) => {
          const reached = costCrossings(
            [rule("daily_cost", thresholds)],
            costs({ daily: [daily({ spentMicros: spent, capMicros: 10n ** 8n })] }),
          ).map((c) => c.threshold);
          for (const u of reached) for (const t of thresholds) if (t <= u) expect(reached).toContain(t);
        },
      ),
    );
  });
});

describe("performanceCrossings", () => {
  it("waits for the day's minimum of completed requests", () => {
    const rules = [rule("error_rate", [10])];
    expect(performanceCrossings(rules, day({ requests: 19, failed: 19 }), 20)).toEqual([]);
    expect(performanceCrossings(rules, day({ requests: 20, failed: 2 }), 20)).toHaveLength(1);
    expect(performanceCrossings(rules, day({ requests: 0, failed: 0 }), 0)).toEqual([]);
  });

  it("reports the error rate and p95 reached, with the figures shown", () => {
    const crossings = performanceCrossings(
      [rule("error_rate", [5, 10, 50]), rule("p95_latency", [1_000, 5_000])],
      day({ requests: 30, failed: 4, p95Ms: 1234.5 }),
      20,
    );
    expect(crossings.map((c) => [c.kind, c.threshold, c.period, c.value])).toEqual([
      ["error_rate", 5, "2027-06-12", "13.33"],
      ["error_rate", 10, "2027-06-12", "13.33"],
      ["p95_latency", 1_000, "2027-06-12", "1235"],
    ]);
    expect(crossings[0]!.message).toBe("4 of 30 requests failed on 2027-06-12: 13.33% (alert at 5%)");
    expect(crossings[2]!.message).toBe(
      "p95 processing time on 2027-06-12 is 1235 ms over 30 requests (alert at 1000 ms)",
    );
  });

  it("has no p95 crossing without a p95, and ignores cost rules", () => {
    expect(
      performanceCrossings(
        [rule("p95_latency", [1]), rule("daily_cost", [1]), rule("monthly_cost", [1])],
        day({ failed: 100, p95Ms: null }),
        1,
      ),
    ).toEqual([]);
  });

  it("crosses an error-rate threshold exactly when failed / requests ≥ threshold % (property)", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 100_000 }),
        fc.integer({ min: 0, max: 100_000 }),
        fc.integer({ min: 1, max: 100 }),
        (requests, failedRaw, t) => {
          const failed = failedRaw % (requests + 1);
          const crossed = performanceCrossings([rule("error_rate", [t])], day({ requests, failed }), 1);
          // Integers only: failed × 100 ≥ t × requests.
          expect(crossed.length).toBe(BigInt(failed) * 100n >= BigInt(t) * BigInt(requests) ? 1 : 0);
        },
      ),
    );
  });
});

describe("recorded crossings", () => {
  it("keeps the crossings whose kind, threshold and period are not yet recorded", () => {
    const crossings = costCrossings(
      [rule("daily_cost", [50, 80]), rule("monthly_cost", [50])],
      costs({
        daily: [daily({ spentMicros: 45_000_000n }), daily({ day: "2027-06-11", spentMicros: 30_000_000n })],
        monthly: [{ month: "2027-06", spentMicros: 600n, limitMicros: 1_000n }],
      }),
    );
    expect(crossingPeriods(crossings)).toEqual([
      "2027-06-12/field_extraction",
      "2027-06-11/field_extraction",
      "2027-06",
    ]);
    const fresh = unrecordedCrossings(crossings, [
      { kind: "daily_cost", threshold: 50, period: "2027-06-12/field_extraction" },
      { kind: "monthly_cost", threshold: 80, period: "2027-06" }, // another threshold
      { kind: "daily_cost", threshold: 50, period: "2027-06-10/field_extraction" }, // another day
    ]);
    expect(fresh.map((c) => [c.kind, c.threshold, c.period])).toEqual([
      ["daily_cost", 80, "2027-06-12/field_extraction"],
      ["daily_cost", 50, "2027-06-11/field_extraction"],
      ["monthly_cost", 50, "2027-06"],
    ]);
    expect(unrecordedCrossings(crossings, crossings)).toEqual([]);
  });
});
