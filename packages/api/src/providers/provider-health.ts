export type CircuitStateName = "closed" | "open" | "half-open";

/** One provider of a resilient chain, as health checks and the staff console see it. */
export interface ProviderHealth {
  name: string;
  /** The first provider of the chain is the primary; the others are fallbacks. */
  role: "primary" | "fallback";
  circuit: CircuitStateName;
  /** Calls in a row that failed for the provider's own reasons (what trips the breaker). */
  consecutiveFailures: number;
  /** When the circuit last opened (null when it never did). */
  openedAt: Date | null;
  lastErrorMessage: string | null;
  lastErrorAt: Date | null;
  /** Calls the breaker let through (one call may make several attempts). */
  totalCalls: number;
  /** Calls that failed for the provider's own reasons (after their retries), plus streams that broke after opening. */
  totalFailures: number;
  /** Upstream attempts, retries included. */
  totalAttempts: number;
  /** Calls skipped because the circuit was open (or a half-open trial was in flight). */
  shortCircuited: number;
}

function ago(at: Date, now: Date): string {
  const s = Math.max(0, Math.round((now.getTime() - at.getTime()) / 1000));
  if (s < 120) return `${s}s ago`;
  if (s < 7_200) return `${Math.round(s / 60)}m ago`;
  return `${Math.round(s / 3_600)}h ago`;
}

/** One line per provider, e.g. "openai (primary): open, 5 consecutive failures, last error 3s ago: upstream error (500); calls 40, failures 7, attempts 52, short-circuited 3". */
export function formatProviderHealth(health: readonly ProviderHealth[], now: Date = new Date()): string {
  return health
    .map((h) => {
      const parts = [`${h.name} (${h.role}): ${h.circuit}`];
      if (h.consecutiveFailures > 0) {
        parts.push(`${h.consecutiveFailures} consecutive failure${h.consecutiveFailures === 1 ? "" : "s"}`);
      }
      if (h.lastErrorMessage !== null && h.lastErrorAt !== null) {
        parts.push(`last error ${ago(h.lastErrorAt, now)}: ${h.lastErrorMessage}`);
      }
      return `${parts.join(", ")}; calls ${h.totalCalls}, failures ${h.totalFailures}, attempts ${h.totalAttempts}, short-circuited ${h.shortCircuited}`;
    })
    .join("\n");
}

/** The chain can serve requests when some provider's circuit is not open. */
export function isServiceAvailable(health: readonly ProviderHealth[]): boolean {
  return health.some((h) => h.circuit !== "open");
}
