import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type FieldExtractionResult, type SmartMappingResult, weddingFieldsSchema } from "./ai-results";
import { applyFeatureSettings, clientInstructions } from "./result-settings";

const KEYS = weddingFieldsSchema.keyof().options;

const fieldArb = fc.option(
  fc.record({
    value: fc.string({ maxLength: 5 }),
    confidence: fc.double({ min: 0, max: 1, noNaN: true }),
    source: fc.constant(null),
  }),
  { nil: null },
);
const extractionArb = fc.tuple(...KEYS.map(() => fieldArb)).map(
  (values) =>
    ({
      fields: Object.fromEntries(KEYS.map((k, i) => [k, values[i]])),
    }) as unknown as FieldExtractionResult,
);
const settingsArb = fc.record(
  {
    confidenceThreshold: fc.double({ min: 0, max: 1, noNaN: true }),
    // Some in another case, some not a field at all.
    excludedFields: fc.array(
      fc.oneof(
        fc.constantFrom(...KEYS),
        fc.constantFrom(...KEYS).map((k) => k.toUpperCase()),
        fc.constant("shoeSize"),
      ),
      { maxLength: 4 },
    ),
  },
  { requiredKeys: [] },
);

describe("applyFeatureSettings (property)", () => {
  it("field extraction: excluded fields are null, the others untouched, and exactly those under the threshold listed", () => {
    fc.assert(
      fc.property(extractionArb, settingsArb, (result, settings) => {
        const { output, needsReview } = applyFeatureSettings("field_extraction", result, settings);
        const excluded = new Set((settings.excludedFields ?? []).map((n) => n.toLowerCase()));
        for (const k of KEYS) {
          if (excluded.has(k.toLowerCase())) expect(output.fields[k]).toBeNull();
          else expect(output.fields[k]).toEqual(result.fields[k]);
        }
        const expected = KEYS.filter((k) => {
          const f = output.fields[k] as { confidence: number } | null;
          return (
            f !== null &&
            settings.confidenceThreshold !== undefined &&
            f.confidence < settings.confidenceThreshold
          );
        });
        expect(needsReview).toEqual(expected);
        // Applying it again changes nothing (replays of a stored result).
        expect(applyFeatureSettings("field_extraction", output, settings)).toEqual({ output, needsReview });
      }),
      { numRuns: 500 },
    );
  });
});

describe("applyFeatureSettings", () => {
  it("smart mapping: lists the sources mapped below the threshold, changes no mapping", () => {
    const result: SmartMappingResult = {
      mappings: [
        { source: "Bride", target: "Partner 1", confidence: 0.95 },
        { source: "Venue", target: "Location", confidence: 0.55 },
      ],
      unmappedSources: ["Shoe size"],
      unmappedTargets: [],
    };
    expect(applyFeatureSettings("smart_mapping", result, { confidenceThreshold: 0.6 })).toEqual({
      output: result,
      needsReview: ["Venue"],
    });
    expect(applyFeatureSettings("smart_mapping", result, {}).needsReview).toEqual([]);
  });
});

describe("clientInstructions", () => {
  it("puts the client's words, tone, glossary, language and excluded fields on their own lines", () => {
    expect(
      clientInstructions(
        "field_extraction",
        { instructions: "We are florists.", tone: "brief", glossary: { BOH: "back of house" } },
        { language: "fr", excludedFields: ["Budget", "shoeSize"] },
      ),
    ).toBe(
      [
        "We are florists.",
        "Tone: brief",
        "Glossary (this client's terms): BOH = back of house",
        "The input is in fr; keep extracted text in it.",
        "Leave these fields null: budget.",
      ].join("\n"),
    );
  });

  it("is null without any, and names excluded fields only for field extraction", () => {
    expect(clientInstructions("field_extraction", {}, {})).toBeNull();
    expect(clientInstructions("smart_mapping", null, { excludedFields: ["budget"] })).toBeNull();
  });
});
