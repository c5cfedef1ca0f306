import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { compareAmounts, fromMicros, MICROS_PER_DOLLAR, minAmount, normalizeAmount, toMicros } from "./money";

const digits = (minLength: number, maxLength: number) =>
  fc.string({ unit: fc.constantFrom(..."0123456789"), minLength, maxLength });

/** Micro-dollar amounts: near zero often (rounding boundaries), astronomically large sometimes. */
const microsArb = fc.oneof(
  fc.bigInt({ min: -3_000_000n, max: 3_000_000n }),
  fc.bigInt({ min: -(10n ** 40n), max: 10n ** 40n }),
);

/** A plain decimal string with 0..6 places: [sign, whole digits, fraction digits]. */
const decimalPartsArb = fc.tuple(fc.boolean(), digits(1, 25), digits(0, 6));
const join = ([neg, whole, frac]: [boolean, string, string]) =>
  `${neg ? "-" : ""}${whole}${frac ? `.${frac}` : ""}`;

describe("toMicros", () => {
  it.each([
    ["0", 0n],
    ["1", 1_000_000n],
    ["12.345", 12_345_000n],
    ["0.000001", 1n],
    ["-0.000001", -1n],
    ["-12.5", -12_500_000n],
    ["007.50", 7_500_000n],
    ["99999999.99", 99_999_999_990_000n],
    ["  3.5\n", 3_500_000n],
    ["123456789012345678901234567890.123456", 123_456_789_012_345_678_901_234_567_890_123_456n],
  ])("%j -> %s", (input, expected) => {
    expect(toMicros(input)).toBe(expected);
  });

  it("treats -0 as zero", () => {
    expect(toMicros("-0")).toBe(0n);
    expect(toMicros("-0.000000")).toBe(0n);
  });

  it.each([
    "1e3",
    "",
    "abc",
    "1.2345678",
    "0.0000001",
    " ",
    "-",
    "1.",
    ".5",
    "+1",
    "1,5",
    "1.2.3",
    "--1",
    "1 000",
    "1_000",
    "0x10",
    "Infinity",
    "NaN",
    "$5",
    "5 USD",
    "\u0663", // Arabic-Indic digit three
  ])("rejects %j with a RangeError", (junk) => {
    expect(() => toMicros(junk)).toThrow(RangeError);
  });

  it("rejects any string that is not an optionally signed decimal with at most 6 places", () => {
    const spec = /^\s*-?\d+(\.\d{1,6})?\s*$/;
    fc.assert(
      fc.property(
        fc
          .string({ unit: fc.constantFrom(..."0123456789.-+eE ,x"), maxLength: 12 })
          .filter((s) => !spec.test(s)),
        (s) => {
          expect(() => toMicros(s)).toThrow(RangeError);
        },
      ),
      { numRuns: 1000 },
    );
  });

  it("a whole number of dollars is that many million micros", () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -(10n ** 30n), max: 10n ** 30n }), (dollars) => {
        expect(toMicros(dollars.toString())).toBe(dollars * MICROS_PER_DOLLAR);
      }),
    );
  });

  it("is unchanged by trailing zeros in the fraction and leading zeros in the whole part", () => {
    fc.assert(
      fc.property(decimalPartsArb, fc.integer({ min: 0, max: 3 }), ([neg, whole, frac], leading) => {
        const plain = toMicros(join([neg, whole, frac]));
        expect(toMicros(join([neg, whole, frac.padEnd(6, "0")]))).toBe(plain);
        expect(toMicros(join([neg, "0".repeat(leading) + whole, frac]))).toBe(plain);
      }),
    );
  });

  it("a leading minus negates", () => {
    fc.assert(
      fc.property(decimalPartsArb, ([, whole, frac]) => {
        expect(toMicros(join([true, whole, frac]))).toBe(-toMicros(join([false, whole, frac])));
      }),
    );
  });
});

