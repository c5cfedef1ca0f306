/**
 * Latency percentiles, success rates and SLA checks. Percentiles here are exact and use the
 * nearest-rank definition everywhere (the latency sketch uses the same rank), so a p95 computed
 * from raw samples and one read from stored buckets answer the same question.
 */

/**
 * The 1-based nearest rank of quantile `q` among `n` values: ceil(q * n), at least 1.
 * q * n is computed in binary floating point, where 0.07 * 100 is 7.000000000000001; a product
 * within a relative 1e-9 of an integer is taken as that integer, or such a p7 would read rank 8.
 */
export function nearestRank(q: number, n: number): number {
  if (!(q >= 0 && q <= 1)) throw new RangeError(`quantile must be within [0, 1], got ${q}`);
  if (!Number.isSafeInteger(n) || n < 1) throw new RangeError(`need at least one value, got ${n}`);
  const product = q * n;
  const nearest = Math.round(product);
  const rank = Math.abs(product - nearest) <= 1e-9 * Math.max(1, product) ? nearest : Math.ceil(product);
  return Math.min(n, Math.max(1, rank));
}

/** The nearest-rank percentile of ascending `sorted` values (null when there are none). */
export function percentile(sorted: readonly number[], q: number): number | null {
  if (sorted.length === 0) return null;
  for (let i = 1; i < sorted.length; i++) {
    // Unsorted input would give a plausible but wrong answer, so it is refused.
    if (!(sorted[i - 1]! <= sorted[i]!)) throw new RangeError("percentile needs ascending values");
  }
  return sorted[nearestRank(q, sorted.length) - 1]!;
}

export interface LatencySummary {
  count: number;
  minMs: number;
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
  maxMs: number;
  meanMs: number;
}

/** Count, extremes, mean and nearest-rank p50/p95/p99 of latencies in any order (null when none). */
export function summarizeLatencies(latenciesMs: readonly number[]): LatencySummary | null {
  if (latenciesMs.length === 0) return null;
  for (const ms of latenciesMs) {
    if (!Number.isFinite(ms) || ms < 0) throw new RangeError(`latency must be a finite ms >= 0, got ${ms}`);
  }
  const sorted = [...latenciesMs].sort((a, b) => a - b);
  const at = (q: number) => sorted[nearestRank(q, sorted.length) - 1]!;
  return {
    count: sorted.length,
    minMs: sorted[0]!,
    p50Ms: at(0.5),
    p95Ms: at(0.95),
    p99Ms: at(0.99),
    maxMs: sorted[sorted.length - 1]!,
    meanMs: sorted.reduce((s, v) => s + v, 0) / sorted.length,
  };
}

/** successes / total, or null with no requests: an idle endpoint has no rate, not a perfect one. */
export function successRate(successes: number, total: number): number | null {
  if (!Number.isSafeInteger(successes) || !Number.isSafeInteger(total) || successes < 0 || successes > total)
    throw new RangeError(`need integers 0 <= successes <= total, got ${successes} / ${total}`);
  return total === 0 ? null : successes / total;
}

export interface SlaPolicy {
  /** The p95 latency may equal this, not exceed it. */
  p95LimitMs: number;
  /** The success rate may equal this, not fall below it. */
  minSuccessRate: number;
}

export const DEFAULT_SLA: SlaPolicy = { p95LimitMs: 500, minSuccessRate: 0.999 };

export type SlaRule = "p95_latency" | "success_rate";

export interface SlaBreach {
  rule: SlaRule;
  actual: number;
  limit: number;
}

export interface SlaResult {
  compliant: boolean;
  breaches: SlaBreach[];
}

/**
 * Which SLA rules the measurements break. A null measurement (no traffic) breaks nothing: there is
 * no evidence either way. Comparing successRate as a double is exact enough: a rate that truly
 * differs from the limit does so by at least 1 / (total * 1000), far above double precision for
 * any total below 10^12 requests.
 */
export function checkSla(
  measured: { p95Ms: number | null; successRate: number | null },
  policy: SlaPolicy = DEFAULT_SLA,
): SlaResult {
  const breaches: SlaBreach[] = [];
  if (measured.p95Ms !== null && measured.p95Ms > policy.p95LimitMs)
    breaches.push({ rule: "p95_latency", actual: measured.p95Ms, limit: policy.p95LimitMs });
  if (measured.successRate !== null && measured.successRate < policy.minSuccessRate)
    breaches.push({ rule: "success_rate", actual: measured.successRate, limit: policy.minSuccessRate });
  return { compliant: breaches.length === 0, breaches };
}

export interface EndpointSummary {
  endpoint: string;
  p95Ms: number | null;
  requests: number;
  successes: number;
}

export interface EndpointSlaReport {
  endpoints: Array<{ endpoint: string; successRate: number | null } & SlaResult>;
  compliantCount: number;
  breachedCount: number;
  /** Share of endpoints meeting the SLA; null when there are none. */
  complianceRatio: number | null;
}

/** The SLA verdict for each endpoint, in the order given, and the share that comply. */
export function endpointSlaCompliance(
  summaries: readonly EndpointSummary[],
  policy: SlaPolicy = DEFAULT_SLA,
): EndpointSlaReport {
  const endpoints = summaries.map((s) => {
    const rate = successRate(s.successes, s.requests);
    return {
      endpoint: s.endpoint,
      successRate: rate,
      ...checkSla({ p95Ms: s.p95Ms, successRate: rate }, policy),
    };
  });
  const compliantCount = endpoints.filter((e) => e.compliant).length;
  return {
    endpoints,
    compliantCount,
    breachedCount: endpoints.length - compliantCount,
    complianceRatio: endpoints.length === 0 ? null : compliantCount / endpoints.length,
  };
}
