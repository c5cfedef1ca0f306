import { aiModelPrices, type ModelPrice, priceAt } from "@wedsync/core";
import type { Database } from "../infra/database";

const REFRESH_MS = 60_000;

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