describe("fromMicros / toMicros round trip", () => {
  it("toMicros(fromMicros(m)) === m for any bigint micros", () => {
    fc.assert(
      fc.property(microsArb, (m) => {
        const s = fromMicros(m);
        expect(s).toMatch(/^-?\d+\.\d{6}$/);
        expect(toMicros(s)).toBe(m);
      }),
      { numRuns: 2000 },
    );
  });

  it("fromMicros(toMicros(s)) === s for any canonical 6-place string", () => {
    fc.assert(
      fc.property(fc.boolean(), fc.bigInt({ min: 0n, max: 10n ** 25n }), digits(6, 6), (neg, whole, frac) => {
        const isZero = whole === 0n && /^0+$/.test(frac);
        fc.pre(!(neg && isZero)); // "-0.000000" is not canonical; covered below
        const s = `${neg ? "-" : ""}${whole}.${frac}`;
        expect(fromMicros(toMicros(s))).toBe(s);
      }),
    );
  });

  it("defaults to scale 6 and never prints negative zero", () => {
    expect(fromMicros(12_345_000n)).toBe("12.345000");
    expect(fromMicros(-1n)).toBe("-0.000001");
    expect(fromMicros(0n)).toBe("0.000000");
    expect(fromMicros(-0n)).toBe("0.000000");
    expect(fromMicros(toMicros("-0.000000"))).toBe("0.000000");
  });
});

describe("fromMicros(_, 2): half-up away from zero, rounding once", () => {
  it.each([
    ["0", "0.00"],
    ["1", "1.00"],
    ["0.005", "0.01"],
    ["0.004999", "0.00"],
    ["0.015", "0.02"],
    ["0.025", "0.03"], // half-up, not banker's rounding (which gives 0.02)
    ["1.005", "1.01"], // a float-based Math.round(1.005 * 100) / 100 gives 1.00
    ["2.675", "2.68"], // likewise 2.67 with floats
    ["1.994999", "1.99"],
    ["1.995", "2.00"],
    ["9.999999", "10.00"],
    ["12.345", "12.35"],
    ["12.344999", "12.34"],
    ["0.0001", "0.00"],
    // once: 0.0045 -> 0.00 directly; rounding first to 3 places (0.005) and then to 2 would give 0.01
    ["0.0045", "0.00"],
    ["0.01495", "0.01"],
    ["99999999.995", "100000000.00"],
    // negatives round away from zero, and a result of zero is never "-0.00"
    ["-0.005", "-0.01"],
    ["-0.004999", "0.00"],
    ["-0.000001", "0.00"],
    ["-0.015", "-0.02"],
    ["-1.005", "-1.01"],
    ["-1.994999", "-1.99"],
    ["-1.995", "-2.00"],
    ["-9.999999", "-10.00"],
    ["-12.345", "-12.35"],
    ["-0.0045", "0.00"],
  ])("%s -> %s", (input, expected) => {
    expect(fromMicros(toMicros(input), 2)).toBe(expected);
  });

  it("is the nearest cent, ties going away from zero", () => {
    fc.assert(
      fc.property(microsArb, (m) => {
        const s = fromMicros(m, 2);
        expect(s).toMatch(/^-?\d+\.\d{2}$/);
        expect(s).not.toBe("-0.00");
        const r = toMicros(s);
        expect(r % 10_000n).toBe(0n);
        const diff = r > m ? r - m : m - r;
        expect(diff <= 5_000n).toBe(true);
        if (diff === 5_000n) {
          // a tie: the result is further from zero than the input
          expect(r < 0n ? -r : r).toBeGreaterThan(m < 0n ? -m : m);
        }
      }),
      { numRuns: 2000 },
    );
  });

  it("is symmetric around zero", () => {
    fc.assert(
      fc.property(microsArb, (m) => {
        const pos = fromMicros(m < 0n ? -m : m, 2);
        const neg = fromMicros(m < 0n ? m : -m, 2);
        expect(neg).toBe(pos === "0.00" ? "0.00" : `-${pos}`);
      }),
    );
  });

  it("is monotonic", () => {
    fc.assert(
      fc.property(microsArb, microsArb, (a, b) => {
        const [lo, hi] = a <= b ? [a, b] : [b, a];
        expect(toMicros(fromMicros(lo, 2)) <= toMicros(fromMicros(hi, 2))).toBe(true);
      }),
    );
  });
});

