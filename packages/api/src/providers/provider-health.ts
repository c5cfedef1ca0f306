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
  /** The last failures (at most RECENT_FAILURES_KEPT), newest first: when, and the error. */
  recentFailures: ProviderFailure[];
}

export interface ProviderFailure {
  at: Date;
  message: string;
}

/** How many failures each provider remembers for the staff console. */
export const RECENT_FAILURES_KEPT = 10;

/** A fixed-size ring of a provider's last failures: recording one never allocates more room. */
export class FailureLog {
  private readonly ring: Array<ProviderFailure | undefined>;
  private next = 0;

  constructor(readonly capacity = RECENT_FAILURES_KEPT) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError("capacity must be an integer ≥ 1");
    this.ring = new Array(capacity);
  }

  record(failure: ProviderFailure): void {
    this.ring[this.next] = failure;
    this.next = (this.next + 1) % this.capacity;
  }

  /** Newest first (copies: callers cannot change what is kept). */
  list(): ProviderFailure[] {
    const out: ProviderFailure[] = [];
    for (let i = 1; i <= this.capacity; i++) {
      const f = this.ring[(this.next - i + this.capacity) % this.capacity];
      if (f) out.push({ at: new Date(f.at), message: f.message });
    }
    return out;
  }
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
