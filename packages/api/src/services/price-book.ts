import { aiModelPrices, type ModelPrice, priceAt } from "@wedsync/core";
import type { Database } from "../infra/database";
import type { EventBus } from "../infra/event-bus";
import type { Logger } from "../infra/logger";

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
 * The model price table, held in memory (it is small and read on every request). Every instance
 * reloads it when a price is added anywhere (a "prices" event) and after missing events; once a
 * minute as well, in case an event is lost. Rows starting later are held too, and apply from
 * their instant: a price saved a few seconds ahead (core's PRICE_LEAD_MS) is loaded everywhere
 * before it starts.
 */
export class PriceBook {
  private prices: ModelPrice[] = [];
  private loadedAt = 0;
  private loading: Promise<void> | null = null;
  /** Reloads asked for; a load that began before the latest ask runs again (it may miss a row). */
  private asked = 0;

  constructor(private readonly db: Database) {}

  /** Reload on every price change announced by any instance, and after events may have been missed. */
  attach(bus: EventBus, logger: Logger): () => void {
    return bus.subscribe((message) => {
      if (message.type === "resync" || message.event.kind === "prices") {
        this.reload().catch((err) => {
          // Marked stale, so the next lookup tries again rather than waiting out the minute.
          this.loadedAt = 0;
          logger.error({ err }, "reloading model prices failed; the next request retries");
        });
      }
    });
  }

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

  /** Resolves once a load that started after this call has finished. */
  reload(): Promise<void> {
    this.asked++;
    this.loading ??= (async () => {
      try {
        let served: number;
        do {
          served = this.asked;
          this.prices = await this.db.select().from(aiModelPrices);
          this.loadedAt = Date.now();
        } while (served !== this.asked);
      } finally {
        this.loading = null;
      }
    })();
    return this.loading;
  }
}
