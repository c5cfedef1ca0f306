import { AppError, type EffectiveConfig, type ModelPrice } from "@wedsync/core";
import { describe, expect, it } from "vitest";
import type { ResilientProvider } from "../providers/resilience";
import type { AttemptUsage, ChatRequest, ProviderRequest, ProviderResult } from "../providers/types";
import { AIService } from "./ai-service";
import type { PriceBook } from "./price-book";

const FROM = new Date("2025-01-01T00:00:00Z");
const PRICES: ModelPrice[] = [
  {
    provider: "openai",
    model: "gpt-4o-mini",
    inputPerMillion: "0.150000",
    cachedInputPerMillion: "0.075000",
    outputPerMillion: "0.600000",
    effectiveFrom: FROM,
  },
  {
    provider: "openai",
    model: "gpt-4o",
    inputPerMillion: "2.500000",
    cachedInputPerMillion: "1.250000",
    outputPerMillion: "10.000000",
    effectiveFrom: FROM,
  },
  {
    provider: "local",
    model: "local-rules",
    inputPerMillion: "0.000000",
    cachedInputPerMillion: "0.000000",
    outputPerMillion: "0.000000",
    effectiveFrom: FROM,
  },
];
const prices = {
  priceAt: async (provider: string, model: string) =>
    PRICES.find((p) => p.provider === provider && p.model === model) ?? null,
} as unknown as PriceBook;

const EMPTY_FIELDS = {
  fields: {
    coupleNames: null,
    weddingDate: null,
    ceremonyVenue: null,
    receptionVenue: null,
    guestCount: null,
    email: null,
    phone: null,
    budget: null,
    ceremonyTime: null,
    theme: null,
  },
};

const upstream = (inputTokens: number, outputTokens: number, model = "gpt-4o-mini"): AttemptUsage => ({
  provider: "openai",
  model,
  usage: { inputTokens, outputTokens, cachedInputTokens: 0 },
});
const localAnswer: ProviderResult = {
  output: EMPTY_FIELDS,
  usage: { inputTokens: 30, outputTokens: 70, cachedInputTokens: 0 },
  model: "local-rules",
  provider: "local",
};

/** A provider chain whose failed attempts and answer are given: it reports them as the real one does. */
function chain(
  failed: AttemptUsage[],
  answer: (ProviderResult & { degraded: boolean }) | Error,
): ResilientProvider {
  const run = async <T>(into: AttemptUsage[] | undefined, value: () => T): Promise<T> => {
    into?.push(...failed);
    if (answer instanceof Error) throw answer;
    return value();
  };
  const ok = () => answer as ProviderResult & { degraded: boolean };
  return {
    name: "test",
    process: (_r: ProviderRequest, _s: AbortSignal, _route, into) => run(into, ok),
    chat: (_r: ChatRequest, _s: AbortSignal, into) =>
      run(into, () => ({ ...ok(), content: "hi", finishReason: "stop" as const })),
    chatStream: () => Promise.reject(new Error("not used")),
    health: () => [],
    queues: () => [],
  };
}

const effective = { model: "gpt-4o-mini" } as EffectiveConfig;
const process = (ai: AIService, attempts: AttemptUsage[] = []) =>
  ai.processWithPlatformConfig({
    effective,
    input: { featureType: "field_extraction", text: "Emma & Liam" },
    customInstructions: null,
    maxOutputTokens: 1_024,
    requestedAt: new Date("2026-01-01T00:00:00Z"),
    signal: new AbortController().signal,
    attempts,
  });

