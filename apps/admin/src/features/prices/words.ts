import { formatUsd } from "@wedsync/ui/format";
import type { RouterOutputs } from "@wedsync/ui/trpc";

export type PriceTableData = RouterOutputs["modelPrices"]["list"];
export type ModelEntry = PriceTableData["models"][number];
export type PriceRow = ModelEntry["history"][number];
export type PricePreview = RouterOutputs["modelPrices"]["preview"];

/** One key per provider and model (two providers may name a model alike). */
export const modelKey = (m: { provider: string; model: string }) => `${m.provider}/${m.model}`;

/** A per-million-token price as staff compare them: exact, up to six places ("$0.075"). */
export const perMillion = (amount: string) => formatUsd(amount, "micros");

/** One request's cost: exact to the micro-dollar ("$0.00075"). */
export const requestCost = (amount: string) => formatUsd(amount, "micros");

/** The price a change starts from: the one in force, else the first one scheduled. */
export function priceInForce(m: ModelEntry): PriceRow | null {
  return m.current ?? m.next;
}
