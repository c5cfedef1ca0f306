import { describe, expect, it } from "vitest";
import { type MeasuredCell, median, ratios } from "./report";

function cell(target: string, connections: number, round: number, rps: number, p99: number): MeasuredCell {
  return {
    target,
    connections,
    round,
    seconds: 10,
    ok: rps * 10,
    non2xx: 0,
    errors: 0,
    statusCodes: { "200": rps * 10 },
    cut: 0,
    rps,
    p50: p99 / 2,
    p95: p99 / 1.2,
    p99,
    requestIds: [],
    cpu: {},
  };
}

/** One round at c=16: direct, portkey and wedsync with these rates and p99s. */
const roundOf = (round: number, ours: [number, number], peer: [number, number]) => [
  cell("direct", 16, round, 30_000, 2),
  cell("portkey", 16, round, peer[0], peer[1]),
  cell("wedsync", 16, round, ours[0], ours[1]),
];

describe("median", () => {
  it("is the middle value, or the mean of the middle two", () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([7])).toBe(7);
  });
});

describe("ratios", () => {
  it("takes each ratio within its round and judges the median of the rounds", () => {
    // Throughput ratios 1.6, 1.0, 1.7 (median 1.6); added p99 ratios 0.4, 0.9, 0.45 (median 0.45).
    const cells = [
      ...roundOf(1, [1_600, 12], [1_000, 27]),
      ...roundOf(2, [800, 20], [800, 22]),
      ...roundOf(3, [1_700, 11], [1_000, 22]),
    ];
    const verdict = ratios(cells, [16]);
    expect(verdict.met).toBe(true);
    expect(verdict.lines.join("\n")).toContain("ours/Portkey 0.45 (rounds: 0.40, 0.90, 0.45)");
    expect(verdict.lines.join("\n")).toContain("ours/Portkey 1.60 (rounds: 1.60, 1.00, 1.70)");
  });

  it("is not met when the median misses, however good one round was", () => {
    const cells = [
      ...roundOf(1, [3_000, 5], [1_000, 27]),
      ...roundOf(2, [1_000, 20], [1_000, 22]),
      ...roundOf(3, [1_100, 21], [1_000, 22]),
    ];
    expect(ratios(cells, [16]).met).toBe(false);
  });

  it("one round prints the plain ratio; a non-2xx answer makes the run invalid", () => {
    const cells = roundOf(1, [1_500, 12], [1_000, 26]);
    cells[2]!.non2xx = 3;
    cells[2]!.statusCodes = { "200": 14_997, "503": 3 };
    const verdict = ratios(cells, [16]);
    expect(verdict.valid).toBe(false);
    expect(verdict.met).toBe(false);
    expect(verdict.lines[0]).toBe("INVALID wedsync c=16: 3 non-2xx (503: 3), 0 errors");
    expect(verdict.lines.join("\n")).toContain("ours/Portkey 1.50 (target >= 1.5): MET");
  });
});