describe("AIService bills every attempt that consumed tokens", () => {
  it("a paid upstream answer that could not be used, then the free local engine: the upstream's price", async () => {
    const ai = new AIService(
      chain([upstream(1_000, 500)], { ...localAnswer, degraded: true }),
      prices,
      "openai",
    );
    const result = await process(ai);
    // 1,000 x 0.15 + 500 x 0.60 = 450 micro-dollars; the local engine adds nothing. The row names
    // the paid upstream and its tokens (recomputable from the price table); `degraded` says who answered.
    expect(result).toMatchObject({
      provider: "openai",
      model: "gpt-4o-mini",
      degraded: true,
      costMicros: 450n,
    });
    expect(result.usageTokens).toEqual({ inputTokens: 1_000, outputTokens: 500, cachedInputTokens: 0 });
  });

  it("a paid failure, then a retry that answers on the upstream: both, each rounded once", async () => {
    const answer = { ...localAnswer, ...upstream(3, 0), output: EMPTY_FIELDS, degraded: false };
    const ai = new AIService(chain([upstream(3, 0)], answer), prices, "openai");
    // 3 tokens = 0.45 micro-dollars, 0 each: the sum of the attempts' costs, never the pooled 6 tokens (1).
    expect((await process(ai)).costMicros).toBe(0n);
    const big = new AIService(
      chain([upstream(1_000, 100, "gpt-4o")], { ...answer, ...upstream(1_000, 100) }),
      prices,
      "openai",
    );
    // Each at its own model's price: 3,500 (gpt-4o) + 210 (gpt-4o-mini).
    expect((await process(big)).costMicros).toBe(3_710n);
  });

  it("a call that fails: the attempts are handed back, and billConsumed prices them", async () => {
    const err = new Error("no fallback");
    const ai = new AIService(chain([upstream(1_000, 500)], err), prices, "openai");
    const attempts: AttemptUsage[] = [];
    await expect(process(ai, attempts)).rejects.toBe(err);
    expect(await ai.billConsumed(attempts, "gpt-4o-mini", FROM)).toEqual({
      usage: { inputTokens: 1_000, outputTokens: 500, cachedInputTokens: 0 },
      costMicros: 450n,
      charged: { provider: "openai", model: "gpt-4o-mini" },
      last: { provider: "openai", model: "gpt-4o-mini" },
      pricingError: null,
    });
    expect(await ai.billConsumed([], "gpt-4o-mini", FROM)).toMatchObject({ costMicros: 0n, last: null });
  });

  it("a result the pipeline rejects was still paid for", async () => {
    const bad = { ...localAnswer, ...upstream(1_000, 500), output: { nope: true }, degraded: false };
    const ai = new AIService(
      chain([], bad as unknown as ProviderResult & { degraded: boolean }),
      prices,
      "openai",
    );
    const attempts: AttemptUsage[] = [];
    await expect(process(ai, attempts)).rejects.toBeInstanceOf(AppError);
    expect((await ai.billConsumed(attempts, "gpt-4o-mini", FROM)).costMicros).toBe(450n);
  });

  it("an attempt without a price: billConsumed charges nothing, keeps the tokens and says why", async () => {
    const ai = new AIService(chain([], new Error("x")), prices, "openai");
    const bill = await ai.billConsumed([upstream(10, 10, "mystery")], "mystery", FROM);
    expect(bill).toMatchObject({ costMicros: 0n, usage: { inputTokens: 10, outputTokens: 10 } });
    expect(bill.pricingError).toContain("openai/mystery");
  });

  it("chat (/v1) bills the same way", async () => {
    const ai = new AIService(
      chain([upstream(1_000, 500)], { ...localAnswer, degraded: true }),
      prices,
      "openai",
    );
    const res = await ai.chat(
      {
        messages: [{ role: "user", content: "hi" }],
        model: "gpt-4o-mini",
        maxOutputTokens: 64,
        featureType: "field_extraction",
      },
      FROM,
      new AbortController().signal,
    );
    // The answer is the local engine's; the row is the paid upstream's.
    expect(res).toMatchObject({
      provider: "local",
      billedProvider: "openai",
      billedModel: "gpt-4o-mini",
      degraded: true,
      costMicros: 450n,
    });
    expect(res.usage).toEqual({ inputTokens: 1_000, outputTokens: 500, cachedInputTokens: 0 });
  });
});
