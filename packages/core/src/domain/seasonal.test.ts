import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  type MonthlyValue,
  periodSeasonalFactor,
  ratioToDecimal,
  seasonalIndex,
  seasonalIndexDetrended,
  seasonallyAdjusted,
  yearOverYear,
} from "./seasonal";

/** A wedding supplier's year: quiet winter, peaks in June and September. January first. */
const WEDDING_SEASON = [0.4, 0.5, 0.7, 0.9, 1.3, 1.9, 1.4, 1.5, 1.8, 1.1, 0.5, 0.4];
const MEAN = WEDDING_SEASON.reduce((s, v) => s + v, 0) / 12;
const TRUE_INDEX = WEDDING_SEASON.map((f) => f / MEAN);

/** `months` consecutive months from January 2024, value = level(t) x the month's season. */
function history(months: number, level: (t: number) => number, start = 0): MonthlyValue[] {
  return Array.from({ length: months }, (_, i) => {
    const t = start + i;
    const [y, m] = [2024 + Math.floor(t / 12), (t % 12) + 1];
    return { month: `${y}-${String(m).padStart(2, "0")}`, value: level(t) * WEDDING_SEASON[t % 12]! };
  });
}

const top2 = (index: number[]) =>
  index
    .map((v, m) => [m + 1, v] as const)
    .sort((a, b) => b[1] - a[1])
    .slice(0, 2)
    .map(([m]) => m)
    .sort((a, b) => a - b);

const maxRelativeError = (index: number[]) =>
  Math.max(...index.map((v, m) => Math.abs(v / TRUE_INDEX[m]! - 1)));

describe("yearOverYear", () => {
  it.each([
    [150, 100, 1n, 2n, "0.5000"],
    [100, 100, 0n, 1n, "0.0000"],
    [50, 200, -3n, 4n, "-0.7500"],
    [0, 7, -1n, 1n, "-1.0000"],
    [2n * 10n ** 18n, 3n, 2n * 10n ** 18n - 3n, 3n, "666666666666666665.6667"],
  ])("%s against %s is %s/%s", (current, last, num, den, decimal) => {
    const r = yearOverYear(current, last)!;
    expect(r).toEqual({ numerator: num, denominator: den });
    expect(ratioToDecimal(r)).toBe(decimal);
  });

  it("has no ratio when last year had nothing, and refuses what is not a count", () => {
    expect(yearOverYear(10, 0)).toBeNull();
    expect(yearOverYear(0n, 0n)).toBeNull();
    expect(() => yearOverYear(1.5, 1)).toThrow(RangeError);
    expect(() => yearOverYear(1, -1)).toThrow(RangeError);
  });

  it("is exact and reduced: last x (1 + ratio) = current (property)", () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: 0n, max: 10n ** 20n }),
        fc.bigInt({ min: 1n, max: 10n ** 20n }),
        (now, then) => {
          const { numerator, denominator } = yearOverYear(now, then)!;
          expect(denominator > 0n).toBe(true);
          expect(then * (numerator + denominator)).toBe(now * denominator);
          const g = (a: bigint, b: bigint): bigint => (b === 0n ? (a < 0n ? -a : a) : g(b, a % b));
          expect(g(numerator, denominator)).toBe(1n);
        },
      ),
    );
  });
});

describe("ratioToDecimal", () => {
  it.each([
    [1n, 8n, 2, "0.13"],
    [-1n, 8n, 2, "-0.13"],
    [1n, 3n, 4, "0.3333"],
    [2n, 3n, 0, "1"],
    [-1n, 3n, 0, "0"],
    [5n, 1n, 3, "5.000"],
  ])("%s/%s to %s places is %s", (numerator, denominator, places, expected) => {
    expect(ratioToDecimal({ numerator, denominator }, places)).toBe(expected);
  });

  it("is within half a unit of the last place, ties away from zero (property)", () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: -(10n ** 12n), max: 10n ** 12n }),
        fc.bigInt({ min: 1n, max: 10n ** 6n }),
        fc.integer({ min: 0, max: 8 }),
        (n, d, places) => {
          const s = ratioToDecimal({ numerator: n, denominator: d }, places);
          const scaled = BigInt(s.replace(".", "")); // s x 10^places
          const scale = 10n ** BigInt(places);
          // |s - n/d| <= 1/2 unit  <=>  |2 (scaled d - n scale)| <= d
          const err = 2n * (scaled * d - n * scale);
          expect(err <= d && err >= -d).toBe(true);
          if (err === d || err === -d) expect(scaled === 0n || scaled < 0n === n < 0n).toBe(true);
        },
      ),
    );
  });
});

