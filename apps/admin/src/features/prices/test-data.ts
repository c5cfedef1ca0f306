import type { ModelEntry, PriceRow } from "./words";

/** A price row as modelPrices.list returns it (tests only). */
export function priceRow(
  id: string,
  figures: [string, string, string],
  effectiveFrom: string,
  scheduledBy: string | null = null,
): PriceRow {
  return {
    id,
    inputPerMillion: figures[0],
    cachedInputPerMillion: figures[1],
    outputPerMillion: figures[2],
    effectiveFrom: new Date(effectiveFrom),
    scheduledAt: new Date("2025-01-01T00:00:00Z"),
    scheduledBy,
  };
}

const MINI_NOW = priceRow("p-mini-1", ["0.150000", "0.075000", "0.600000"], "2025-01-01T00:00:00Z");
const MINI_NEXT = priceRow(
  "p-mini-2",
  ["0.200000", "0.100000", "0.800000"],
  "2099-03-01T00:00:00Z",
  "Sam Staff",
);
const GPT4O = priceRow("p-4o-1", ["2.500000", "1.250000", "10.000000"], "2025-01-01T00:00:00Z");

/** Two priced models: gpt-4o-mini with a price scheduled, gpt-4o without. */
export const MODELS: ModelEntry[] = [
  { provider: "openai", model: "gpt-4o", current: GPT4O, next: null, history: [GPT4O] },
  {
    provider: "openai",
    model: "gpt-4o-mini",
    current: MINI_NOW,
    next: MINI_NEXT,
    history: [MINI_NEXT, MINI_NOW],
  },
];
