/**
 * Money for people to read: the one formatter of US dollar amounts (the apps use it through
 * @wedsync/ui/format). Amounts arrive as exact decimal strings ("0.000420", "1234.5"); they are
 * handed to Intl.NumberFormat as strings, which formats the decimal exactly (ECMA-402's
 * Intl.NumberFormat v3: Node 20, Chrome 106, Firefox 116, Safari 15.4; older engines convert the
 * string to a number first, which gives the same text up to 15 significant digits).
 * Rounding is half away from zero, as `fromMicros(…, 2)` and the invoice total round.
 */

/**
 * - `cents`: two places, rounded ("$1,234.57"): caps, totals, prices.
 * - `micros`: up to six places, as stored ("$0.00042"): one request's cost.
 * - `auto`: `micros` below one dollar (where cents would show "$0.00"), `cents` from one dollar.
 */
export type UsdPrecision = "cents" | "micros" | "auto";

const DECIMAL = /^-?\d+(?:\.\d+)?$/;

const CENTS = new Intl.NumberFormat("en-US", {
  style: "currency",
  currency: "USD",
  minimumFractionDigits: 2,
  maximumFractionDigits: 2,
});
const MICROS = new Intl.NumberFormat("en-US", {
  style: "currency",
  currency: "USD",
  minimumFractionDigits: 2,
  maximumFractionDigits: 6,
});

/** "1234.567" → "$1,234.57"; "-0.5" → "-$0.50"; "0.000420" → "$0.00042" (micros or auto). */
export function formatUsd(amount: string, precision: UsdPrecision = "cents"): string {
  const value = amount.trim();
  if (!DECIMAL.test(value)) throw new RangeError(`not a decimal amount: ${JSON.stringify(amount)}`);
  const negative = value.startsWith("-");
  const magnitude = negative ? value.slice(1) : value;
  const belowOneDollar = /^0+(?:\.|$)/.test(magnitude);
  const format = precision === "micros" || (precision === "auto" && belowOneDollar) ? MICROS : CENTS;
  // A string, not Number(magnitude): formatted as the exact decimal it is (see above).
  const text = format.format(magnitude as `${number}`);
  // en-US writes a negative amount as "-$1.23"; one that rounds to zero has no sign.
  return negative && /[1-9]/.test(text) ? `-${text}` : text;
}
