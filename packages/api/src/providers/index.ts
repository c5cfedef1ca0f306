import { LocalRulesProvider } from "./local/local-provider";
import { OpenAICompatibleProvider } from "./openai-provider";
import {
  DEFAULT_LOCAL_CONCURRENCY,
  DEFAULT_PROVIDER_CONCURRENCY,
  DEFAULT_QUEUE_MAX_WAIT_MS,
  type GateObserver,
  ProviderGate,
} from "./provider-gate";
import { createResilientProvider } from "./resilience";
import type { AIProvider } from "./types";

export interface ProviderOptions {
  /** An OpenAI-compatible endpoint; without it the local rules engine serves every request. */
  openai?: { apiKey: string; baseURL?: string | undefined } | undefined;
  timeoutMs?: number;
  retry?: { maxAttempts: number; initialDelayMs: number; maxDelayMs: number };
  breaker?: { failureThreshold: number; halfOpenAfterMs: number };
  /**
   * Concurrent calls per provider (AI_PROVIDER_CONCURRENCY, AI_LOCAL_CONCURRENCY) and how long a
   * call waits for one before it is refused (AI_QUEUE_MAX_WAIT_MS). Defaults in provider-gate.ts.
   */
  concurrency?: { openai?: number | undefined; local?: number | undefined } | undefined;
  queueMaxWaitMs?: number | undefined;
}

/**
 * The provider chain: the OpenAI-compatible endpoint when configured, with the local rules engine
 * as its fallback; the local engine alone otherwise. Each behind a bound on its concurrent calls
 * (a priority queue when full), a timeout, retries and a breaker.
 */
export function createProviderChain(opts: ProviderOptions, observer?: GateObserver) {
  const local = new LocalRulesProvider();
  const timeoutMs = opts.timeoutMs ?? 30_000;
  const providers: AIProvider[] = opts.openai
    ? [
        new OpenAICompatibleProvider({ apiKey: opts.openai.apiKey, baseURL: opts.openai.baseURL, timeoutMs }),
        local,
      ]
    : [local];
  const maxWaitMs = opts.queueMaxWaitMs ?? DEFAULT_QUEUE_MAX_WAIT_MS;
  const limits: Record<string, number> = {
    openai: opts.concurrency?.openai ?? DEFAULT_PROVIDER_CONCURRENCY,
    local: opts.concurrency?.local ?? DEFAULT_LOCAL_CONCURRENCY,
  };
  const gates = Object.fromEntries(
    providers.map((p) => [
      p.name,
      new ProviderGate({
        provider: p.name,
        concurrency: limits[p.name] ?? DEFAULT_PROVIDER_CONCURRENCY,
        maxWaitMs,
        observer,
      }),
    ]),
  );
  return {
    primary: providers[0]!.name,
    provider: createResilientProvider({
      providers,
      timeoutMs,
      retry: opts.retry ?? { maxAttempts: 3, initialDelayMs: 200, maxDelayMs: 5_000 },
      breaker: opts.breaker ?? { failureThreshold: 5, halfOpenAfterMs: 30_000 },
      gates,
    }),
  };
}