describe("seasonalIndex (average by month)", () => {
  it("recovers the wedding season from two flat years: June and September peak", () => {
    const index = seasonalIndex(history(24, () => 100))!;
    expect(index).toHaveLength(12);
    index.forEach((v, m) => {
      expect(v).toBeCloseTo(TRUE_INDEX[m]!, 12);
    });
    expect(top2(index)).toEqual([6, 9]);
  });

  it("needs a year of history and some usage", () => {
    expect(seasonalIndex(history(11, () => 100))).toBeNull();
    expect(seasonalIndex(history(12, () => 0))).toBeNull();
    expect(seasonalIndex(history(12, () => 100))).not.toBeNull();
  });

  it("is not skewed by a partial extra year (18 months, January to June twice)", () => {
    const index = seasonalIndex(history(18, () => 100))!;
    index.forEach((v, m) => {
      expect(v).toBeCloseTo(TRUE_INDEX[m]!, 12);
    });
  });

  it("refuses gaps, disorder and bad values rather than guessing", () => {
    const h = history(13, () => 100);
    expect(() => seasonalIndex([...h.slice(0, 5), ...h.slice(6)])).toThrow(RangeError);
    expect(() => seasonalIndex([h[1]!, h[0]!, ...h.slice(2)])).toThrow(RangeError);
    expect(() => seasonalIndex([{ month: "2024-13", value: 1 }, ...h])).toThrow(RangeError);
    expect(() => seasonalIndex(h.map((p, i) => (i === 3 ? { ...p, value: -1 } : p)))).toThrow(RangeError);
  });

  it("accepts micro-dollar bigints", () => {
    const h = history(12, () => 100).map((p) => ({ ...p, value: BigInt(Math.round(Number(p.value) * 1e6)) }));
    expect(top2(seasonalIndex(h)!)).toEqual([6, 9]);
  });
});

describe("seasonalIndexDetrended (ratio to moving average)", () => {
  it("needs two years", () => {
    expect(seasonalIndexDetrended(history(23, () => 100))).toBeNull();
    expect(seasonalIndexDetrended(history(24, () => 100))).not.toBeNull();
  });

  it("recovers a flat season exactly", () => {
    seasonalIndexDetrended(history(36, () => 100))!.forEach((v, m) => {
      expect(v).toBeCloseTo(TRUE_INDEX[m]!, 12);
    });
  });

  it("sees through growth that skews simple averages", () => {
    // Growing 2% a month (27% a year). The detrended index keeps a small bias (a moving average of
    // a strongly seasonal, growing series is not exactly its trend) but is four times closer.
    const growing = history(36, (t) => 100 * 1.02 ** t);
    const simple = seasonalIndex(growing)!;
    const detrended = seasonalIndexDetrended(growing)!;
    expect(top2(detrended)).toEqual([6, 9]);
    expect(maxRelativeError(detrended)).toBeLessThan(0.03);
    expect(maxRelativeError(simple)).toBeGreaterThan(0.1);
  });
});

