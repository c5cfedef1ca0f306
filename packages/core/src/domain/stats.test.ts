import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  checkSla,
  endpointSlaCompliance,
  nearestRank,
  percentile,
  successRate,
  summarizeLatencies,
} from "./stats";

describe("nearestRank / percentile", () => {
  const ten = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
  it.each([
    [0, 1],
    [0.05, 1],
    [0.1, 1],
    [0.11, 2],
    [0.5, 5],
    [0.95, 10],
    [1, 10],
  ])("p%s of 1..10 is %s", (q, expected) => {
    expect(percentile(ten, q)).toBe(expected);
  });

  it("is not fooled by binary floating point: 0.07 * 100 is rank 7, not 8", () => {
    expect(nearestRank(0.07, 100)).toBe(7);
    expect(nearestRank(0.29, 100)).toBe(29);
    expect(nearestRank(0.95, 20)).toBe(19);
  });

  it("matches the textbook example (Wikipedia: 15, 20, 35, 40, 50)", () => {
    const xs = [15, 20, 35, 40, 50];
    expect([0.05, 0.3, 0.4, 0.5, 1].map((q) => percentile(xs, q))).toEqual([15, 20, 20, 35, 50]);
  });

  it("refuses bad input", () => {
    expect(percentile([], 0.5)).toBeNull();
    expect(() => percentile([2, 1], 0.5)).toThrow(RangeError);
    expect(() => percentile([1], 1.5)).toThrow(RangeError);
    expect(() => percentile([1], Number.NaN)).toThrow(RangeError);
  });

  it("is the smallest value with at least q of the values at or below it (property)", () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 50 }), { minLength: 1, maxLength: 200 }),
        fc.integer({ min: 0, max: 1000 }),
        (raw, permille) => {
          const xs = [...raw].sort((a, b) => a - b);
          const q = permille / 1000;
          const p = percentile(xs, q)!;
          // Exact in integers: #(x <= p) >= q * n, and every smaller value falls short.
          const atOrBelow = (v: number) => xs.filter((x) => x <= v).length;
          expect(atOrBelow(p) * 1000).toBeGreaterThanOrEqual(permille * xs.length);
          const smaller = xs.filter((x) => x < p);
          if (smaller.length > 0 && permille > 0)
            expect(atOrBelow(smaller[smaller.length - 1]!) * 1000).toBeLessThan(permille * xs.length);
        },
      ),
    );
  });
});

describe("summarizeLatencies", () => {
  it("summarises 1..100 ms in any order", () => {
    const xs = Array.from({ length: 100 }, (_, i) => 100 - i);
    expect(summarizeLatencies(xs)).toEqual({
      count: 100,
      minMs: 1,
      p50Ms: 50,
      p95Ms: 95,
      p99Ms: 99,
      maxMs: 100,
      meanMs: 50.5,
    });
  });
  it("has nothing to say about no requests, and refuses negative latencies", () => {
    expect(summarizeLatencies([])).toBeNull();
    expect(() => summarizeLatencies([1, -1])).toThrow(RangeError);
  });
});

describe("successRate", () => {
  it.each([
    [0, 0, null],
    [999, 1000, 0.999],
    [5, 5, 1],
    [0, 3, 0],
  ])("%s of %s is %s", (s, t, rate) => {
    expect(successRate(s, t)).toBe(rate);
  });
  it("refuses impossible counts", () => {
    expect(() => successRate(3, 2)).toThrow(RangeError);
    expect(() => successRate(-1, 2)).toThrow(RangeError);
    expect(() => successRate(0.5, 2)).toThrow(RangeError);
  });
});

describe("checkSla", () => {
  it.each([
    [{ p95Ms: 500, successRate: 0.999 }, []],
    [{ p95Ms: 500.5, successRate: 0.999 }, ["p95_latency"]],
    [{ p95Ms: 120, successRate: 998 / 1000 }, ["success_rate"]],
    [{ p95Ms: 900, successRate: 0.5 }, ["p95_latency", "success_rate"]],
    [{ p95Ms: null, successRate: null }, []],
    // 1998 of 2000 is exactly 0.999: at the limit, not below it.
    [{ p95Ms: 10, successRate: successRate(1998, 2000) }, []],
    [{ p95Ms: 10, successRate: successRate(1997, 2000) }, ["success_rate"]],
  ] as const)("%o breaches %o", (measured, rules) => {
    const result = checkSla(measured);
    expect(result.breaches.map((b) => b.rule)).toEqual(rules);
    expect(result.compliant).toBe(rules.length === 0);
  });

  it("reports the measured value and the limit", () => {
    expect(checkSla({ p95Ms: 700, successRate: 1 }, { p95LimitMs: 600, minSuccessRate: 0.99 })).toEqual({
      compliant: false,
      breaches: [{ rule: "p95_latency", actual: 700, limit: 600 }],
    });
  });

  it("agrees with an exact integer comparison of the success rate (property)", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 10_000_000 }), fc.nat(), (total, raw) => {
        const successes = total - (raw % Math.min(total + 1, 30));
        const breached = checkSla({ p95Ms: null, successRate: successRate(successes, total) }).breaches
          .length;
        // successes / total < 999 / 1000, exactly.
        expect(breached === 1).toBe(successes * 1000 < total * 999);
      }),
    );
  });
});

describe("endpointSlaCompliance", () => {
  it("judges each endpoint and counts the compliant ones", () => {
    const report = endpointSlaCompliance([
      { endpoint: "/trpc/process", p95Ms: 430, requests: 10_000, successes: 9_995 },
      { endpoint: "/v1/chat/completions", p95Ms: 820, requests: 2_000, successes: 2_000 },
      { endpoint: "/trpc/idle", p95Ms: null, requests: 0, successes: 0 },
    ]);
    expect(report.endpoints.map((e) => [e.endpoint, e.compliant, e.breaches.map((b) => b.rule)])).toEqual([
      ["/trpc/process", true, []],
      ["/v1/chat/completions", false, ["p95_latency"]],
      ["/trpc/idle", true, []],
    ]);
    expect(report.endpoints[0]!.successRate).toBe(0.9995);
    expect([report.compliantCount, report.breachedCount]).toEqual([2, 1]);
    expect(report.complianceRatio).toBeCloseTo(2 / 3, 12);
    expect(endpointSlaCompliance([]).complianceRatio).toBeNull();
  });
});
