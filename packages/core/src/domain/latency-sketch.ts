/**
 * A mergeable latency histogram with fixed logarithmic buckets (the DDSketch mapping), small
 * enough to keep in PostgreSQL as one integer array per rollup row and increment in place.
 *
 * Bucket k holds latencies in (gamma^(k-1), gamma^k] ms with gamma = (1 + a) / (1 - a), a = 0.02.
 * Reporting a bucket as 2 * gamma^k / (gamma + 1) is then within a relative 2% of every latency
 * in it, so any percentile read from the buckets is within 2% of the exact nearest-rank
 * percentile of the samples (stats.ts): buckets preserve order, so the rank-th sample lies in the
 * bucket where the running count reaches the rank.
 *
 * Range: 0.01 ms (below timer resolution for a request) to 10 minutes (longer than any request
 * may run). Below the floor a latency counts in bucket 0, reported as 0 ms; above the ceiling it
 * counts in the last bucket, as if it took 10 minutes. 450 buckets in all.
 *
 * Storage: index i of the TS array is PostgreSQL's buckets[i + 1] (SQL arrays start at 1).
 * Create the array full-size, array_fill(0, array[LATENCY_BUCKET_COUNT]): assigning into an
 * empty SQL array makes one with that subscript as its lower bound, which drivers misread.
 * These constants are a storage format: changing any of them invalidates stored buckets.
 */

import { nearestRank } from "./stats";

export const LATENCY_RELATIVE_ACCURACY = 0.02;
export const LATENCY_MIN_MS = 0.01;
export const LATENCY_MAX_MS = 600_000;

const GAMMA = (1 + LATENCY_RELATIVE_ACCURACY) / (1 - LATENCY_RELATIVE_ACCURACY);
const LOG_GAMMA = Math.log(GAMMA);
const key = (ms: number) => Math.ceil(Math.log(ms) / LOG_GAMMA);
const FIRST_KEY = key(LATENCY_MIN_MS);
const LAST_KEY = key(LATENCY_MAX_MS);

/** Bucket 0 for latencies below the floor, then one per logarithmic bucket up to the ceiling. */
export const LATENCY_BUCKET_COUNT = LAST_KEY - FIRST_KEY + 2;

/** Sparse (index -> count, e.g. from jsonb) or dense (a PostgreSQL integer array). */
export type LatencyBuckets = readonly number[] | Readonly<Record<number, number>>;

/** The 0-based bucket of a latency in milliseconds. */
export function latencyBucketIndex(ms: number): number {
  if (!Number.isFinite(ms) || ms < 0) throw new RangeError(`latency must be a finite ms >= 0, got ${ms}`);
  if (ms < LATENCY_MIN_MS) return 0;
  return key(Math.min(ms, LATENCY_MAX_MS)) - FIRST_KEY + 1;
}

/** The latency a bucket stands for: within 2% of every latency it holds (0 for bucket 0). */
export function bucketRepresentativeMs(index: number): number {
  assertIndex(index);
  if (index === 0) return 0;
  return (2 * GAMMA ** (index + FIRST_KEY - 1)) / (GAMMA + 1);
}

/** Dense counts from latencies: what incrementing one bucket per completed request builds up. */
export function bucketsFromLatencies(latenciesMs: Iterable<number>): number[] {
  const counts = new Array<number>(LATENCY_BUCKET_COUNT).fill(0);
  for (const ms of latenciesMs) counts[latencyBucketIndex(ms)]! += 1;
  return counts;
}

/** Element-wise sum: the buckets of the union of both sets of requests. */
export function mergeBuckets(a: LatencyBuckets, b: LatencyBuckets): number[] {
  const sum = dense(a);
  dense(b).forEach((c, i) => {
    sum[i]! += c;
  });
  return sum;
}

/** The nearest-rank `q` percentile, within 2% of the exact one (null when no requests). */
export function percentileFromBuckets(counts: LatencyBuckets, q: number): number | null {
  const d = dense(counts);
  const total = d.reduce((s, c) => s + c, 0);
  if (total === 0) return null;
  const rank = nearestRank(q, total);
  let seen = 0;
  for (let i = 0; i < d.length; i++) {
    seen += d[i]!;
    if (seen >= rank) return bucketRepresentativeMs(i);
  }
  throw new Error("unreachable: the rank is at most the total");
}

function assertIndex(index: number) {
  if (!Number.isSafeInteger(index) || index < 0 || index >= LATENCY_BUCKET_COUNT)
    throw new RangeError(`bucket index must be an integer in [0, ${LATENCY_BUCKET_COUNT}), got ${index}`);
}

function dense(counts: LatencyBuckets): number[] {
  const out = new Array<number>(LATENCY_BUCKET_COUNT).fill(0);
  const entries: Array<[number, unknown]> = Array.isArray(counts)
    ? (counts as readonly number[]).map((c, i) => [i, c])
    : Object.entries(counts).map(([k, c]) => [Number(k), c]);
  for (const [i, c] of entries) {
    assertIndex(i);
    // SQL NULLs appear where a dense array was never written: they count nothing.
    if (c === null || c === undefined) continue;
    if (typeof c !== "number" || !Number.isSafeInteger(c) || c < 0)
      throw new RangeError(`bucket ${i} must hold a count >= 0, got ${String(c)}`);
    out[i]! += c;
  }
  return out;
}
