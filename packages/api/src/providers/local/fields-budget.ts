import { findMoney } from "./text-money";
import { type Extracted, extracted, lineAround } from "./text-span";

type Money = { amount: string; currency: string };

const BUDGET_CUE =
  /(?:bud[gj]et|spend|afford|up[ \t]+to|max(?:imum)?|in[ \t]+total|all[- ]in|price[ \t]+range)[^\n]{0,50}$/i;
const BUDGET_AFTER = /^[^\n]{0,20}bud[gj]et/i;
/** Amounts that are not the budget: a deposit, a per-head price, a fee already paid. */
const OTHER_CUE = /(?:deposit|per[ \t]+(?:head|person|guest)|\bpp\b|each|paid|fee|invoice)/i;
const RANGE_GAP = /^[ \t]*(?:-|–|to)[ \t]*$/;

/**
 * "budget is around 2,500" / "Budget: 25k": a bare number joined to the word by nothing but
 * words like "is", "of", "around" (so "budget for 120 guests" and "budget in 2027" are not
 * money), and not followed by a percent sign or a currency of its own. Every quantifier is
 * bounded: document text can be megabytes.
 */
const BARE_BUDGET =
  /\bbud[gj]et\b(?:[ \t]{0,3}(?::|-|=|~|is|of|was|will[ \t]be|around|about|approx(?:imately)?|roughly|max(?:imum)?|up[ \t]to))*[ \t]{0,3}(\d{1,3}(?:,\d{3}){1,4}|\d{1,9})(?![\d,])(?:\.(\d{1,2}))?(?!\d)[ \t]?(k)?(?![ \t]?[%£$€])/i;

/**
 * The budget: an amount cued by "budget", "spend", "up to"... beats an uncued one; a deposit
 * or a per-head price is unlikely to be it. For a range ("£20-25k") the upper bound is taken:
 * a budget is what they can spend at most. `defaultCurrency` (the client's) lets a bare number
 * right after "budget" count, at a lower confidence than an amount with its currency written.
 */
export function findBudget(text: string, defaultCurrency?: string): Extracted<Money> | null {
  const money = findMoney(text);
  let top: Extracted<Money> | null = null;
  const bare = defaultCurrency ? BARE_BUDGET.exec(text) : null;
  if (bare && defaultCurrency) {
    const start = bare.index + bare[0].search(/\d/);
    const cents =
      (BigInt(bare[1]!.replaceAll(",", "")) * 100n + BigInt((bare[2] ?? "").padEnd(2, "0"))) *
      (bare[3] ? 1_000n : 1n);
    const amount = `${cents / 100n}.${(cents % 100n).toString().padStart(2, "0")}`;
    top = extracted(text, { amount, currency: defaultCurrency }, 0.6, start, bare.index + bare[0].length);
  }
  for (const [i, m] of money.entries()) {
    const line = lineAround(text, m.start);
    const before = text.slice(Math.max(line.start, m.start - 50), m.start);
    const after = text.slice(m.end, Math.min(line.end, m.end + 30));
    let confidence = BUDGET_CUE.test(before) || BUDGET_AFTER.test(after) ? 0.9 : 0.5;
    if (OTHER_CUE.test(before) || OTHER_CUE.test(after.slice(0, 15))) confidence -= 0.3;
    let chosen = m;
    const next = money[i + 1];
    if (next && next.currency === m.currency && RANGE_GAP.test(text.slice(m.end, next.start))) {
      chosen = next;
      confidence -= 0.15;
    }
    if (!top || confidence > top.confidence) {
      const value = { amount: chosen.amount, currency: chosen.currency };
      top = extracted(text, value, confidence, m.start, chosen.end);
    }
  }
  return top;
}
