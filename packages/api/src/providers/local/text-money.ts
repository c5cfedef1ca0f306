/**
 * Money written in prose ("£25,000", "$30k", "18,500 EUR", "5k pounds") as exact decimal strings
 * with an ISO currency. Amounts are computed in integer cents (bigint): never a float.
 */

export interface FoundMoney {
  /** Exact decimal, two places: "25000.00". */
  amount: string;
  currency: string;
  start: number;
  end: number;
}

const SYMBOLS: Record<string, string> = {
  "£": "GBP",
  $: "USD",
  "€": "EUR",
  us$: "USD",
  a$: "AUD",
  au$: "AUD",
  c$: "CAD",
  ca$: "CAD",
  nz$: "NZD",
};
const CODES = [
  "GBP",
  "USD",
  "EUR",
  "AUD",
  "CAD",
  "NZD",
  "CHF",
  "SEK",
  "NOK",
  "DKK",
  "ZAR",
  "INR",
  "AED",
  "SGD",
];
const WORDS: Record<string, string> = {
  pound: "GBP",
  pounds: "GBP",
  quid: "GBP",
  sterling: "GBP",
  dollar: "USD",
  dollars: "USD",
  bucks: "USD",
  euro: "EUR",
  euros: "EUR",
};

const SYM = "(?:us\\$|au?\\$|ca?\\$|nz\\$|£|\\$|€)";
const CODE = `(?:${CODES.join("|")})`;
const WORD = `(?:${Object.keys(WORDS).join("|")})`;
// Thousands with commas, or up to 12 plain digits; at most two decimals and never a partial number.
const NUM = "(\\d{1,3}(?:,\\d{3})+|\\d{1,12})(?:\\.(\\d{1,2}))?(?!\\d|[.,]\\d)";
const MULT = "(?:[ \\t]?(k|m|bn)(?!\\p{L}))?";

const PREFIXED = new RegExp(`(?<![\\p{L}\\d])(${SYM}|${CODE})[ \\t]?${NUM}${MULT}`, "giu");
// A symbol after the number is only the euro ("500 €"); and a symbol followed by digits is the
// next amount's prefix ("x 6 £72.00"), not this number's suffix.
const SUFFIXED = new RegExp(
  `(?<![\\p{L}\\d.,£$€])${NUM}${MULT}[ \\t]?(${CODE}|${WORD}|€)(?!\\p{L})(?![ \\t]?\\d)`,
  "giu",
);
/** The upper end of a range such as "£20-25k" or "£500 to 800": takes the prefix's currency. */
const RANGE_TAIL = new RegExp(`^[ \\t]*(?:-|–|to)[ \\t]*${NUM}${MULT}(?![ \\t]?\\p{L})`, "iu");

const MULTIPLIERS: Record<string, bigint> = { k: 1_000n, m: 1_000_000n, bn: 1_000_000_000n };

function toAmount(whole: string, frac: string | undefined, mult: string | undefined): string {
  let cents = BigInt(whole.replaceAll(",", "")) * 100n + BigInt((frac ?? "").padEnd(2, "0"));
  if (mult) cents *= MULTIPLIERS[mult.toLowerCase()] ?? 1n;
  return `${cents / 100n}.${(cents % 100n).toString().padStart(2, "0")}`;
}

function currencyOf(token: string): string | null {
  const t = token.toLowerCase();
  return SYMBOLS[t] ?? WORDS[t] ?? (CODES.includes(token.toUpperCase()) ? token.toUpperCase() : null);
}

export function findMoney(text: string): FoundMoney[] {
  const found: FoundMoney[] = [];
  for (const m of text.matchAll(PREFIXED)) {
    const currency = currencyOf(m[1]!);
    if (!currency) continue;
    const end = m.index + m[0].length;
    const tail = RANGE_TAIL.exec(text.slice(end, end + 40));
    // "£20-25k": the multiplier written once at the end applies to both ends of the range.
    const lowMult = m[4] ?? tail?.[3];
    found.push({ amount: toAmount(m[2]!, m[3], lowMult), currency, start: m.index, end });
    if (tail) {
      const tailStart = end + tail[0].search(/\d/);
      found.push({
        amount: toAmount(tail[1]!, tail[2], tail[3]),
        currency,
        start: tailStart,
        end: end + tail[0].length,
      });
    }
  }
  for (const m of text.matchAll(SUFFIXED)) {
    const currency = currencyOf(m[4]!);
    if (currency)
      found.push({
        amount: toAmount(m[1]!, m[2], m[3]),
        currency,
        start: m.index,
        end: m.index + m[0].length,
      });
  }
  return dedupe(found);
}

/** Text order; a suffixed reading inside a prefixed one ("£500 GBP") is the same amount. */
function dedupe(items: FoundMoney[]): FoundMoney[] {
  const sorted = [...items].sort((a, b) => a.start - b.start || b.end - a.end);
  const out: FoundMoney[] = [];
  for (const item of sorted) {
    const last = out[out.length - 1];
    if (!last || item.start >= last.end) out.push(item);
  }
  return out;
}
