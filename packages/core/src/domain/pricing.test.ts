import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { creditStatus } from "./admission";
import { costMicros, estimateTokens, priceAt, worstCaseCostMicros } from "./pricing";

const MINI = { inputPerMillion: "0.150000", outputPerMillion: "0.600000", cachedInputPerMillion: "0.075000" };

describe("costMicros", () => {
  it.each([
    // 1M input tokens of gpt-4o-mini cost exactly $0.15
    [{ inputTokens: 1_000_000, outputTokens: 0, cachedInputTokens: 0 }, 150_000n],
    [{ inputTokens: 0, outputTokens: 1_000_000, cachedInputTokens: 0 }, 600_000n],
    [{ inputTokens: 1_000_000, outputTokens: 0, cachedInputTokens: 1_000_000 }, 75_000n],
    // 1,000 in (400 cached) + 500 out = 600*0.15 + 400*0.075 + 500*0.6 = 90 + 30 + 300 = 420 µ$
    [{ inputTokens: 1_000, outputTokens: 500, cachedInputTokens: 400 }, 420n],
    // 3 input tokens = 0.45 µ$ -> 0
    [{ inputTokens: 3, outputTokens: 0, cachedInputTokens: 0 }, 0n],
    // 10 input tokens = 1.5 µ$ -> 2 (half-up)
    [{ inputTokens: 10, outputTokens: 0, cachedInputTokens: 0 }, 2n],
  ])("%o costs %s micro-dollars", (usage, expected) => {
    expect(costMicros(usage, MINI)).toBe(expected);
  });

  it("rounds once on the total, not per component", () => {
    // 5 input (0.75 µ$) + 1 output (0.6 µ$) = 1.35 µ$ -> 1; rounding each part first would give 1 + 1 = 2.
    expect(costMicros({ inputTokens: 5, outputTokens: 1, cachedInputTokens: 0 }, MINI)).toBe(1n);
  });

  it("is the exact rational cost rounded half-up (property, independent recomputation)", () => {
    fc.assert(
      fc.property(
        fc.nat({ max: 5_000_000 }),
        fc.nat({ max: 5_000_000 }),
        fc.nat({ max: 5_000_000 }),
        fc.tuple(fc.nat({ max: 50_000_000 }), fc.nat({ max: 50_000_000 }), fc.nat({ max: 50_000_000 })),
        (input, cachedRaw, output, [pIn, pOut, pCached]) => {
          const cached = Math.min(cachedRaw, input);
          const price = {
            inputPerMillion: (pIn / 1e6).toFixed(6),
            outputPerMillion: (pOut / 1e6).toFixed(6),
            cachedInputPerMillion: (pCached / 1e6).toFixed(6),
          };
          // Independent: work in pico-dollars per token x tokens, then divide by 10^6 with half-up.
          const exactTimesMillion =
            BigInt(input - cached) * BigInt(pIn) +
            BigInt(cached) * BigInt(pCached) +
            BigInt(output) * BigInt(pOut);
          const expected = (exactTimesMillion * 2n + 1_000_000n) / 2_000_000n;
          expect(
            costMicros({ inputTokens: input, outputTokens: output, cachedInputTokens: cached }, price),
          ).toBe(expected);
        },
      ),
    );
  });

  it("rejects impossible usage", () => {
    expect(() => costMicros({ inputTokens: 10, outputTokens: 0, cachedInputTokens: 11 }, MINI)).toThrow(
      RangeError,
    );
    expect(() => costMicros({ inputTokens: -1, outputTokens: 0, cachedInputTokens: 0 }, MINI)).toThrow(
      RangeError,
    );
    expect(() => costMicros({ inputTokens: 1.5, outputTokens: 0, cachedInputTokens: 0 }, MINI)).toThrow(
      RangeError,
    );
  });

  it("the worst case is never below the real cost of a request within its budget", () => {
    fc.assert(
      fc.property(
        fc.nat({ max: 100_000 }),
        fc.nat({ max: 100_000 }),
        fc.nat({ max: 4_000 }),
        (input, cachedRaw, out) => {
          const cached = Math.min(cachedRaw, input);
          expect(worstCaseCostMicros(input, 4_000, MINI)).toBeGreaterThanOrEqual(
            costMicros({ inputTokens: input, outputTokens: out, cachedInputTokens: cached }, MINI),
          );
        },
      ),
    );
  });
});

describe("priceAt", () => {
  const prices = [
    { provider: "openai", model: "m", effectiveFrom: new Date("2025-01-01T00:00:00Z"), tag: "old" },
    { provider: "openai", model: "m", effectiveFrom: new Date("2026-03-01T00:00:00Z"), tag: "new" },
    { provider: "openai", model: "other", effectiveFrom: new Date("2024-01-01T00:00:00Z"), tag: "other" },
  ];
  it("picks the newest price in force at the time, by provider and model", () => {
    expect(priceAt(prices, "openai", "m", new Date("2026-02-28T23:59:59Z"))?.tag).toBe("old");
    expect(priceAt(prices, "openai", "m", new Date("2026-03-01T00:00:00Z"))?.tag).toBe("new");
    expect(priceAt(prices, "openai", "m", new Date("2024-06-01T00:00:00Z"))).toBeNull();
    expect(priceAt(prices, "local", "m", new Date("2026-06-01T00:00:00Z"))).toBeNull();
  });
});

describe("estimateTokens", () => {
  it("grows with the text and is never zero", () => {
    expect(estimateTokens("")).toBeGreaterThan(0);
    expect(estimateTokens("a".repeat(4000))).toBeGreaterThanOrEqual(1000);
    expect(estimateTokens("a".repeat(4001))).toBeGreaterThan(estimateTokens("a".repeat(4000)));
  });
});

describe("creditStatus", () => {
  it.each([
    [0n, 100n, "ok"],
    [79n, 100n, "ok"],
    [80n, 100n, "warning"],
    [99n, 100n, "warning"],
    [100n, 100n, "exceeded"],
    [5n, 0n, "exceeded"],
    [0n, 0n, "exceeded"],
  ] as const)("%s of %s is %s", (used, limit, status) => {
    expect(creditStatus(used, limit)).toBe(status);
  });
});