describe("normalizeAmount", () => {
  it.each([
    ["25", 2, "25.00"],
    ["25.5", 2, "25.50"],
    ["0.10", 2, "0.10"],
    ["-1.5", 2, "-1.50"],
    ["1.2300", 2, "1.23"], // extra places that are zero do not change the value
    ["1.230000", 2, "1.23"],
    ["-0.00", 2, "0.00"],
    [" 7 ", 2, "7.00"],
    ["1.5", 6, "1.500000"],
    ["1.123456", 6, "1.123456"],
    ["-3", 6, "-3.000000"],
  ] as const)("(%j, %i) -> %j", (input, scale, expected) => {
    expect(normalizeAmount(input, scale)).toBe(expected);
  });

  it.each([
    ["1.234", 2],
    ["1.001", 2],
    ["0.005", 2],
    ["-1.239", 2],
    ["0.000001", 2],
    ["1.2345678", 6],
    ["1.1234567", 2],
    ["abc", 2],
    ["", 6],
    ["1e3", 2],
  ] as const)("rejects (%j, %i)", (input, scale) => {
    expect(() => normalizeAmount(input, scale)).toThrow(RangeError);
  });

  it("to 2 places: throws exactly when the value has non-zero digits beyond the cents, else keeps the value", () => {
    fc.assert(
      fc.property(microsArb, (m) => {
        const s = fromMicros(m, 6);
        if (m % 10_000n !== 0n) {
          expect(() => normalizeAmount(s, 2)).toThrow(RangeError);
        } else {
          const n = normalizeAmount(s, 2);
          expect(n).toMatch(/^-?\d+\.\d{2}$/);
          expect(toMicros(n)).toBe(m);
        }
      }),
      { numRuns: 1000 },
    );
  });

  it("to 6 places: keeps the value of any decimal with at most 6 places", () => {
    fc.assert(
      fc.property(decimalPartsArb, (parts) => {
        const s = join(parts);
        const n = normalizeAmount(s, 6);
        expect(n).toMatch(/^-?\d+\.\d{6}$/);
        expect(toMicros(n)).toBe(toMicros(s));
      }),
    );
  });
});

describe("compareAmounts / minAmount", () => {
  it.each([
    ["9.99", "10.00", -1], // a string comparison would say 1
    ["100.00", "99.99", 1],
    ["10", "10.000000", 0],
    ["-0", "0", 0],
    ["-1", "0", -1],
    ["-2.5", "-2.49", -1],
    ["0.000001", "0", 1],
  ] as const)("compareAmounts(%j, %j) === %i", (a, b, expected) => {
    expect(compareAmounts(a, b)).toBe(expected);
    expect(compareAmounts(b, a)).toBe(-expected || 0);
  });

  it("orders amounts by value", () => {
    fc.assert(
      fc.property(microsArb, microsArb, (a, b) => {
        const expected = a < b ? -1 : a > b ? 1 : 0;
        expect(compareAmounts(fromMicros(a), fromMicros(b))).toBe(expected);
        expect(compareAmounts(fromMicros(a, 6), fromMicros(b, 6).replace(/0+$/, "").replace(/\.$/, ""))).toBe(
          expected,
        );
      }),
    );
  });

  it("minAmount returns whichever input is smaller in value, the first on a tie", () => {
    expect(minAmount("9.99", "10.00")).toBe("9.99");
    expect(minAmount("100", "99.99")).toBe("99.99");
    expect(minAmount("5.0", "5.00")).toBe("5.0");
    fc.assert(
      fc.property(microsArb, microsArb, (a, b) => {
        const [sa, sb] = [fromMicros(a), fromMicros(b)];
        expect(minAmount(sa, sb)).toBe(a <= b ? sa : sb);
      }),
    );
  });
});
