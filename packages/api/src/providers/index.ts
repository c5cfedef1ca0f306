import { LocalRulesProvider } from "./local/local-provider";
import { OpenAICompatibleProvider } from "./openai-provider";
import { createResilientProvider } from "./resilience";
import type { AIProvider } from "./types";

export interface ProviderOptions {
  /** An OpenAI-compatible endpoint; without it the local rules engine serves every request. */
  openai?: { apiKey: string; baseURL?: string | undefined } | undefined;
  timeoutMs?: number;
  retry?: { maxAttempts: number; initialDelayMs: number; maxDelayMs: number };
  breaker?: { failureThreshold: number; halfOpenAfterMs: number };
}

/**
 * The provider chain: the OpenAI-compatible endpoint when configured, with the local rules engine
 * as its fallback; the local engine alone otherwise. Each behind a timeout, retries and a breaker.
 */
export function createProviderChain(opts: ProviderOptions) {
  const local = new LocalRulesProvider();
  const timeoutMs = opts.timeoutMs ?? 30_000;
  const providers: AIProvider[] = opts.openai
    ? [
        new OpenAICompatibleProvider({ apiKey: opts.openai.apiKey, baseURL: opts.openai.baseURL, timeoutMs }),
        local,
      ]
    : [local];
  return {
    primary: providers[0]!.name,
    provider: createResilientProvider({
      providers,
      timeoutMs,
      retry: opts.retry ?? { maxAttempts: 3, initialDelayMs: 200, maxDelayMs: 5_000 },
      breaker: opts.breaker ?? { failureThreshold: 5, halfOpenAfterMs: 30_000 },
    }),
  };
}
