import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { billAttempts } from "./attempt-billing";
import { costMicros, type TokenUsage, worstCaseCostMicros } from "./pricing";

const MINI = { inputPerMillion: "0.150000", outputPerMillion: "0.600000", cachedInputPerMillion: "0.075000" };
const FREE = { inputPerMillion: "0.000000", outputPerMillion: "0.000000", cachedInputPerMillion: "0.000000" };
const GPT4O = {
  inputPerMillion: "2.500000",
  outputPerMillion: "10.000000",
  cachedInputPerMillion: "1.250000",
};

const usage = (inputTokens: number, outputTokens: number, cachedInputTokens = 0): TokenUsage => ({
  inputTokens,
  outputTokens,
  cachedInputTokens,
});

describe("billAttempts", () => {
  it("no attempts: nothing consumed, nothing owed", () => {
    expect(billAttempts([])).toEqual({
      usage: usage(0, 0),
      attemptCostMicros: [],
      costMicros: 0n,
      lastCharged: null,
      chargedUsage: usage(0, 0),
    });
  });

  it.each([
    [
      "one attempt costs what costMicros says",
      [{ usage: usage(1_000, 500, 400), price: MINI }],
      usage(1_000, 500, 400),
      [420n],
      420n,
      0,
      usage(1_000, 500, 400),
    ],
    [
      // The reporter's case: 1,000 + 500 tokens paid upstream, then the free local engine answered.
      "a paid unusable answer, then the free fallback",
      [
        { usage: usage(1_000, 500), price: MINI },
        { usage: usage(30, 70), price: FREE },
      ],
      usage(1_030, 570),
      [450n, 0n],
      450n,
      // The row names the paid attempt and counts its tokens: 450 µ$ is their price, recomputable.
      0,
      usage(1_000, 500),
    ],
    [
      "each attempt at its own model's price",
      [
        { usage: usage(1_000, 100), price: GPT4O },
        { usage: usage(1_000, 100), price: MINI },
      ],
      usage(2_000, 200),
      [3_500n, 210n],
      3_710n,
      1,
      usage(2_000, 200),
    ],
    [
      // 3 input tokens of gpt-4o-mini = 0.45 µ$ -> 0 each; pooled, 6 tokens = 0.9 µ$ would round to 1.
      "rounds each attempt once, then sums (never re-rounds the pooled tokens)",
      [
        { usage: usage(3, 0), price: MINI },
        { usage: usage(3, 0), price: MINI },
      ],
      usage(6, 0),
      [0n, 0n],
      0n,
      // Nothing cost anything: every attempt's tokens are counted.
      null,
      usage(6, 0),
    ],
  ])("%s", (_name, attempts, expectedUsage, perAttempt, total, lastCharged, chargedUsage) => {
    expect(billAttempts(attempts)).toEqual({
      usage: expectedUsage,
      attemptCostMicros: perAttempt,
      costMicros: total,
      lastCharged,
      chargedUsage,
    });
  });

  it("one paid attempt among free ones: the row's tokens at its model's price are its cost", () => {
    const tokens = fc.record({
      inputTokens: fc.integer({ min: 0, max: 200_000 }),
      outputTokens: fc.integer({ min: 0, max: 50_000 }),
      cachedInputTokens: fc.constant(0),
    });
    fc.assert(
      fc.property(tokens, fc.array(tokens, { maxLength: 3 }), fc.nat(3), (paid, free, at) => {
        fc.pre(costMicros(paid, MINI) > 0n);
        const attempts = free.map((u) => ({ usage: u, price: FREE }));
        const position = Math.min(at, attempts.length);
        attempts.splice(position, 0, { usage: paid, price: MINI });
        const bill = billAttempts(attempts);
        expect(bill.lastCharged).toBe(position);
        expect(bill.chargedUsage).toEqual(paid);
        expect(bill.costMicros).toBe(costMicros(bill.chargedUsage, MINI));
      }),
    );
  });

  it("rejects impossible usage, like costMicros", () => {
    expect(() => billAttempts([{ usage: usage(1, 0, 2), price: MINI }])).toThrow(RangeError);
    expect(() =>
      billAttempts([
        { usage: usage(Number.MAX_SAFE_INTEGER, 0), price: FREE },
        { usage: usage(1, 0), price: FREE },
      ]),
    ).toThrow(RangeError);
  });

  /** A price in micro-dollars per million tokens (kept, as integers, for the oracle) and as the table has it. */
  const priceArb = fc
    .tuple(fc.nat({ max: 50_000_000 }), fc.nat({ max: 50_000_000 }), fc.nat({ max: 50_000_000 }))
    .map(([i, o, c]) => ({
      micros: { input: BigInt(i), output: BigInt(o), cached: BigInt(c) },
      price: {
        inputPerMillion: (i / 1e6).toFixed(6),
        outputPerMillion: (o / 1e6).toFixed(6),
        cachedInputPerMillion: (c / 1e6).toFixed(6),
      },
    }));
  const attemptArb = fc
    .tuple(fc.nat({ max: 2_000_000 }), fc.nat({ max: 2_000_000 }), fc.nat({ max: 2_000_000 }), priceArb)
    .map(([input, cachedRaw, output, { micros, price }]) => ({
      usage: usage(input, output, Math.min(cachedRaw, input)),
      price,
      micros,
    }));

  it("the cost is the sum of each attempt priced on its own, and the tokens the sum of theirs (property)", () => {
    fc.assert(
      fc.property(fc.array(attemptArb, { maxLength: 6 }), (attempts) => {
        const bill = billAttempts(attempts);
        // Independent: each attempt's exact cost in pico-dollars, rounded half-up on its own.
        const expected = attempts.map(({ usage: u, micros }) => {
          const pico =
            BigInt(u.inputTokens - u.cachedInputTokens) * micros.input +
            BigInt(u.cachedInputTokens) * micros.cached +
            BigInt(u.outputTokens) * micros.output;
          return (pico * 2n + 1_000_000n) / 2_000_000n;
        });
        expect(bill.attemptCostMicros).toEqual(expected);
        expect(bill.costMicros).toBe(expected.reduce((s, c) => s + c, 0n));
        const sum = (k: keyof TokenUsage) => attempts.reduce((n, a) => n + a.usage[k], 0);
        expect(bill.usage).toEqual({
          inputTokens: sum("inputTokens"),
          outputTokens: sum("outputTokens"),
          cachedInputTokens: sum("cachedInputTokens"),
        });
      }),
    );
  });

  it("does not depend on the attempts' order, and splitting the attempts splits the bill (property)", () => {
    fc.assert(
      fc.property(fc.array(attemptArb, { maxLength: 6 }), fc.nat(), (attempts, cut) => {
        const at = attempts.length === 0 ? 0 : cut % (attempts.length + 1);
        const whole = billAttempts(attempts);
        expect(billAttempts([...attempts].reverse()).costMicros).toBe(whole.costMicros);
        const [a, b] = [billAttempts(attempts.slice(0, at)), billAttempts(attempts.slice(at))];
        expect(a.costMicros + b.costMicros).toBe(whole.costMicros);
        expect(a.usage.inputTokens + b.usage.inputTokens).toBe(whole.usage.inputTokens);
      }),
    );
  });

  it("a paid attempt within budget plus a free fallback never exceeds one worst-case reservation (property)", () => {
    fc.assert(
      fc.property(
        fc.nat({ max: 100_000 }),
        fc.nat({ max: 100_000 }),
        fc.nat({ max: 4_000 }),
        fc.nat({ max: 100_000 }),
        (input, cachedRaw, out, localTokens) => {
          const bill = billAttempts([
            { usage: usage(input, out, Math.min(cachedRaw, input)), price: MINI },
            { usage: usage(localTokens, localTokens), price: FREE },
          ]);
          expect(bill.costMicros).toBeLessThanOrEqual(worstCaseCostMicros(input, 4_000, MINI));
        },
      ),
    );
  });

  it("two paid attempts can exceed one worst-case reservation (why only one may be paid)", () => {
    const once = worstCaseCostMicros(1_000, 500, MINI);
    const twice = billAttempts([
      { usage: usage(1_000, 500), price: MINI },
      { usage: usage(1_000, 500), price: MINI },
    ]).costMicros;
    expect(twice).toBe(2n * costMicros(usage(1_000, 500), MINI));
    expect(twice).toBeGreaterThan(once);
  });
});
