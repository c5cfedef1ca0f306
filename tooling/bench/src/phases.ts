/**
 * Optional timing of the platform's request phases (BENCH_PHASES=1), done from the outside: the
 * service methods the /v1/chat/completions handler goes through are wrapped on the running
 * server's service instances (nothing in packages/api changes). Wall time per call, so run it at
 * c=1 to read it as "where one request's time goes"; under load it includes event-loop queueing.
 */
import type { RunningServer } from "@wedsync/api/server";

type Services = RunningServer["services"];

export interface PhaseStat {
  phase: string;
  calls: number;
  totalMs: number;
}

type AnyFn = (...args: unknown[]) => Promise<unknown>;

/** [phase, owner, method]: the handler's steps, in order. */
function steps(s: Services): Array<[string, object, string]> {
  return [
    ["auth.resolveApiKey (PostgreSQL)", s.auth, "resolveApiKey"],
    ["processing.admit, all of it", s.processing, "admit"],
    ["  tracker.checkRateLimit (Upstash REST -> Redis)", s.tracker, "checkRateLimit"],
    ["  ai.estimateCost", s.ai, "estimateCost"],
    ["  tracker.logRequest (wedsync_admit, PostgreSQL)", s.tracker, "logRequest"],
    ["ai.chat (OpenAI SDK -> fake upstream, pricing)", s.ai, "chat"],
    ["  prices.priceAt", s.prices, "priceAt"],
    ["processing.complete (usage row, group commit)", s.processing, "complete"],
  ];
}

export function instrument(services: Services): () => PhaseStat[] {
  const stats: PhaseStat[] = [];
  for (const [phase, owner, method] of steps(services)) {
    const target = owner as Record<string, AnyFn>;
    const original = target[method];
    if (typeof original !== "function") continue;
    const stat: PhaseStat = { phase, calls: 0, totalMs: 0 };
    stats.push(stat);
    target[method] = async function timed(this: unknown, ...args: unknown[]) {
      const t0 = performance.now();
      try {
        return await original.apply(owner, args);
      } finally {
        stat.calls++;
        stat.totalMs += performance.now() - t0;
      }
    };
  }
  return () => stats.map((s) => ({ ...s }));
}
