import {
  AppError,
  billAttempts,
  type EffectiveConfig,
  type FeatureType,
  fieldExtractionResultSchema,
  type ModelPrice,
  type PlatformConfigRow,
  pdfAnalysisResultSchema,
  type SubscriptionTier,
  smartMappingResultSchema,
  type TokenUsage,
  tierViolation,
  tokenBound,
  worstCaseCostMicros,
} from "@wedsync/core";
import type { z } from "zod";
import type { ProviderHealth } from "../providers/provider-health";
import type { ProviderRoute, ResilientProvider } from "../providers/resilience";
import type {
  AttemptUsage,
  ChatRequest,
  FeatureInput,
  ProviderRequest,
  ProviderResult,
} from "../providers/types";
import type { PriceBook } from "./price-book";

const RESULT_SCHEMAS: Record<FeatureType, z.ZodType> = {
  field_extraction: fieldExtractionResultSchema,
  pdf_analysis: pdfAnalysisResultSchema,
  smart_mapping: smartMappingResultSchema,
};

/**
 * An upper bound on the tokens a request adds around the caller's input: the fixed system
 * instructions, the result's JSON schema and message framing (measured at under 4,000 for the
 * largest feature; the margin keeps the bound true as instructions grow).
 */
const PROMPT_OVERHEAD_TOKENS = 8_192;
export const DEFAULT_MAX_OUTPUT_TOKENS = 1_024;

export interface ProcessedResult {
  output: unknown;
  /** Summed over every attempt that consumed tokens (see AIService.bill). */
  usageTokens: ProviderResult["usage"];
  /** The model and provider that answered. */
  model: string;
  provider: string;
  degraded: boolean;
  /** What the provider(s) charged for every attempt, the answer's included. */
  costMicros: bigint;
}

/** What a request's attempts consumed and cost (AIService.bill), as its usage row records it. */
export interface AttemptsCost {
  /** The charged attempts' tokens (all the attempts' when none cost anything). */
  usage: TokenUsage;
  /** The sum of each attempt's exact cost, exact to the micro-dollar. */
  costMicros: bigint;
  /** The provider and model of the last attempt that cost something, or null when none did. */
  charged: { provider: string; model: string } | null;
}

/** What a request's attempts cost, for completing its usage row whatever happened (AIService.billConsumed). */
export interface ConsumedCost extends AttemptsCost {
  /** The provider and model of the last attempt that consumed tokens (null: none did). */
  last: { provider: string; model: string } | null;
  /** Why an attempt could not be priced (then the request is not charged), or null. */
  pricingError: string | null;
}

/**
 * The brief's AI service: processWithPlatformConfig, validateConfiguration, estimateCost and
 * checkServiceHealth. Admission and usage tracking wrap it (processing-service.ts).
 */
export class AIService {
  constructor(
    private readonly provider: ResilientProvider,
    private readonly prices: PriceBook,
    /** The provider requests go to first: its prices are what admission reserves. */
    readonly primaryProvider: string,
  ) {}

