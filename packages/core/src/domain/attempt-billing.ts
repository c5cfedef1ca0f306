import { costMicros, type ModelPrice, type TokenUsage } from "./pricing";

type Price = Pick<ModelPrice, "inputPerMillion" | "outputPerMillion" | "cachedInputPerMillion">;

/** One provider attempt of a request that consumed tokens, with the price of its own provider and model. */
export interface PricedAttempt {
  usage: TokenUsage;
  price: Price;
}

export interface AttemptsBill {
  /** The attempts' tokens, summed. */
  usage: TokenUsage;
  /** Each attempt's exact cost, rounded once to the micro-dollar, in the attempts' order. */
  attemptCostMicros: bigint[];
  /** What the request cost: the sum of the attempts' costs (no further rounding). */
  costMicros: bigint;
  /**
   * The position of the last attempt that cost something, or null when none did. The usage row
   * names that attempt's provider and model and counts only the charged attempts' tokens
   * (chargedUsage), so that its cost is its tokens at its model's price, as anyone recomputing an
   * invoice from the price table expects; `degraded` tells that a free fallback answered.
   */
  lastCharged: number | null;
  /** The tokens of the attempts that cost something; all the attempts' tokens when none did. */
  chargedUsage: TokenUsage;
}

/**
 * What a request cost when several provider attempts consumed tokens for it (an upstream answer
 * that could not be used, then a retry or the fallback). Each attempt is priced exactly at its own
 * price and rounded once, as a request of its own would be (costMicros); the request's cost is the
 * sum of those amounts, so it is exactly what the provider(s) charged. Tokens are summed. No
 * attempts: nothing consumed, nothing owed.
 */
export function billAttempts(attempts: readonly PricedAttempt[]): AttemptsBill {
  const usage = noTokens();
  const charged = noTokens();
  const attemptCostMicros: bigint[] = [];
  let total = 0n;
  let lastCharged: number | null = null;
  attempts.forEach((a, i) => {
    const cost = costMicros(a.usage, a.price);
    attemptCostMicros.push(cost);
    total += cost;
    addTokens(usage, a.usage);
    if (cost > 0n) {
      addTokens(charged, a.usage);
      lastCharged = i;
    }
  });
  for (const [k, v] of Object.entries(usage)) {
    if (!Number.isSafeInteger(v)) throw new RangeError(`the attempts' ${k} add up past a safe integer`);
  }
  return {
    usage,
    attemptCostMicros,
    costMicros: total,
    lastCharged,
    chargedUsage: lastCharged === null ? usage : charged,
  };
}

function noTokens(): TokenUsage {
  return { inputTokens: 0, outputTokens: 0, cachedInputTokens: 0 };
}

function addTokens(into: TokenUsage, add: TokenUsage): void {
  into.inputTokens += add.inputTokens;
  into.outputTokens += add.outputTokens;
  into.cachedInputTokens += add.cachedInputTokens;
}
