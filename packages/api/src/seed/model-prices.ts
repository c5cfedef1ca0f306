import { aiModelPrices } from "@wedsync/core";
import type { Database } from "../infra/database";

/**
 * Public list prices (USD per million tokens) of a few current OpenAI models, and the local
 * rules engine at zero. A price change is a new row with a later effective_from.
 */
export const MODEL_PRICES = [
  {
    provider: "openai",
    model: "gpt-4o",
    inputPerMillion: "2.500000",
    cachedInputPerMillion: "1.250000",
    outputPerMillion: "10.000000",
  },
  {
    provider: "openai",
    model: "gpt-4o-mini",
    inputPerMillion: "0.150000",
    cachedInputPerMillion: "0.075000",
    outputPerMillion: "0.600000",
  },
  {
    provider: "openai",
    model: "gpt-4.1",
    inputPerMillion: "2.000000",
    cachedInputPerMillion: "0.500000",
    outputPerMillion: "8.000000",
  },
  {
    provider: "openai",
    model: "gpt-4.1-mini",
    inputPerMillion: "0.400000",
    cachedInputPerMillion: "0.100000",
    outputPerMillion: "1.600000",
  },
  {
    provider: "openai",
    model: "gpt-4.1-nano",
    inputPerMillion: "0.100000",
    cachedInputPerMillion: "0.025000",
    outputPerMillion: "0.400000",
  },
  {
    provider: "openai",
    model: "o4-mini",
    inputPerMillion: "1.100000",
    cachedInputPerMillion: "0.275000",
    outputPerMillion: "4.400000",
  },
  {
    provider: "local",
    model: "local-rules",
    inputPerMillion: "0.000000",
    cachedInputPerMillion: "0.000000",
    outputPerMillion: "0.000000",
  },
] as const;

export const PRICES_EFFECTIVE_FROM = new Date("2025-01-01T00:00:00Z");

/** A server with an empty price table could not price anything: give it these on first start. */
export async function ensureModelPrices(db: Database): Promise<void> {
  await db
    .insert(aiModelPrices)
    .values(MODEL_PRICES.map((p) => ({ ...p, effectiveFrom: PRICES_EFFECTIVE_FROM })))
    .onConflictDoNothing();
}
