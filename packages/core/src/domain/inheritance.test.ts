import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type ClientOverride, NO_OVERRIDE, OVERRIDABLE_FIELDS, type PlatformLimits } from "./config-types";
import { resolveEffectiveConfig } from "./inheritance";
import {
  centsToDollars,
  clientOverrideArb,
  dollarsToCents,
  overrideNearArb,
  platformAndOverrideArb,
  platformLimitsArb,
} from "./test-arbitraries";

const PLATFORM: PlatformLimits = {
  featureType: "pdf_analysis",
  isEnabled: true,
  maxRequestsPerDay: 1000,
  maxCostPerDay: "50.00",
  rateLimitPerMinute: 60,
  priorityLevel: 3,
  model: "gpt-4o",
};
const override = (o: Partial<ClientOverride>): ClientOverride => ({ ...NO_OVERRIDE, ...o });
type NumericField = "maxRequestsPerDay" | "rateLimitPerMinute" | "maxCostPerDay";
const allInherited = {
  isEnabled: true,
  maxRequestsPerDay: true,
  maxCostPerDay: true,
  rateLimitPerMinute: true,
};

describe("resolveEffectiveConfig: properties", () => {
  it("effective limits never exceed the platform's", () => {
    fc.assert(
      fc.property(platformAndOverrideArb({ allowNegative: true }), ([p, o]) => {
        const e = resolveEffectiveConfig(p, o);
        expect(e.maxRequestsPerDay).toBeLessThanOrEqual(p.maxRequestsPerDay);
        expect(e.rateLimitPerMinute).toBeLessThanOrEqual(p.rateLimitPerMinute);
        expect(dollarsToCents(e.maxCostPerDay)).toBeLessThanOrEqual(dollarsToCents(p.maxCostPerDay));
      }),
      { numRuns: 1000 },
    );
  });

  it("each effective limit is the smaller of the platform's and the override's (the platform's when null)", () => {
    fc.assert(
      fc.property(platformAndOverrideArb(), ([p, o]) => {
        const e = resolveEffectiveConfig(p, o);
        const min = (own: number | null, limit: number) => (own === null ? limit : Math.min(own, limit));
        expect(e.maxRequestsPerDay).toBe(min(o.maxRequestsPerDay, p.maxRequestsPerDay));
        expect(e.rateLimitPerMinute).toBe(min(o.rateLimitPerMinute, p.rateLimitPerMinute));
        const ownCost = o.maxCostPerDay === null ? null : dollarsToCents(o.maxCostPerDay);
        expect(dollarsToCents(e.maxCostPerDay)).toBe(min(ownCost, dollarsToCents(p.maxCostPerDay)));
      }),
      { numRuns: 1000 },
    );
  });

  it("a feature disabled at platform level is never enabled, whatever the override", () => {
    fc.assert(
      fc.property(
        platformLimitsArb.map((p) => ({ ...p, isEnabled: false })),
        fc.option(clientOverrideArb({ allowNegative: true }), { nil: null }),
        (p, o) => {
          const e = resolveEffectiveConfig(p, o);
          expect(e.isEnabled).toBe(false);
          expect(e.disabledBy).toBe("platform");
        },
      ),
    );
  });

  it("enabled exactly when the platform enables it and the client has not disabled it", () => {
    fc.assert(
      fc.property(platformAndOverrideArb(), ([p, o]) => {
        const e = resolveEffectiveConfig(p, o);
        expect(e.isEnabled).toBe(p.isEnabled && o.isEnabled !== false);
        expect(e.disabledBy === null).toBe(e.isEnabled);
      }),
    );
  });

  it("with no override every field is inherited and equals the platform's", () => {
    const noOverrides: Array<[string, (p: PlatformLimits) => ReturnType<typeof resolveEffectiveConfig>]> = [
      ["null", (p) => resolveEffectiveConfig(p, null)],
      ["omitted", (p) => resolveEffectiveConfig(p)],
      ["NO_OVERRIDE", (p) => resolveEffectiveConfig(p, NO_OVERRIDE)],
      ["all-null object", (p) => resolveEffectiveConfig(p, override({}))],
    ];
    fc.assert(
      fc.property(platformLimitsArb, (p) => {
        for (const [, resolve] of noOverrides) {
          const e = resolve(p);
          expect(e).toEqual({
            featureType: p.featureType,
            isEnabled: p.isEnabled,
            maxRequestsPerDay: p.maxRequestsPerDay,
            maxCostPerDay: p.maxCostPerDay,
            rateLimitPerMinute: p.rateLimitPerMinute,
            priorityLevel: p.priorityLevel,
            model: p.model,
            inherited: allInherited,
            disabledBy: p.isEnabled ? null : "platform",
          });
        }
      }),
    );
  });

  it("featureType, priorityLevel and model always come from the platform", () => {
    fc.assert(
      fc.property(platformAndOverrideArb({ allowNegative: true }), ([p, o]) => {
        const e = resolveEffectiveConfig(p, o);
        expect([e.featureType, e.priorityLevel, e.model]).toEqual([p.featureType, p.priorityLevel, p.model]);
      }),
    );
  });

  it("an override that tightens every field is applied and marked not inherited", () => {
    const tightening = platformLimitsArb
      .filter(
        (p) => p.maxRequestsPerDay > 0 && p.rateLimitPerMinute > 0 && dollarsToCents(p.maxCostPerDay) > 0,
      )
      .map((p) => ({ ...p, isEnabled: true }))
      .chain((p) =>
        fc.tuple(
          fc.constant(p),
          fc.record({
            isEnabled: fc.constant(false),
            maxRequestsPerDay: fc.integer({ min: 0, max: p.maxRequestsPerDay - 1 }),
            maxCostPerDay: fc
              .integer({ min: 0, max: dollarsToCents(p.maxCostPerDay) - 1 })
              .map(centsToDollars),
            rateLimitPerMinute: fc.integer({ min: 0, max: p.rateLimitPerMinute - 1 }),
          }),
        ),
      );
    fc.assert(
      fc.property(tightening, ([p, o]) => {
        const e = resolveEffectiveConfig(p, o);
        expect(e.isEnabled).toBe(false);
        expect(e.disabledBy).toBe("client");
        expect(e.maxRequestsPerDay).toBe(o.maxRequestsPerDay);
        expect(e.maxCostPerDay).toBe(o.maxCostPerDay);
        expect(e.rateLimitPerMinute).toBe(o.rateLimitPerMinute);
        expect(e.inherited).toEqual({
          isEnabled: false,
          maxRequestsPerDay: false,
          maxCostPerDay: false,
          rateLimitPerMinute: false,
        });
      }),
    );
  });

  it("a single tightening field is applied on its own; the others stay inherited", () => {
    fc.assert(
      fc.property(
        platformLimitsArb,
        fc.constantFrom<NumericField>("maxRequestsPerDay", "rateLimitPerMinute", "maxCostPerDay"),
        fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
        (p, field, fraction) => {
          const limit = field === "maxCostPerDay" ? dollarsToCents(p.maxCostPerDay) : p[field];
          fc.pre(limit > 0);
          const own = Math.floor(limit * fraction); // 0 <= own < limit
          const o =
            field === "maxCostPerDay"
              ? override({ maxCostPerDay: centsToDollars(own) })
              : field === "maxRequestsPerDay"
                ? override({ maxRequestsPerDay: own })
                : override({ rateLimitPerMinute: own });
          const e = resolveEffectiveConfig(p, o);
          expect(e[field]).toBe(o[field]);
          for (const f of OVERRIDABLE_FIELDS) expect(e.inherited[f]).toBe(f !== field);
        },
      ),
    );
  });

  it("an override looser than the platform is ignored and the field stays inherited", () => {
    fc.assert(
      fc.property(
        platformLimitsArb.chain((p) =>
          fc.tuple(
            fc.constant(p),
            fc.record({
              isEnabled: fc.constant(null),
              maxRequestsPerDay: fc.integer({
                min: p.maxRequestsPerDay + 1,
                max: p.maxRequestsPerDay + 10_000,
              }),
              maxCostPerDay: fc
                .integer({ min: 1, max: 1_000_000 })
                .map((extra) => centsToDollars(dollarsToCents(p.maxCostPerDay) + extra)),
              rateLimitPerMinute: fc.integer({
                min: p.rateLimitPerMinute + 1,
                max: p.rateLimitPerMinute + 10_000,
              }),
            }),
          ),
        ),
        ([p, o]) => {
          const e = resolveEffectiveConfig(p, o);
          expect(e.maxRequestsPerDay).toBe(p.maxRequestsPerDay);
          expect(e.maxCostPerDay).toBe(p.maxCostPerDay);
          expect(e.rateLimitPerMinute).toBe(p.rateLimitPerMinute);
          expect(e.inherited).toEqual(allInherited);
        },
      ),
    );
  });

  it("does not mutate its inputs", () => {
    fc.assert(
      fc.property(platformAndOverrideArb({ allowNegative: true }), ([p, o]) => {
        const [pCopy, oCopy] = structuredClone([p, o]);
        resolveEffectiveConfig(Object.freeze(p), Object.freeze(o));
        expect([p, o]).toEqual([pCopy, oCopy]);
      }),
    );
  });

  it("(sanity) the generators produce tightening, equal and looser overrides", () => {
    const seen = new Set<string>();
    fc.assert(
      fc.property(
        platformLimitsArb.chain((p) => fc.tuple(fc.constant(p), overrideNearArb(p))),
        ([p, o]) => {
          if (o.maxRequestsPerDay !== null) {
            seen.add(Math.sign(o.maxRequestsPerDay - p.maxRequestsPerDay).toString());
          }
        },
      ),
      { numRuns: 300 },
    );
    expect([...seen].sort()).toEqual(["-1", "0", "1"]);
  });
});