describe("against a known series: a trend and seasonal factors chosen in advance", () => {
  /** Twelve factors and a history built from them; the true index is the factors over their mean. */
  const known = (season: readonly number[], level: (t: number) => number, months: number, start = 0) => {
    const mean = season.reduce((s, v) => s + v, 0) / 12;
    const truth = season.map((f) => f / mean);
    const h: MonthlyValue[] = Array.from({ length: months }, (_, i) => {
      const t = start + i;
      const [y, m] = [2024 + Math.floor(t / 12), (t % 12) + 1];
      return { month: `${y}-${String(m).padStart(2, "0")}`, value: level(t) * season[t % 12]! };
    });
    const error = (index: number[]) => Math.max(...index.map((v, m) => Math.abs(v / truth[m]! - 1)));
    return { detrended: error(seasonalIndexDetrended(h)!), simple: error(seasonalIndex(h)!) };
  };

  /** The stated tolerance: every factor recovered within 4.5% (relative error). */
  const TOLERANCE = 0.045;

  it.each([
    ["100 + 5 a month, 3 years", (t: number) => 100 + 5 * t, 36],
    ["100 + 5 a month, 2 years", (t: number) => 100 + 5 * t, 24],
    ["2% a month, 3 years", (t: number) => 100 * 1.02 ** t, 36],
    ["1% a month, 2 years", (t: number) => 100 * 1.01 ** t, 24],
  ])(
    "the wedding season under growth of %s: detrended within the tolerance, simple averages not",
    (_, level, months) => {
      const { detrended, simple } = known(WEDDING_SEASON, level, months);
      expect(detrended).toBeLessThan(TOLERANCE);
      expect(simple).toBeGreaterThan(TOLERANCE);
    },
  );

  it("any season (factors 0.5 to 2) under 1% to 2% growth a month: detrended within the tolerance, simple averages at least 1.5 times further off (property)", () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(fc.constantFrom(0.5, 2), fc.double({ min: 0.5, max: 2, noNaN: true })), {
          minLength: 12,
          maxLength: 12,
        }),
        fc.double({ min: 0.01, max: 0.02, noNaN: true }),
        fc.integer({ min: 24, max: 36 }),
        fc.integer({ min: 0, max: 11 }),
        (season, growth, months, start) => {
          const { detrended, simple } = known(season, (t) => 100 * (1 + growth) ** t, months, start);
          expect(detrended).toBeLessThan(TOLERANCE);
          expect(simple).toBeGreaterThan(1.5 * detrended);
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe("periodSeasonalFactor", () => {
  const index = [0.4, 0.5, 0.7, 0.9, 1.3, 1.9, 1.4, 1.5, 1.8, 1.1, 0.5, 0.4];

  it("is the month's index for days inside one month, and weighs months by their days", () => {
    expect(periodSeasonalFactor(index, { from: "2027-06-01", to: "2027-06-30" })).toBeCloseTo(1.9, 12);
    expect(periodSeasonalFactor(index, { from: "2027-06-12", to: "2027-06-12" })).toBeCloseTo(1.9, 12);
    // 20 days of June and 10 of July.
    expect(periodSeasonalFactor(index, { from: "2027-06-11", to: "2027-07-10" })).toBeCloseTo(
      (20 * 1.9 + 10 * 1.4) / 30,
      12,
    );
    // A leap February counts its 29th.
    expect(periodSeasonalFactor(index, { from: "2028-02-28", to: "2028-03-01" })).toBeCloseTo(
      (2 * 0.5 + 0.7) / 3,
      12,
    );
  });

  it("has no factor for an empty period", () => {
    expect(periodSeasonalFactor(index, { from: "2027-06-02", to: "2027-06-01" })).toBeNull();
  });

  it("is 1 over any whole year of an index that averages 1, and lies between the smallest and largest index (property)", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 2000, max: 2100 }),
        fc.integer({ min: Date.UTC(2026, 0, 1), max: Date.UTC(2028, 11, 31) }),
        fc.integer({ min: 0, max: 399 }),
        (year, fromMs, length) => {
          const mean = index.reduce((s, v) => s + v, 0) / 12;
          const normalized = index.map((v) => v / mean);
          // Whole months of a year: each month weighs its days, so a whole year is 1 only when
          // weighted by days; a year of months counts each month by its length.
          const yearly = periodSeasonalFactor(normalized, { from: `${year}-01-01`, to: `${year}-12-31` })!;
          const days = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 366 : 365;
          const byDays = normalized.reduce(
            (s, v, m) => s + v * Number(new Date(Date.UTC(year, m + 1, 0)).getUTCDate()),
            0,
          );
          expect(yearly).toBeCloseTo(byDays / days, 12);
          const from = new Date(fromMs).toISOString().slice(0, 10);
          const to = new Date(fromMs + length * 86_400_000).toISOString().slice(0, 10);
          const f = periodSeasonalFactor(index, { from, to })!;
          expect(f).toBeGreaterThanOrEqual(Math.min(...index) - 1e-12);
          expect(f).toBeLessThanOrEqual(Math.max(...index) + 1e-12);
        },
      ),
    );
  });
});

describe("both indices (property)", () => {
  const historyArb = fc
    .tuple(
      fc.integer({ min: 0, max: 11 }),
      fc.array(fc.nat({ max: 1_000_000 }), { minLength: 24, maxLength: 60 }),
    )
    .map(([start, values]) =>
      history(values.length, () => 1, start).map((p, i) => ({ ...p, value: values[i]! })),
    );

  it("average 1, and do not change when every value is scaled", () => {
    fc.assert(
      fc.property(historyArb, fc.integer({ min: 2, max: 1000 }), (h, k) => {
        for (const method of [seasonalIndex, seasonalIndexDetrended]) {
          const index = method(h);
          if (!index) continue;
          expect(index.reduce((s, v) => s + v, 0)).toBeCloseTo(12, 9);
          const scaled = method(h.map((p) => ({ ...p, value: Number(p.value) * k })))!;
          scaled.forEach((v, m) => {
            expect(v).toBeCloseTo(index[m]!, 9);
          });
        }
      }),
    );
  });

  it("adjusting a purely seasonal series flattens it to its level", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 10_000 }), fc.integer({ min: 12, max: 48 }), (level, months) => {
        const h = history(months, () => level);
        const index = seasonalIndex(h)!;
        for (const [t, p] of h.entries()) {
          expect(seasonallyAdjusted(Number(p.value), index[t % 12]!)).toBeCloseTo(level * MEAN, 6);
        }
      }),
    );
  });
});

describe("seasonallyAdjusted", () => {
  it("divides by the index, and has no answer for a month that never sees use", () => {
    expect(seasonallyAdjusted(180, 1.8)).toBeCloseTo(100, 12);
    expect(seasonallyAdjusted(0, 0)).toBeNull();
    expect(() => seasonallyAdjusted(1, -1)).toThrow(RangeError);
  });
});
