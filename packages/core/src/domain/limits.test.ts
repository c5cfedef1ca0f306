import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  dollarAmountSchema,
  LIMIT_BOUNDS,
  maxRequestsPerDaySchema,
  modelNameSchema,
  priorityLevelSchema,
  rateLimitPerMinuteSchema,
} from "./limits";
import { centsToDollars, MAX_CENTS } from "./test-arbitraries";

describe("dollarAmountSchema", () => {
  it.each<[string | number, string]>([
    ["25", "25.00"],
    ["25.5", "25.50"],
    [25.5, "25.50"],
    ["0.10", "0.10"],
    [0.1, "0.10"],
    ["0", "0.00"],
    [0, "0.00"],
    [-0, "0.00"],
    [25, "25.00"],
    ["  25.5  ", "25.50"],
    ["007.05", "7.05"],
    [LIMIT_BOUNDS.maxCostPerDay, "99999999.99"],
    [99_999_999.99, "99999999.99"],
  ])("accepts %j as %j", (input, expected) => {
    expect(dollarAmountSchema.parse(input)).toBe(expected);
  });

  it.each<[string, unknown]>([
    ["negative string", "-1"],
    ["negative number", -1],
    ["three places", "1.234"],
    ["three places, number", 1.234],
    ["words", "abc"],
    ["1e12 (too large)", 1e12],
    ["100000000 (one cent above the bound)", "100000000.00"],
    ["100000000, number", 100_000_000],
    ["NaN", Number.NaN],
    ["Infinity", Number.POSITIVE_INFINITY],
    ["empty string", ""],
    ["exponent string", "1e3"],
    ["tiny number printed as exponent", 1e-7],
    ["float noise 0.1 + 0.2 (never silently rounded)", 0.1 + 0.2],
    ["trailing dot", "25."],
    ["leading dot", ".5"],
    ["plus sign", "+5"],
    ["thousands separator", "1,000"],
    ["currency symbol", "$5"],
    ["over 20 characters", `${"0".repeat(20)}1`],
    ["null", null],
    ["undefined", undefined],
    ["boolean", true],
    ["bigint", 5n],
  ])("rejects %s", (_, input) => {
    expect(dollarAmountSchema.safeParse(input).success).toBe(false);
  });

  it("normalises every amount from 0 to 99999999.99, given as a string or a number, to 2 places", () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.integer({ min: 0, max: 10_000 }), fc.integer({ min: 0, max: MAX_CENTS })),
        (cents) => {
          const canonical = centsToDollars(cents);
          expect(dollarAmountSchema.parse(canonical)).toBe(canonical);
          expect(dollarAmountSchema.parse(cents / 100)).toBe(canonical);
          // fewer written places, same value
          expect(dollarAmountSchema.parse(canonical.replace(/\.?0+$/, "") || "0")).toBe(canonical);
        },
      ),
      { numRuns: 1000 },
    );
  });

  it("rejects every amount with a non-zero third decimal", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 99_999_999 }),
        fc.integer({ min: 0, max: 999 }),
        (whole, mills) => {
          fc.pre(mills % 10 !== 0);
          const s = `${whole}.${String(mills).padStart(3, "0")}`;
          expect(dollarAmountSchema.safeParse(s).success).toBe(false);
        },
      ),
    );
  });
});

describe("integer limit schemas", () => {
  it.each([
    ["maxRequestsPerDaySchema", maxRequestsPerDaySchema, 0, LIMIT_BOUNDS.maxRequestsPerDay],
    ["rateLimitPerMinuteSchema", rateLimitPerMinuteSchema, 0, LIMIT_BOUNDS.rateLimitPerMinute],
    ["priorityLevelSchema", priorityLevelSchema, 1, LIMIT_BOUNDS.priorityLevel],
  ] as const)("%s accepts integers in [%i, %i] only", (_, schema, min, max) => {
    for (const ok of [min, max, Math.floor((min + max) / 2)]) expect(schema.safeParse(ok).success).toBe(true);
    for (const bad of [
      min - 1,
      max + 1,
      min + 0.5,
      Number.NaN,
      Number.POSITIVE_INFINITY,
      String(min),
      null,
    ]) {
      expect(schema.safeParse(bad).success).toBe(false);
    }
  });

  it("bounds fit the database columns (int4 and numeric(10,2))", () => {
    expect(LIMIT_BOUNDS.maxRequestsPerDay).toBeLessThanOrEqual(2 ** 31 - 1);
    expect(LIMIT_BOUNDS.rateLimitPerMinute).toBeLessThanOrEqual(2 ** 31 - 1);
    expect(LIMIT_BOUNDS.maxCostPerDay).toMatch(/^\d{1,8}\.\d{2}$/);
  });
});

describe("modelNameSchema", () => {
  it.each(["gpt-4o", "gpt-4o-mini", "local/llama3:8b", "a", "m".repeat(100), "org_x/model.v2"])(
    "accepts %j",
    (name) => {
      expect(modelNameSchema.safeParse(name).success).toBe(true);
    },
  );

  it.each(["", "m".repeat(101), "gpt 4o", "model;drop", "modèle", "a\nb"])("rejects %j", (name) => {
    expect(modelNameSchema.safeParse(name).success).toBe(false);
  });
});
