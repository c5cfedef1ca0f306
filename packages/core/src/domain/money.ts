/**
 * Exact money. Amounts travel as decimal strings (what PostgreSQL's numeric returns) and are
 * computed on as integer micro-dollars (bigint). Never a float.
 */
const DECIMAL = /^(-)?(\d+)(?:\.(\d+))?$/;

export const MICROS_PER_DOLLAR = 1_000_000n;

/** "12.345" -> 12345000n. Throws on anything that is not a plain decimal or has more than 6 places. */
export function toMicros(amount: string): bigint {
  const m = DECIMAL.exec(amount.trim());
  if (!m) throw new RangeError(`not a decimal amount: ${JSON.stringify(amount)}`);
  const [, sign, whole, frac = ""] = m;
  if (frac.length > 6) throw new RangeError(`more than 6 decimal places: ${amount}`);
  const micros = BigInt(whole!) * MICROS_PER_DOLLAR + BigInt(frac.padEnd(6, "0"));
  return sign ? -micros : micros;
}

/** 12345000n -> "12.345000" (scale 6) or "12.35" (scale 2, half-up away from zero). */
export function fromMicros(micros: bigint, scale: 2 | 6 = 6): string {
  const negative = micros < 0n;
  let abs = negative ? -micros : micros;
  if (scale === 2) {
    abs = (abs + 5_000n) / 10_000n; // half-up, once
    const s = `${abs / 100n}.${(abs % 100n).toString().padStart(2, "0")}`;
    return negative && abs !== 0n ? `-${s}` : s;
  }
  const s = `${abs / MICROS_PER_DOLLAR}.${(abs % MICROS_PER_DOLLAR).toString().padStart(6, "0")}`;
  return negative && abs !== 0n ? `-${s}` : s;
}

/** Normalise a decimal string to a fixed number of places without changing its value. */
export function normalizeAmount(amount: string, scale: 2 | 6): string {
  const micros = toMicros(amount);
  const unit = scale === 2 ? 10_000n : 1n;
  if (micros % unit !== 0n) throw new RangeError(`more than ${scale} decimal places: ${amount}`);
  return fromMicros(micros, scale);
}

export function compareAmounts(a: string, b: string): -1 | 0 | 1 {
  const x = toMicros(a);
  const y = toMicros(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

export function minAmount(a: string, b: string): string {
  return compareAmounts(a, b) <= 0 ? a : b;
}

/** Formatting for display (Intl.NumberFormat over the exact string): `@wedsync/core/money` serves both. */
export { formatUsd, type UsdPrecision } from "./money-format";
