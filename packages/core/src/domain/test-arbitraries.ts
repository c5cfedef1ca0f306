/**
 * fast-check arbitraries and small oracles shared by the domain tests. Test-only: not exported from
 * index.ts. The money helpers here are deliberately independent of money.ts so that tests can use
 * them as an oracle for it.
 */
import fc from "fast-check";
import { FEATURE_TYPES } from "./codes";
import type { ClientOverride, PlatformLimits } from "./config-types";
import { LIMIT_BOUNDS } from "./limits";

/** 99999999.99, the numeric(10,2) ceiling, in cents. */
export const MAX_CENTS = 9_999_999_999;

/** Integer cents -> decimal string with exactly 2 places: 5 -> "0.05", -1230 -> "-12.30". */
export function centsToDollars(cents: number): string {
  if (!Number.isSafeInteger(cents)) throw new RangeError(`not integer cents: ${cents}`);
  const abs = Math.abs(cents);
  const s = `${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, "0")}`;
  return cents < 0 ? `-${s}` : s;
}

/** Exact inverse of centsToDollars; only accepts strings with exactly 2 decimal places. */
export function dollarsToCents(amount: string): number {
  if (!/^-?\d+\.\d{2}$/.test(amount)) throw new RangeError(`not a 2-place amount: ${amount}`);
  return Number(amount.replace(".", ""));
}

export const featureTypeArb = fc.constantFrom(...FEATURE_TYPES);

/** Small values often (so equalities and zeros happen), anything up to `max` otherwise. */
const countArb = (max: number) => fc.oneof(fc.integer({ min: 0, max: 10 }), fc.integer({ min: 0, max }));
const centsArb = fc.oneof(fc.integer({ min: 0, max: 1_000 }), fc.integer({ min: 0, max: MAX_CENTS }));
const negativeArb = fc.integer({ min: -1_000_000, max: -1 });

export const platformLimitsArb: fc.Arbitrary<PlatformLimits> = fc.record({
  featureType: featureTypeArb,
  isEnabled: fc.boolean(),
  maxRequestsPerDay: countArb(LIMIT_BOUNDS.maxRequestsPerDay),
  maxCostPerDay: centsArb.map(centsToDollars),
  rateLimitPerMinute: countArb(LIMIT_BOUNDS.rateLimitPerMinute),
  priorityLevel: fc.integer({ min: 1, max: LIMIT_BOUNDS.priorityLevel }),
  model: fc.constantFrom("gpt-4o", "gpt-4o-mini", "local/llama3:8b"),
});

export interface OverrideOptions {
  /** Also generate negative numeric values and negative amounts. */
  allowNegative?: boolean;
}

/** An override generated without reference to any platform. */
export function clientOverrideArb(opts: OverrideOptions = {}): fc.Arbitrary<ClientOverride> {
  const num = (max: number) => (opts.allowNegative ? fc.oneof(countArb(max), negativeArb) : countArb(max));
  const cents = opts.allowNegative ? fc.oneof(centsArb, negativeArb) : centsArb;
  return fc.record({
    isEnabled: fc.option(fc.boolean(), { nil: null }),
    maxRequestsPerDay: fc.option(num(LIMIT_BOUNDS.maxRequestsPerDay), { nil: null }),
    maxCostPerDay: fc.option(cents.map(centsToDollars), { nil: null }),
    rateLimitPerMinute: fc.option(num(LIMIT_BOUNDS.rateLimitPerMinute), { nil: null }),
  });
}

export interface NearOptions extends OverrideOptions {
  /** Only generate overrides that respect the platform (none above, no negatives, no enabling a disabled feature). */
  within?: boolean;
}

/** A value positioned relative to `limit`: null, equal, at or below, above, or negative. */
function nearArb(limit: number, opts: NearOptions): fc.Arbitrary<number | null> {
  const choices: fc.Arbitrary<number | null>[] = [
    fc.constant(null),
    fc.constant(limit),
    fc.integer({ min: 0, max: limit }),
  ];
  if (!opts.within) choices.push(fc.integer({ min: limit + 1, max: limit + 1_000_000 }));
  if (opts.allowNegative && !opts.within) choices.push(negativeArb);
  return fc.oneof(...choices);
}

/** An override built around `platform`, so that equal / tighter / looser values all occur often. */
export function overrideNearArb(
  platform: PlatformLimits,
  opts: NearOptions = {},
): fc.Arbitrary<ClientOverride> {
  const isEnabled: fc.Arbitrary<boolean | null> =
    opts.within && !platform.isEnabled
      ? fc.constantFrom(null, false)
      : fc.option(fc.boolean(), { nil: null });
  return fc.record({
    isEnabled,
    maxRequestsPerDay: nearArb(platform.maxRequestsPerDay, opts),
    maxCostPerDay: nearArb(dollarsToCents(platform.maxCostPerDay), opts).map((c) =>
      c === null ? null : centsToDollars(c),
    ),
    rateLimitPerMinute: nearArb(platform.rateLimitPerMinute, opts),
  });
}

/** A platform with an override: half the time unrelated to it, half the time built around it. */
export function platformAndOverrideArb(
  opts: NearOptions = {},
): fc.Arbitrary<[PlatformLimits, ClientOverride]> {
  const related = platformLimitsArb.chain((p) => fc.tuple(fc.constant(p), overrideNearArb(p, opts)));
  if (opts.within) return related;
  return fc.oneof(fc.tuple(platformLimitsArb, clientOverrideArb(opts)), related);
}
