import {
  AppError,
  costMicros,
  type EffectiveConfig,
  type FeatureType,
  fieldExtractionResultSchema,
  type PlatformConfigRow,
  pdfAnalysisResultSchema,
  type SubscriptionTier,
  smartMappingResultSchema,
  tierViolation,
  tokenBound,
  worstCaseCostMicros,
} from "@wedsync/core";
import type { z } from "zod";
import type { ProviderHealth } from "../providers/provider-health";
import type { ProviderRoute, ResilientProvider } from "../providers/resilience";
import type { ChatRequest, FeatureInput, ProviderRequest, ProviderResult } from "../providers/types";
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
  usageTokens: ProviderResult["usage"];
  model: string;
  provider: string;
  degraded: boolean;
  costMicros: bigint;
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

  /** Run one feature with the effective configuration; validate the result; price it exactly. */
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
  }): Promise<ProcessedResult> {
    const result = await this.provider.process(
      {
        input: params.input,
        model: params.effective.model,
        customInstructions: params.customInstructions,
        maxOutputTokens: params.maxOutputTokens,
        dateFormat: params.dateFormat,
        currency: params.currency,
      },
      params.signal,
      params.route,
    );
    const parsed = RESULT_SCHEMAS[params.input.featureType].safeParse(result.output);
    if (!parsed.success)
      throw new AppError("SERVICE_UNAVAILABLE", "The AI provider returned an invalid result");
    return {
      output: parsed.data,
      usageTokens: result.usage,
      model: result.model,
      provider: result.provider,
      degraded: result.degraded,
      costMicros: await this.priceOf(
        result.provider,
        [result.model, params.effective.model],
        result.usage,
        params.requestedAt,
      ),
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

  /** OpenAI-style chat through the same provider chain, priced exactly. */
  async chat(req: ChatRequest, requestedAt: Date, signal: AbortSignal) {
    const result = await this.provider.chat(req, signal);
    return {
      ...result,
      costMicros: await this.priceOf(result.provider, [result.model, req.model], result.usage, requestedAt),
    };
  }

  chatStream(req: ChatRequest, signal: AbortSignal) {
    return this.provider.chatStream(req, signal);
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
    const candidates = models.flatMap((m) => [m, m.replace(/-\d{4}-\d{2}-\d{2}$/, "")]);
    for (const model of provider === "local" ? ["local-rules"] : candidates) {
      const price = await this.prices.priceAt(provider, model, at);
      if (price) return costMicros(usage, price);
    }
    // A model the price table does not know cannot be billed: fail loudly, never bill a guess.
    throw new AppError("PRECONDITION_FAILED", `No price is configured for ${provider}/${models[0]}`);
  }

  /** The local engine has one model whatever the config names. */
  private modelFor(configured: string): string {
    return this.primaryProvider === "local" ? "local-rules" : configured;
  }
}
