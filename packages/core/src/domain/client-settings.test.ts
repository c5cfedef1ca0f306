import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { z } from "zod";
import { customPromptsSchema, featureSettingsSchema, processingPreferencesSchema } from "./client-settings";

const glossaryOf = (n: number) =>
  Object.fromEntries(Array.from({ length: n }, (_, i) => [`term${i}`, `meaning ${i}`]));

/** The paths of the issues a failed parse reports. */
function issuePaths(schema: z.ZodType, input: unknown): PropertyKey[][] {
  const result = schema.safeParse(input);
  expect(result.success).toBe(false);
  return result.success ? [] : result.error.issues.map((i) => i.path);
}

const VALID = {
  featureSettings: {
    confidenceThreshold: 0.8,
    language: "en-GB",
    excludedFields: ["budget", "guest_count"],
    maxOutputTokens: 4000,
  },
  customPrompts: {
    instructions: "Dates are usually written day first. The couple's names come before the venue.",
    tone: "warm, concise",
    glossary: { "first look": "a private photo session before the ceremony", DJ: "disc jockey" },
  },
  processingPreferences: {
    preferredProvider: "openai",
    allowFallback: true,
    dateFormat: "DD/MM/YYYY",
    currency: "GBP",
  },
};

const SCHEMAS = [
  ["featureSettingsSchema", featureSettingsSchema, VALID.featureSettings],
  ["customPromptsSchema", customPromptsSchema, VALID.customPrompts],
  ["processingPreferencesSchema", processingPreferencesSchema, VALID.processingPreferences],
] as const;

describe.each(SCHEMAS)("%s", (_, schema, valid) => {
  it("accepts a valid example unchanged", () => {
    expect(schema.parse(valid)).toEqual(valid);
  });

  it("accepts an empty object (every setting is optional)", () => {
    expect(schema.parse({})).toEqual({});
  });

  it("rejects unknown keys rather than stripping them", () => {
    expect(schema.safeParse({ ...valid, extra: 1 }).success).toBe(false);
    expect(schema.safeParse({ __unknown: "x" }).success).toBe(false);
  });

  it("rejects any unknown key", () => {
    fc.assert(
      fc.property(
        fc.string({ minLength: 1, maxLength: 20 }).filter((k) => !(k in valid) && k !== "__proto__"),
        fc.jsonValue(),
        (key, value) => {
          expect(schema.safeParse({ [key]: value }).success).toBe(false);
        },
      ),
    );
  });

  it.each([null, "settings", 42, [], true])("rejects the non-object %j", (input) => {
    expect(schema.safeParse(input).success).toBe(false);
  });
});