describe("resolveEffectiveConfig: examples", () => {
  it("compares amounts by value, not as strings", () => {
    // "9.99" > "10.00" as strings, but it is the tighter amount
    const tighter = resolveEffectiveConfig(
      { ...PLATFORM, maxCostPerDay: "10.00" },
      override({ maxCostPerDay: "9.99" }),
    );
    expect(tighter.maxCostPerDay).toBe("9.99");
    expect(tighter.inherited.maxCostPerDay).toBe(false);
    // "100.00" < "99.99" as strings, but it is looser
    const looser = resolveEffectiveConfig(
      { ...PLATFORM, maxCostPerDay: "99.99" },
      override({ maxCostPerDay: "100.00" }),
    );
    expect(looser.maxCostPerDay).toBe("99.99");
    expect(looser.inherited.maxCostPerDay).toBe(true);
  });

  it("an override equal to the platform's value keeps the value and counts as the client's own", () => {
    // Documented in inheritance.ts: an equal override still holds if the platform later loosens.
    const e = resolveEffectiveConfig(
      PLATFORM,
      override({ maxRequestsPerDay: 1000, rateLimitPerMinute: 60, maxCostPerDay: "50.0" }),
    );
    expect(e.maxRequestsPerDay).toBe(1000);
    expect(e.rateLimitPerMinute).toBe(60);
    expect(e.maxCostPerDay).toBe("50.00");
    expect(e.inherited).toEqual({
      isEnabled: true,
      maxRequestsPerDay: false,
      maxCostPerDay: false,
      rateLimitPerMinute: false,
    });
  });

  it("a zero limit is a valid tightening", () => {
    const e = resolveEffectiveConfig(
      PLATFORM,
      override({ maxRequestsPerDay: 0, rateLimitPerMinute: 0, maxCostPerDay: "0.00" }),
    );
    expect([e.maxRequestsPerDay, e.rateLimitPerMinute, e.maxCostPerDay]).toEqual([0, 0, "0.00"]);
  });

  it.each([
    // platform enabled, client override -> isEnabled, disabledBy
    [true, null, true, null],
    [true, true, true, null],
    [true, false, false, "client"],
    [false, null, false, "platform"],
    [false, true, false, "platform"],
    [false, false, false, "platform"], // the platform's switch is the reason, not the client's
  ] as const)(
    "platform enabled=%s, client override=%s -> enabled=%s, disabledBy=%s",
    (platformOn, own, enabled, by) => {
      const e = resolveEffectiveConfig({ ...PLATFORM, isEnabled: platformOn }, override({ isEnabled: own }));
      expect(e.isEnabled).toBe(enabled);
      expect(e.disabledBy).toBe(by);
    },
  );

  it.each([
    [true, null, true],
    [true, true, false], // the client's explicit "on" is its own choice
    [true, false, false], // the client's switch decided
    [false, null, true],
    [false, false, true], // the platform's switch decided; the client's is moot
    [false, true, true], // the client's "true" is ignored
  ] as const)(
    "platform enabled=%s, client override=%s -> inherited.isEnabled=%s",
    (platformOn, own, inherited) => {
      const e = resolveEffectiveConfig({ ...PLATFORM, isEnabled: platformOn }, override({ isEnabled: own }));
      expect(e.inherited.isEnabled).toBe(inherited);
    },
  );
});