  /**
   * Run one feature with the effective configuration; validate the result; price it exactly.
   * The cost and tokens cover every attempt that consumed tokens, not only the one that answered:
   * an upstream answer that could not be used (invalid, or cut at the output budget) was paid for.
   */
  async processWithPlatformConfig(params: {
    effective: EffectiveConfig;
    input: FeatureInput;
    customInstructions: string | null;
    maxOutputTokens: number;
    requestedAt: Date;
    signal: AbortSignal;
    /** The client's preferred provider and whether it may fall back (its processing preferences). */
    route?: ProviderRoute;
    dateFormat?: ProviderRequest["dateFormat"];
    currency?: string | undefined;
    /**
     * Receives what each attempt consumed, the answer's included: when the call throws, the
     * caller bills the failed request with it (billConsumed).
     */
    attempts?: AttemptUsage[];
    /**
     * A queued job rather than a person waiting: while the provider is saturated it ranks below
     * interactive requests of the same priority band (core provider-queue.ts). Default false.
     */
    background?: boolean | undefined;
  }): Promise<ProcessedResult> {
    const attempts = params.attempts ?? [];
    const result = await this.provider.process(
      {
        input: params.input,
        model: params.effective.model,
        customInstructions: params.customInstructions,
        maxOutputTokens: params.maxOutputTokens,
        dateFormat: params.dateFormat,
        currency: params.currency,
        priority: { level: params.effective.priorityLevel, background: params.background ?? false },
      },
      params.signal,
      params.route,
      attempts,
    );
    attempts.push({ provider: result.provider, model: result.model, usage: result.usage });
    const parsed = RESULT_SCHEMAS[params.input.featureType].safeParse(result.output);
    if (!parsed.success)
      throw new AppError("SERVICE_UNAVAILABLE", "The AI provider returned an invalid result");
    const billed = await this.bill(attempts, params.effective.model, params.requestedAt);
    return {
      output: parsed.data,
      usageTokens: billed.usage,
      // The row names who was paid (after a paid unusable answer, the upstream; `degraded` then
      // says the free fallback answered), so its cost is its tokens at its model's price.
      model: billed.charged?.model ?? result.model,
      provider: billed.charged?.provider ?? result.provider,
      degraded: result.degraded,
      costMicros: billed.costMicros,
    };
  }

  /** Whether a platform configuration can serve requests: its tier allows it and its model has a price. */
  async validateConfiguration(config: PlatformConfigRow, tier: SubscriptionTier, at: Date) {
    const errors: Array<{ field: string; message: string }> = [];
    const tierMessage = config.isEnabled ? tierViolation(tier, config.featureType) : null;
    if (tierMessage) errors.push({ field: "isEnabled", message: tierMessage });
    const modelProblem = await this.modelProblem(config.model, at);
    if (modelProblem) errors.push({ field: "model", message: modelProblem });
    return { valid: errors.length === 0, errors };
  }

  /** Why requests could not be priced with this model (null when they can). */
  async modelProblem(model: string, at: Date): Promise<string | null> {
    if (await this.prices.priceAt(this.primaryProvider, this.modelFor(model), at)) return null;
    return `no price is configured for ${this.primaryProvider}/${model}, so requests could not be billed`;
  }

  /**
   * The most this request can cost: input at its token bound, every token uncached, the whole
   * output budget used. Admission reserves it, so concurrent requests can never overspend a cap.
   */
  async estimateCost(params: {
    model: string;
    inputText: string;
    maxOutputTokens: number;
    at: Date;
  }): Promise<bigint> {
    const model = this.modelFor(params.model);
    const price = await this.prices.priceAt(this.primaryProvider, model, params.at);
    if (!price) {
      throw new AppError(
        "PRECONDITION_FAILED",
        `No price is configured for ${this.primaryProvider}/${model}; ask platform staff to add one`,
      );
    }
    return worstCaseCostMicros(
      tokenBound(params.inputText) + PROMPT_OVERHEAD_TOKENS,
      params.maxOutputTokens,
      price,
    );
  }

  /**
   * OpenAI-style chat through the same provider chain, priced exactly: like a processed feature,
   * the usage and cost cover every attempt that consumed tokens. `attempts` receives them (the
   * answer's included), for billing a call that throws (billConsumed).
   */
  async chat(req: ChatRequest, requestedAt: Date, signal: AbortSignal, attempts: AttemptUsage[] = []) {
    const result = await this.provider.chat(req, signal, attempts);
    attempts.push({ provider: result.provider, model: result.model, usage: result.usage });
    const billed = await this.bill(attempts, req.model, requestedAt);
    return {
      ...result,
      usage: billed.usage,
      costMicros: billed.costMicros,
      // Who was paid, as for processWithPlatformConfig: the usage row's provider and model.
      billedModel: billed.charged?.model ?? result.model,
      billedProvider: billed.charged?.provider ?? result.provider,
    };
  }

