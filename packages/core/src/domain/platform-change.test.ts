import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { ClientOverride, PlatformLimits } from "./config-types";
import { NO_OVERRIDE } from "./config-types";
import {
  auditDiff,
  BULK_CHANGE_FIELDS,
  type BulkChangePatch,
  clampedByChange,
  planPlatformChange,
} from "./platform-change";
import { centsToDollars, clientOverrideArb, dollarsToCents, platformLimitsArb } from "./test-arbitraries";

const PLATFORM: PlatformLimits = {
  featureType: "field_extraction",
  isEnabled: true,
  maxRequestsPerDay: 1000,
  maxCostPerDay: "50.00",
  rateLimitPerMinute: 60,
  priorityLevel: 2,
  model: "gpt-4o-mini",
};
const override = (o: Partial<ClientOverride>): ClientOverride => ({ ...NO_OVERRIDE, ...o });

const patchArb: fc.Arbitrary<BulkChangePatch> = fc.record(
  {
    isEnabled: fc.boolean(),
    maxRequestsPerDay: fc.oneof(fc.integer({ min: 0, max: 10 }), fc.integer({ min: 0, max: 10_000_000 })),
    maxCostPerDay: fc.integer({ min: 0, max: 100_000 }).map(centsToDollars),
    rateLimitPerMinute: fc.integer({ min: 0, max: 100_000 }),
    model: fc.constantFrom("gpt-4o", "gpt-4o-mini", "local/llama3:8b"),
  },
  { requiredKeys: [] },
);

describe("planPlatformChange", () => {
  it("lists each value that differs, from → to, in field order", () => {
    const { next, changes } = planPlatformChange(PLATFORM, {
      model: "gpt-4o",
      maxRequestsPerDay: 200,
      isEnabled: true,
    });
    expect(changes).toEqual([
      { field: "maxRequestsPerDay", from: 1000, to: 200 },
      { field: "model", from: "gpt-4o-mini", to: "gpt-4o" },
    ]);
    expect(next).toEqual({ ...PLATFORM, maxRequestsPerDay: 200, model: "gpt-4o" });
  });

  it("compares amounts by value: 50.0 is no change from 50.00", () => {
    expect(planPlatformChange(PLATFORM, { maxCostPerDay: "50.0" }).changes).toEqual([]);
    expect(planPlatformChange(PLATFORM, { maxCostPerDay: "49.99" }).changes).toEqual([
      { field: "maxCostPerDay", from: "50.00", to: "49.99" },
    ]);
  });

  it("property: the plan's next state carries every patched value, the rest untouched; planning it again is a no-op", () => {
    fc.assert(
      fc.property(platformLimitsArb, patchArb, (current, patch) => {
        const { next, changes } = planPlatformChange(current, patch);
        for (const field of BULK_CHANGE_FIELDS) {
          const patched = patch[field];
          if (patched === undefined) expect(next[field]).toBe(current[field]);
          else if (field === "maxCostPerDay")
            expect(dollarsToCents(next.maxCostPerDay)).toBe(dollarsToCents(patched as string));
          else expect(next[field]).toBe(patched);
        }
        expect(next.priorityLevel).toBe(current.priorityLevel);
        // A change is listed exactly when the value moved.
        expect(changes.map((c) => c.field)).toEqual(
          BULK_CHANGE_FIELDS.filter((f) => String(next[f]) !== String(current[f])),
        );
        expect(planPlatformChange(next, patch).changes).toEqual([]);
      }),
    );
  });
});

