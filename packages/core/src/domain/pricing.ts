import { toMicros } from "./money";

/** Per-million-token prices as exact decimal strings (an ai_model_prices row). */
export interface ModelPrice {
  provider: string;
  model: string;
  inputPerMillion: string;
  outputPerMillion: string;
  cachedInputPerMillion: string;
  effectiveFrom: Date;
}

export interface TokenUsage {
  /** All input tokens, cached ones included (as providers report them). */
  inputTokens: number;
  outputTokens: number;
  /** The part of inputTokens served from the provider's prompt cache, billed at the cached price. */
  cachedInputTokens: number;
}

const PER_MILLION = 1_000_000n;

function assertTokens(u: TokenUsage) {
  for (const [k, v] of Object.entries(u)) {
    if (!Number.isSafeInteger(v) || v < 0)
      throw new RangeError(`${k} must be a non-negative integer, got ${v}`);
  }
  if (u.cachedInputTokens > u.inputTokens)
    throw new RangeError("cachedInputTokens cannot exceed inputTokens");
}

/**
 * The exact cost of one request in micro-dollars, rounded once (half-up) at the end: the three
 * products are summed exactly before the single division.
 */
export function costMicros(
  usage: TokenUsage,
  price: Pick<ModelPrice, "inputPerMillion" | "outputPerMillion" | "cachedInputPerMillion">,
): bigint {
  assertTokens(usage);
  const uncached = BigInt(usage.inputTokens - usage.cachedInputTokens);
  const numerator =
    uncached * toMicros(price.inputPerMillion) +
    BigInt(usage.cachedInputTokens) * toMicros(price.cachedInputPerMillion) +
    BigInt(usage.outputTokens) * toMicros(price.outputPerMillion);
  return (numerator + PER_MILLION / 2n) / PER_MILLION;
}

/**
 * Every instant at which some price takes effect, ascending and distinct. Between two of them (a
 * price segment) the price in force is the same for every provider and model, so requests in one
 * segment that agree on provider and model were all charged at one price: an invoice may sum
 * them before pricing its lines. A request's segment is the number of instants not after it
 * (PostgreSQL: width_bucket(created_at, instants)).
 */
export function priceChangeInstants(prices: readonly Pick<ModelPrice, "effectiveFrom">[]): Date[] {
  const times = [...new Set(prices.map((p) => p.effectiveFrom.getTime()))].sort((a, b) => a - b);
  return times.map((t) => new Date(t));
}

/** The price row in force at `at`: the newest whose effective_from is not after it. */
export function priceAt<P extends Pick<ModelPrice, "provider" | "model" | "effectiveFrom">>(
  prices: readonly P[],
  provider: string,
  model: string,
  at: Date,
): P | null {
  let best: P | null = null;
  for (const p of prices) {
    if (p.provider !== provider || p.model !== model || p.effectiveFrom.getTime() > at.getTime()) continue;
    if (!best || p.effectiveFrom.getTime() > best.effectiveFrom.getTime()) best = p;
  }
  return best;
}

/**
 * A hard upper bound on the tokens `text` can become: byte-level BPE tokenizers never produce
 * more tokens than UTF-8 bytes. Reservations use it so that real costs can never exceed them.
 */
export function tokenBound(text: string): number {
  return new TextEncoder().encode(text).length;
}

/** A rough token count for text (about 4 characters a token, rounded up), when no count is reported. */
export function estimateTokens(text: string): number {
  return Math.ceil(text.length / 4) + 8;
}

/**
 * The most a request can cost: every input token uncached, and the full output budget used.
 * Reserved at admission so concurrent requests cannot overspend a cap.
 */
export function worstCaseCostMicros(
  inputTokens: number,
  maxOutputTokens: number,
  price: Pick<ModelPrice, "inputPerMillion" | "outputPerMillion" | "cachedInputPerMillion">,
): bigint {
  return costMicros({ inputTokens, outputTokens: maxOutputTokens, cachedInputTokens: 0 }, price);
}
