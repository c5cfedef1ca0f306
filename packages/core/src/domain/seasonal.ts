/**
 * Wedding-season trends: year-over-year change and monthly seasonal indices.
 *
 * Method (for the docs)
 * ---------------------
 * Year over year. The change is (this period - the same period last year) / the same period last
 * year, kept as an exact fraction of integers (request counts or micro-dollars) and only turned
 * into a decimal string for display, rounded once, half-up. With nothing last year there is no
 * ratio (null), not an infinite one.
 *
 * Seasonal index, by the average-by-month (simple averages) method. From at least 12 consecutive
 * months of history: for each calendar month, the mean of its values over the years; its index
 * is that mean divided by the mean of the twelve monthly means. An index of 1.8 for June means
 * June usually sees 1.8 times an average month. The twelve indices average exactly 1. Dividing
 * by the mean of monthly means, not of all values, keeps a partial extra year (say 18 months,
 * January to June twice) from weighting the base towards the months it repeats.
 *
 * Seasonal index, detrended (ratio to moving average). A growing business makes later months
 * look seasonally busier under simple averages. The classic remedy: a centred 2x12 moving average
 * (half weight on the two ends, 13 months in all) estimates the trend at each month; each month's
 * value divided by its trend is a seasonal ratio; each calendar month's index is the mean of its
 * ratios, scaled so the twelve average 1. The moving average loses six months at each end, so
 * every calendar month has a ratio only from 24 months of history. A small bias remains when the
 * season is strong and growth fast (about 3% at 2% growth a month with a peak month 4.75 times
 * the quietest), against about 11% for simple averages of the same series.
 *
 * The usage report (platform.usage) uses the detrended index: a simple-average index from a
 * growing organization's history would call its later months seasonally busy. Without 24 months
 * of history it has no index (null) rather than a biased one.
 *
 * A period's seasonal factor is the mean index of its days (each day weighs its calendar month's
 * index), so a period spanning two months leans towards the one it covers more of.
 *
 * Seasonally adjusted value = value / that month's index: what the month would have been without
 * its season, so that an adjusted June can be compared with an adjusted January.
 */

import { type DayRange, daysOf } from "./calendar";

// ---- year over year -----------------------------------------------------------------------------

/** An exact fraction, reduced, with a positive denominator. */
export interface Ratio {
  numerator: bigint;
  denominator: bigint;
}

function whole(value: bigint | number, name: string): bigint {
  if (typeof value === "number" && !Number.isSafeInteger(value))
    throw new RangeError(`${name} must be an integer (a count or micro-dollars), got ${value}`);
  const v = BigInt(value);
  if (v < 0n) throw new RangeError(`${name} must not be negative, got ${value}`);
  return v;
}

const gcd = (a: bigint, b: bigint): bigint => {
  let [x, y] = [a < 0n ? -a : a, b];
  while (y !== 0n) [x, y] = [y, x % y];
  return x;
};

/** (current - sameLastYear) / sameLastYear, exactly; null when last year had none. */
export function yearOverYear(current: bigint | number, sameLastYear: bigint | number): Ratio | null {
  const now = whole(current, "current");
  const then = whole(sameLastYear, "sameLastYear");
  if (then === 0n) return null;
  const diff = now - then;
  const g = gcd(diff, then);
  return { numerator: diff / g, denominator: then / g };
}

/** The ratio as a decimal string rounded once, half-up (away from zero): 1/8 at 2 places is "0.13". */
export function ratioToDecimal(r: Ratio, places = 4): string {
  if (!Number.isInteger(places) || places < 0 || places > 30) throw new RangeError(`bad places: ${places}`);
  if (r.denominator <= 0n) throw new RangeError("the denominator must be positive");
  const negative = r.numerator < 0n;
  const scale = 10n ** BigInt(places);
  const abs = negative ? -r.numerator : r.numerator;
  const scaled = (2n * abs * scale + r.denominator) / (2n * r.denominator);
  const digits = scaled.toString().padStart(places + 1, "0");
  const s = places === 0 ? digits : `${digits.slice(0, -places)}.${digits.slice(-places)}`;
  return negative && scaled !== 0n ? `-${s}` : s;
}