describe("clampedByChange", () => {
  it("names each client override the new limits no longer allow, with its values from → to", () => {
    const overrides = [
      override({ maxRequestsPerDay: 200, maxCostPerDay: "10.00" }),
      override({ maxRequestsPerDay: 50 }),
      override({ isEnabled: true, rateLimitPerMinute: 30 }),
    ];
    const clamped = clampedByChange(PLATFORM, { maxRequestsPerDay: 100, isEnabled: false }, overrides);
    expect(clamped).toEqual([
      { override: overrides[0], changes: [{ field: "maxRequestsPerDay", from: 200, to: 100 }] },
      { override: overrides[2], changes: [{ field: "isEnabled", from: true, to: null }] },
    ]);
  });

  it("a patch that changes nothing clamps nothing, even overrides already above the limits", () => {
    expect(
      clampedByChange(PLATFORM, { maxRequestsPerDay: 1000 }, [override({ maxRequestsPerDay: 5000 })]),
    ).toEqual([]);
  });

  it("property: after the clamp no override exceeds the new limits, and untouched ones stay as they were", () => {
    fc.assert(
      fc.property(
        platformLimitsArb,
        patchArb,
        fc.array(clientOverrideArb(), { maxLength: 6 }),
        (current, patch, overrides) => {
          const { next, changes } = planPlatformChange(current, patch);
          const clamped = clampedByChange(current, patch, overrides);
          if (changes.length === 0) {
            expect(clamped).toEqual([]);
            return;
          }
          for (const o of overrides) {
            const hit = clamped.find((c) => c.override === o);
            const after: ClientOverride = { ...o };
            for (const c of hit?.changes ?? []) (after as unknown as Record<string, unknown>)[c.field] = c.to;
            if (after.maxRequestsPerDay !== null)
              expect(after.maxRequestsPerDay).toBeLessThanOrEqual(next.maxRequestsPerDay);
            if (after.rateLimitPerMinute !== null)
              expect(after.rateLimitPerMinute).toBeLessThanOrEqual(next.rateLimitPerMinute);
            if (after.maxCostPerDay !== null)
              expect(dollarsToCents(after.maxCostPerDay)).toBeLessThanOrEqual(
                dollarsToCents(next.maxCostPerDay),
              );
            if (!next.isEnabled) expect(after.isEnabled).not.toBe(true);
            for (const c of hit?.changes ?? []) expect(c.from).toEqual(o[c.field as keyof ClientOverride]);
          }
        },
      ),
    );
  });
});

describe("auditDiff", () => {
  it("a platform change: only the moved values, the feature left out", () => {
    const before = { ...PLATFORM };
    const after = { ...PLATFORM, maxRequestsPerDay: 10, isEnabled: false };
    expect(auditDiff(before, after)).toEqual([
      { field: "isEnabled", from: true, to: false },
      { field: "maxRequestsPerDay", from: 1000, to: 10 },
    ]);
  });

  it("lists the limits in planPlatformChange's order, whatever the stored key order (jsonb sorts keys)", () => {
    const before = { model: "gpt-4o-mini", maxCostPerDay: "50.00", maxRequestsPerDay: 1000, isEnabled: true };
    const after = { model: "gpt-4o", maxCostPerDay: "20.00", maxRequestsPerDay: 100, isEnabled: true };
    const patch = { model: "gpt-4o", maxCostPerDay: "20.00", maxRequestsPerDay: 100 };
    expect(auditDiff(before, after)).toEqual(planPlatformChange(PLATFORM, patch).changes);
  });

  it("a client override: nested values as dotted fields; empty settings hold nothing", () => {
    const before = {
      featureType: "field_extraction",
      clientId: "c1",
      overrides: { isEnabled: null, maxRequestsPerDay: 200, maxCostPerDay: "10.00" },
      featureSettings: {},
    };
    const after = {
      featureType: "field_extraction",
      clientId: "c1",
      overrides: { isEnabled: null, maxRequestsPerDay: 100, maxCostPerDay: "10.00" },
      featureSettings: { tone: "warm", fields: ["a", "b"] },
    };
    expect(auditDiff(before, after)).toEqual([
      { field: "overrides.maxRequestsPerDay", from: 200, to: 100 },
      { field: "featureSettings.fields", from: null, to: '["a","b"]' },
      { field: "featureSettings.tone", from: null, to: "warm" },
    ]);
  });

  it("a creation lists every value from null; a field dropped goes to null", () => {
    expect(
      auditDiff(null, { featureType: "pdf_analysis", clientId: "c1", overrides: { maxRequestsPerDay: 5 } }),
    ).toEqual([{ field: "overrides.maxRequestsPerDay", from: null, to: 5 }]);
    expect(auditDiff({ a: 1, b: 2 }, { a: 1 })).toEqual([{ field: "b", from: 2, to: null }]);
  });

  it("property: no diff between a snapshot and itself; every listed field really differs", () => {
    const snapshot = fc.dictionary(
      fc.constantFrom("isEnabled", "model", "maxRequestsPerDay", "overrides"),
      fc.oneof(
        fc.boolean(),
        fc.integer(),
        fc.string(),
        fc.constant(null),
        fc.dictionary(fc.constantFrom("x", "y"), fc.integer()),
      ),
    );
    fc.assert(
      fc.property(snapshot, snapshot, (a, b) => {
        expect(auditDiff(a, a)).toEqual([]);
        for (const c of auditDiff(a, b)) expect(JSON.stringify(c.from)).not.toBe(JSON.stringify(c.to));
      }),
    );
  });
});
