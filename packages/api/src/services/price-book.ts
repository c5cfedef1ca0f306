import { aiModelPrices, type ModelPrice, priceAt } from "@wedsync/core";
import type { Database } from "../infra/database";

const REFRESH_MS = 60_000;

/** A model a configuration may name, with its list price (USD per million tokens, exact decimals). */
export interface PricedModel {
  model: string;
  provider: string;
  inputPerMillion: string;
  cachedInputPerMillion: string;
  outputPerMillion: string;
  effectiveFrom: Date;
}

/**
 * The model price table, held in memory (it is small and read on every request) and reloaded
 * once a minute so a new price row takes effect without a restart.
 */
export class PriceBook {
  private prices: ModelPrice[] = [];
  private loadedAt = 0;
  private loading: Promise<void> | null = null;

  constructor(private readonly db: Database) {}

  async priceAt(provider: string, model: string, at: Date): Promise<ModelPrice | null> {
    if (Date.now() - this.loadedAt > REFRESH_MS) await this.reload();
    return priceAt(this.prices, provider, model, at);
  }

  /**
   * The models a platform configuration may name at `at`, by name: every model with a price in
   * force that `problem` (the AI service's own check, so the list and the check that refuses a
   * save never disagree) accepts. A form offers these and refuses any other before sending it.
   */
  async pricedModels(
    at: Date,
    problem: (model: string, at: Date) => Promise<string | null>,
  ): Promise<PricedModel[]> {
    if (Date.now() - this.loadedAt > REFRESH_MS) await this.reload();
    const newest = new Map<string, ModelPrice>();
    for (const p of this.prices) {
      if (p.effectiveFrom.getTime() > at.getTime()) continue;
      const key = `${p.provider}/${p.model}`;
      const seen = newest.get(key);
      if (!seen || p.effectiveFrom > seen.effectiveFrom) newest.set(key, p);
    }
    // One entry per name (a name two providers price: the first provider by name, so stable).
    const byName = new Map<string, ModelPrice>();
    for (const p of [...newest.values()].sort((a, b) => a.provider.localeCompare(b.provider))) {
      if (!byName.has(p.model)) byName.set(p.model, p);
    }
    const out: PricedModel[] = [];
    for (const p of [...byName.values()].sort((a, b) => a.model.localeCompare(b.model))) {
      if ((await problem(p.model, at)) !== null) continue;
      out.push({
        model: p.model,
        provider: p.provider,
        inputPerMillion: p.inputPerMillion,
        cachedInputPerMillion: p.cachedInputPerMillion,
        outputPerMillion: p.outputPerMillion,
        effectiveFrom: p.effectiveFrom,
      });
    }
    return out;
  }

  reload(): Promise<void> {
    this.loading ??= (async () => {
      try {
        this.prices = await this.db.select().from(aiModelPrices);
        this.loadedAt = Date.now();
      } finally {
        this.loading = null;
      }
    })();
    return this.loading;
  }
}
