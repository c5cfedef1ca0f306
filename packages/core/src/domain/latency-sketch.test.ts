import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  bucketRepresentativeMs,
  bucketsFromLatencies,
  LATENCY_BUCKET_COUNT,
  LATENCY_MAX_MS,
  LATENCY_MIN_MS,
  latencyBucketIndex,
  mergeBuckets,
  percentileFromBuckets,
} from "./latency-sketch";
import { percentile } from "./stats";

/** 2%, plus room for the last bits of Math.log and ** at bucket edges. */
const TOLERANCE = 0.02 * (1 + 1e-9);

/** Latencies as requests produce them: whole ms often, sub-ms and zero sometimes, log-spread up to 10 minutes. */
const latencyArb = fc.oneof(
  fc.constant(0),
  fc.double({ min: 0, max: LATENCY_MIN_MS, noNaN: true }),
  fc.integer({ min: 0, max: 2_000 }),
  fc.double({ min: Math.log(LATENCY_MIN_MS), max: Math.log(LATENCY_MAX_MS), noNaN: true }).map(Math.exp),
);

describe("latencyBucketIndex", () => {
  it("puts zero and anything below the floor in bucket 0", () => {
    expect(latencyBucketIndex(0)).toBe(0);
    expect(latencyBucketIndex(0.009)).toBe(0);
    expect(latencyBucketIndex(LATENCY_MIN_MS)).toBe(1);
    expect(bucketRepresentativeMs(0)).toBe(0);
  });

  it("has a fixed layout (a storage format: these numbers must not change)", () => {
    expect(LATENCY_BUCKET_COUNT).toBe(450);
    expect(latencyBucketIndex(1)).toBe(116);
    // ceil(ln 500 / ln(1.02 / 0.98)) = 156; keys start at -115 (0.01 ms), after bucket 0.
    expect(latencyBucketIndex(500)).toBe(156 + 115 + 1);
    expect(latencyBucketIndex(LATENCY_MAX_MS)).toBe(LATENCY_BUCKET_COUNT - 1);
  });

  it("caps at 10 minutes: longer requests count in the last bucket", () => {
    expect(latencyBucketIndex(3_600_000)).toBe(LATENCY_BUCKET_COUNT - 1);
    expect(bucketRepresentativeMs(LATENCY_BUCKET_COUNT - 1)).toBeCloseTo(LATENCY_MAX_MS, -4);
  });

  it("refuses what is not a latency", () => {
    for (const bad of [-1, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(() => latencyBucketIndex(bad)).toThrow(RangeError);
    }
    expect(() => bucketRepresentativeMs(LATENCY_BUCKET_COUNT)).toThrow(RangeError);
    expect(() => bucketRepresentativeMs(1.5)).toThrow(RangeError);
  });

  it("represents every latency in range within 2% (property)", () => {
    fc.assert(
      fc.property(latencyArb, (ms) => {
        const rep = bucketRepresentativeMs(latencyBucketIndex(ms));
        if (ms < LATENCY_MIN_MS) expect(rep).toBe(0);
        else expect(Math.abs(rep - ms)).toBeLessThanOrEqual(TOLERANCE * ms);
      }),
    );
  });

  it("preserves order (property): the reason percentiles survive bucketing", () => {
    fc.assert(
      fc.property(latencyArb, latencyArb, (a, b) => {
        const [lo, hi] = a <= b ? [a, b] : [b, a];
        expect(latencyBucketIndex(lo)).toBeLessThanOrEqual(latencyBucketIndex(hi));
      }),
    );
  });
});

describe("percentileFromBuckets", () => {
  it("reads percentiles from dense and sparse counts alike", () => {
    const dense = bucketsFromLatencies([100, 100, 100, 900]);
    const sparse = { [latencyBucketIndex(100)]: 3, [latencyBucketIndex(900)]: 1 };
    for (const counts of [dense, sparse]) {
      expect(percentileFromBuckets(counts, 0.75)).toBeCloseTo(100, -1);
      expect(percentileFromBuckets(counts, 0.76)).toBeCloseTo(900, -2);
    }
  });

  it("treats SQL NULLs as empty buckets and refuses corrupt counts", () => {
    const withNulls = [null, 2, null] as unknown as number[];
    expect(percentileFromBuckets(withNulls, 0.5)).toBe(bucketRepresentativeMs(1));
    expect(() => percentileFromBuckets([1, -1], 0.5)).toThrow(RangeError);
    expect(() => percentileFromBuckets({ 9999: 1 }, 0.5)).toThrow(RangeError);
    expect(() => percentileFromBuckets(new Array(LATENCY_BUCKET_COUNT + 1).fill(0), 0.5)).toThrow(RangeError);
  });

  it("has no percentile without requests", () => {
    expect(percentileFromBuckets([], 0.95)).toBeNull();
    expect(percentileFromBuckets({}, 0.5)).toBeNull();
  });

  it("is within 2% of the exact nearest-rank percentile (property)", () => {
    fc.assert(
      fc.property(
        fc.array(latencyArb, { minLength: 1, maxLength: 300 }),
        fc.oneof(fc.constantFrom(0, 0.5, 0.95, 0.99, 1), fc.double({ min: 0, max: 1, noNaN: true })),
        (samples, q) => {
          const exact = percentile(
            [...samples].sort((a, b) => a - b),
            q,
          )!;
          const approx = percentileFromBuckets(bucketsFromLatencies(samples), q)!;
          if (exact < LATENCY_MIN_MS) expect(approx).toBe(0);
          else expect(Math.abs(approx - exact)).toBeLessThanOrEqual(TOLERANCE * exact);
        },
      ),
      { numRuns: 500 },
    );
  });
});

describe("mergeBuckets", () => {
  it("merging is the sketch of all the requests together (property)", () => {
    fc.assert(
      fc.property(fc.array(latencyArb), fc.array(latencyArb), (a, b) => {
        const merged = mergeBuckets(bucketsFromLatencies(a), bucketsFromLatencies(b));
        expect(merged).toEqual(bucketsFromLatencies([...a, ...b]));
        expect(mergeBuckets(bucketsFromLatencies(b), bucketsFromLatencies(a))).toEqual(merged);
      }),
    );
  });

  it("accepts a short dense array and a sparse record", () => {
    const merged = mergeBuckets([0, 2], { 1: 3, 449: 1 });
    expect(merged).toHaveLength(LATENCY_BUCKET_COUNT);
    expect([merged[0], merged[1], merged[449]]).toEqual([0, 5, 1]);
  });
});