describe("customPromptsSchema", () => {
  it("accepts instructions of exactly 2000 characters and rejects 2001", () => {
    expect(customPromptsSchema.safeParse({ instructions: "x".repeat(2000) }).success).toBe(true);
    expect(issuePaths(customPromptsSchema, { instructions: "x".repeat(2001) })).toEqual([["instructions"]]);
  });

  it("bounds instructions at 2000 characters, whatever they are", () => {
    // zod 4 measures string length in code points, not UTF-16 units: 2000 astral characters
    // (s.length === 4000) are accepted. The bound still holds, at most 4 UTF-8 bytes per character.
    expect(customPromptsSchema.safeParse({ instructions: "\u{1F48D}".repeat(2000) }).success).toBe(true);
    expect(customPromptsSchema.safeParse({ instructions: "\u{1F48D}".repeat(2001) }).success).toBe(false);
    fc.assert(
      fc.property(fc.string({ unit: "grapheme-composite", minLength: 1900, maxLength: 2100 }), (s) => {
        expect(customPromptsSchema.safeParse({ instructions: s }).success).toBe([...s].length <= 2000);
      }),
      { numRuns: 50 },
    );
  });

  it("bounds tone at 200 characters", () => {
    expect(customPromptsSchema.safeParse({ tone: "t".repeat(200) }).success).toBe(true);
    expect(issuePaths(customPromptsSchema, { tone: "t".repeat(201) })).toEqual([["tone"]]);
  });

  it("accepts 50 glossary entries and rejects 51, on the glossary path", () => {
    expect(customPromptsSchema.safeParse({ glossary: glossaryOf(50) }).success).toBe(true);
    expect(issuePaths(customPromptsSchema, { glossary: glossaryOf(51) })).toEqual([["glossary"]]);
  });

  it("rejects more than 50 glossary entries, however many", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 300 }), (n) => {
        expect(customPromptsSchema.safeParse({ glossary: glossaryOf(n) }).success).toBe(n <= 50);
      }),
    );
  });

  it("bounds glossary terms at 64 characters and meanings at 200", () => {
    expect(customPromptsSchema.safeParse({ glossary: { ["k".repeat(64)]: "v".repeat(200) } }).success).toBe(
      true,
    );
    expect(customPromptsSchema.safeParse({ glossary: { ["k".repeat(65)]: "v" } }).success).toBe(false);
    expect(customPromptsSchema.safeParse({ glossary: { k: "v".repeat(201) } }).success).toBe(false);
  });

  it("rejects non-string glossary meanings", () => {
    expect(customPromptsSchema.safeParse({ glossary: { k: 1 } }).success).toBe(false);
    expect(customPromptsSchema.safeParse({ glossary: { k: { nested: "x" } } }).success).toBe(false);
  });
});

describe("featureSettingsSchema", () => {
  it.each<[string, unknown]>([
    ["confidenceThreshold below 0", { confidenceThreshold: -0.01 }],
    ["confidenceThreshold above 1", { confidenceThreshold: 1.01 }],
    ["language over 16 characters", { language: "l".repeat(17) }],
    ["more than 50 excluded fields", { excludedFields: Array.from({ length: 51 }, (_, i) => `f${i}`) }],
    ["an excluded field over 64 characters", { excludedFields: ["f".repeat(65)] }],
    ["maxOutputTokens of 0", { maxOutputTokens: 0 }],
    ["maxOutputTokens above 16000", { maxOutputTokens: 16_001 }],
    ["fractional maxOutputTokens", { maxOutputTokens: 10.5 }],
  ])("rejects %s", (_, input) => {
    expect(featureSettingsSchema.safeParse(input).success).toBe(false);
  });

  it.each<[string, unknown]>([
    ["confidenceThreshold 0", { confidenceThreshold: 0 }],
    ["confidenceThreshold 1", { confidenceThreshold: 1 }],
    ["language of 16 characters", { language: "l".repeat(16) }],
    [
      "exactly 50 excluded fields of 64 characters",
      { excludedFields: Array.from({ length: 50 }, () => "f".repeat(64)) },
    ],
    ["maxOutputTokens 1", { maxOutputTokens: 1 }],
    ["maxOutputTokens 16000", { maxOutputTokens: 16_000 }],
  ])("accepts %s", (_, input) => {
    expect(featureSettingsSchema.safeParse(input).success).toBe(true);
  });
});

describe("processingPreferencesSchema", () => {
  it.each<[string, unknown]>([
    ["an unknown provider", { preferredProvider: "anthropic" }],
    ["a non-boolean allowFallback", { allowFallback: "yes" }],
    ["an unknown date format", { dateFormat: "DD-MM-YYYY" }],
    ["a lower-case currency", { currency: "gbp" }],
    ["a four-letter currency", { currency: "GBPX" }],
    ["a currency with a trailing newline", { currency: "GBP\n" }],
  ])("rejects %s", (_, input) => {
    expect(processingPreferencesSchema.safeParse(input).success).toBe(false);
  });

  it.each(["DD/MM/YYYY", "MM/DD/YYYY", "YYYY-MM-DD"])("accepts the date format %s", (dateFormat) => {
    expect(processingPreferencesSchema.safeParse({ dateFormat, preferredProvider: "local" }).success).toBe(
      true,
    );
  });
});