// ---- seasonal indices ---------------------------------------------------------------------------

export interface MonthlyValue {
  /** "2026-06" */
  month: string;
  /** Requests, or cost in micro-dollars: any non-negative amount of one kind. */
  value: number | bigint;
}

/** Twelve indices, January first; they average 1. */
export type SeasonalIndex = number[];

/** Values in month order, with each value's calendar month (0 = January). */
function series(history: readonly MonthlyValue[]): Array<{ calendarMonth: number; value: number }> {
  let previous: number | null = null;
  return history.map(({ month, value }) => {
    const m = /^(\d{4})-(0[1-9]|1[0-2])$/.exec(month);
    if (!m) throw new RangeError(`month must be "YYYY-MM", got ${JSON.stringify(month)}`);
    const ordinal = Number(m[1]) * 12 + Number(m[2]) - 1;
    // A missing month is unknown, not zero: the caller fills in the zeros it knows about.
    if (previous !== null && ordinal !== previous + 1)
      throw new RangeError(`history must be consecutive months in order; ${month} does not follow`);
    previous = ordinal;
    const v = Number(value);
    if (!Number.isFinite(v) || v < 0) throw new RangeError(`value for ${month} must be >= 0, got ${value}`);
    return { calendarMonth: ordinal % 12, value: v };
  });
}

/** Means per calendar month, scaled to average 1; null when a month is missing or all are zero. */
function normalized(groups: number[][]): SeasonalIndex | null {
  if (groups.some((g) => g.length === 0)) return null;
  const means = groups.map((g) => g.reduce((s, v) => s + v, 0) / g.length);
  const base = means.reduce((s, v) => s + v, 0) / 12;
  return base > 0 ? means.map((m) => m / base) : null;
}

/** Average-by-month seasonal index (see the top of this file); null with under 12 months or no usage. */
export function seasonalIndex(history: readonly MonthlyValue[]): SeasonalIndex | null {
  const points = series(history);
  if (points.length < 12) return null;
  const groups: number[][] = Array.from({ length: 12 }, () => []);
  for (const p of points) groups[p.calendarMonth]!.push(p.value);
  return normalized(groups);
}

/** Ratio-to-moving-average seasonal index (see the top of this file); null with under 24 months. */
export function seasonalIndexDetrended(history: readonly MonthlyValue[]): SeasonalIndex | null {
  const points = series(history);
  if (points.length < 24) return null;
  const groups: number[][] = Array.from({ length: 12 }, () => []);
  for (let t = 6; t < points.length - 6; t++) {
    let sum = (points[t - 6]!.value + points[t + 6]!.value) / 2;
    for (let k = t - 5; k <= t + 5; k++) sum += points[k]!.value;
    const trend = sum / 12;
    // No trend to compare with (a run of empty months): this month says nothing about the season.
    if (trend > 0) groups[points[t]!.calendarMonth]!.push(points[t]!.value / trend);
  }
  return normalized(groups);
}

/** The mean index of the period's days (see the top of this file); null for an empty period. */
export function periodSeasonalFactor(index: SeasonalIndex, period: DayRange): number | null {
  const days = daysOf(period);
  if (days.length === 0) return null;
  return days.reduce((sum, day) => sum + index[Number(day.slice(5, 7)) - 1]!, 0) / days.length;
}

/** value / index: the month without its season. Null for a month whose index is 0 (never used). */
export function seasonallyAdjusted(value: number, index: number): number | null {
  if (!Number.isFinite(value) || !Number.isFinite(index) || index < 0)
    throw new RangeError(`need a finite value and an index >= 0, got ${value} / ${index}`);
  return index === 0 ? null : value / index;
}