  /**
   * `failedAttempts` receives what attempts that failed before the stream opened consumed; the
   * stream's own usage is known only at its end, when the caller bills both together.
   */
  chatStream(req: ChatRequest, signal: AbortSignal, failedAttempts: AttemptUsage[] = []) {
    return this.provider.chatStream(req, signal, failedAttempts);
  }

  checkServiceHealth(): ProviderHealth[] {
    return this.provider.health();
  }

  /**
   * The exact cost of a response. Providers may answer with a dated snapshot name
   * ("gpt-4o-mini-2024-07-18"): the undated name, then the model that was asked for, are tried next.
   */
  async priceOf(
    provider: string,
    models: string[],
    usage: ProviderResult["usage"],
    at: Date,
  ): Promise<bigint> {
    return billAttempts([{ usage, price: await this.priceFor(provider, models, at) }]).costMicros;
  }

  /**
   * What a request's attempts cost: each at the price of its own provider and model (see priceOf,
   * with `requestedModel` as the last resort), rounded once to the micro-dollar, then summed (core's
   * billAttempts). Throws PRECONDITION_FAILED when an attempt cannot be priced.
   */
  async bill(attempts: readonly AttemptUsage[], requestedModel: string, at: Date): Promise<AttemptsCost> {
    const priced = await Promise.all(
      attempts.map(async (a) => ({
        usage: a.usage,
        price: await this.priceFor(a.provider, [a.model, requestedModel], at),
      })),
    );
    const { chargedUsage, costMicros, lastCharged } = billAttempts(priced);
    const charged = lastCharged === null ? undefined : attempts[lastCharged];
    return {
      usage: chargedUsage,
      costMicros,
      charged: charged ? { provider: charged.provider, model: charged.model } : null,
    };
  }

  /**
   * bill, for a request that failed (what its attempts consumed before it did: an upstream answer
   * that could not be used, with no fallback allowed or none left) or a stream. Never throws: a
   * usage row must be completed whatever happens. An attempt that cannot be priced leaves the
   * request uncharged (its tokens are still recorded), with the reason for its error message.
   */
  async billConsumed(
    attempts: readonly AttemptUsage[],
    requestedModel: string,
    at: Date,
  ): Promise<ConsumedCost> {
    const final = attempts.at(-1);
    const last = final ? { provider: final.provider, model: final.model } : null;
    try {
      const billed = await this.bill(attempts, requestedModel, at);
      return { ...billed, last: billed.charged ?? last, pricingError: null };
    } catch (err) {
      const sum = (k: keyof TokenUsage) => attempts.reduce((n, a) => n + a.usage[k], 0);
      return {
        // The tokens were consumed all the same: recorded, at no charge.
        usage: {
          inputTokens: sum("inputTokens"),
          outputTokens: sum("outputTokens"),
          cachedInputTokens: sum("cachedInputTokens"),
        },
        costMicros: 0n,
        charged: null,
        last,
        pricingError: err instanceof Error ? err.message : String(err),
      };
    }
  }

  /** The price in force for a provider's answer (see priceOf for the names tried). */
  private async priceFor(provider: string, models: string[], at: Date): Promise<ModelPrice> {
    const candidates = models.flatMap((m) => [m, m.replace(/-\d{4}-\d{2}-\d{2}$/, "")]);
    for (const model of provider === "local" ? ["local-rules"] : candidates) {
      const price = await this.prices.priceAt(provider, model, at);
      if (price) return price;
    }
    // A model the price table does not know cannot be billed: fail loudly, never bill a guess.
    throw new AppError("PRECONDITION_FAILED", `No price is configured for ${provider}/${models[0]}`);
  }

  /** The local engine has one model whatever the config names. */
  private modelFor(configured: string): string {
    return this.primaryProvider === "local" ? "local-rules" : configured;
  }
}
