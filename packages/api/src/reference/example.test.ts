import { describe, expect, it } from "vitest";
import { z } from "zod";
import { EXAMPLE_UUID, exampleFor } from "./example";
import { type JsonSchema, procedureInputSchema } from "./json-schema";

/** The example must satisfy the schema it came from (zod reads the JSON Schema back). */
function expectValid(schema: JsonSchema, example: unknown) {
  const parsed = z.fromJSONSchema(schema as never).safeParse(example);
  expect(parsed.error?.issues ?? [], JSON.stringify(example)).toEqual([]);
}

const json = (schema: z.ZodType) => z.toJSONSchema(schema, { io: "input" }) as JsonSchema;

describe("exampleFor", () => {
  it("takes the first enum value, a const, and a scalar's default", () => {
    expect(exampleFor({ type: "string", enum: ["pdf_analysis", "field_extraction"] })).toBe("pdf_analysis");
    expect(exampleFor({ const: "smart_mapping" })).toBe("smart_mapping");
    expect(exampleFor({ type: "integer", minimum: 1, default: 50 })).toBe(50);
  });

  it("starts numbers at their lower bound, exclusive bounds and integers included", () => {
    expect(exampleFor({ type: "integer", minimum: 3, maximum: 9 })).toBe(3);
    expect(exampleFor({ type: "integer", exclusiveMinimum: 0 })).toBe(1);
    expect(exampleFor({ type: "number", exclusiveMinimum: 0 })).toBe(0.01);
    expect(exampleFor({ type: "integer", maximum: -5 })).toBe(-5);
    expect(exampleFor({ type: "integer" })).toBe(0);
    expect(exampleFor({ type: "integer", minimum: 1, multipleOf: 5 })).toBe(5);
  });

  it("gives each string format a value of that format", () => {
    expect(exampleFor({ type: "string", format: "uuid" })).toBe(EXAMPLE_UUID);
    expect(exampleFor({ type: "string", format: "date" }, { date: "2027-06-12" })).toBe("2027-06-12");
    expect(exampleFor({ type: "string", format: "date-time" })).toBe("2026-01-01T00:00:00.000Z");
    expect(exampleFor({ type: "string", format: "email" })).toBe("someone@example.com");
    expect(exampleFor({ type: "string", format: "uri" })).toMatch(/^https:\/\//);
    for (const schema of [json(z.uuid()), json(z.iso.date()), json(z.email()), json(z.url())]) {
      expectValid(schema, exampleFor(schema));
    }
  });

  it("fits strings to their length bounds and pattern", () => {
    expect(exampleFor({ type: "string", minLength: 16 })).toHaveLength(16);
    expect((exampleFor({ type: "string", maxLength: 3 }) as string).length).toBeLessThanOrEqual(3);
    expect(exampleFor({ type: "string", pattern: "^\\d{4}-(0[1-9]|1[0-2])$" })).toBe("2026-01");
    expect(exampleFor({ type: "string", pattern: "^\\d{1,18}$" })).toBe("1");
  });

  it("fills required properties only, and gives a nested object with none its first", () => {
    const schema = json(
      z.object({
        name: z.string().min(1),
        note: z.string().optional(),
        patch: z.object({ isEnabled: z.boolean().optional(), cap: z.number().optional() }),
      }),
    );
    expect(exampleFor(schema)).toEqual({ name: "example", patch: { isEnabled: true } });
    expectValid(schema, exampleFor(schema));
    // At the top, nothing required means nothing sent.
    expect(exampleFor(json(z.object({ search: z.string().optional() }).default({})))).toEqual({});
  });

  it("makes arrays of their minimum length (at least one), enum items distinct", () => {
    expect(exampleFor({ type: "array", items: { type: "integer", minimum: 1 } })).toEqual([1]);
    expect(
      exampleFor({ type: "array", minItems: 3, items: { type: "string", format: "uuid" } }),
    ).toHaveLength(3);
    expect(exampleFor({ type: "array", maxItems: 0, items: { type: "string" } })).toEqual([]);
    expect(exampleFor({ type: "array", minItems: 2, items: { enum: ["a", "b"] } })).toEqual(["a", "b"]);
  });

  it("picks a union branch that is not null, and a constrained one before a bare string", () => {
    expect(exampleFor(json(z.string().nullable()))).toBe("example");
    expect(exampleFor({ type: ["null", "integer"], minimum: 2 })).toBe(2);
    // An amount: free text checked by a transform, or a number. The number is valid as it stands.
    const amount = json(z.union([z.string().max(20), z.number()]));
    expect(exampleFor(amount)).toBe(0);
  });

  it("takes the first branch of a discriminated union and follows $ref", () => {
    const union = json(
      z.discriminatedUnion("featureType", [
        z.object({ featureType: z.literal("field_extraction"), text: z.string().min(1) }),
        z.object({ featureType: z.literal("pdf_analysis"), pdfBase64: z.string() }),
      ]),
    );
    expect(exampleFor(union)).toEqual({ featureType: "field_extraction", text: "example" });
    const withRef: JsonSchema = {
      type: "object",
      properties: { when: { $ref: "#/$defs/day" } },
      required: ["when"],
      $defs: { day: { type: "string", format: "date" } },
    };
    expect(exampleFor(withRef)).toEqual({ when: "2026-01-01" });
  });

  it("survives schemas that say nothing (unrepresentable types become {})", () => {
    expect(exampleFor({})).toBeNull();
    expect(exampleFor(true)).toBeNull();
    expect(exampleFor(undefined)).toBeNull();
    const transformed = z.toJSONSchema(z.object({ at: z.date(), n: z.string().transform(Number) }), {
      io: "input",
      unrepresentable: "any",
    }) as JsonSchema;
    expect(exampleFor(transformed)).toEqual({ at: null, n: "example" });
  });
});

describe("procedureInputSchema", () => {
  const org = z.object({ organizationId: z.uuid().optional() }).default({});

  it("merges a builder's input with the procedure's, as tRPC merges the parsed objects", () => {
    const schema = procedureInputSchema([org, z.object({ clientId: z.uuid() })])!;
    expect(schema.properties).toHaveProperty("organizationId");
    expect(schema.properties).toHaveProperty("clientId");
    expect(schema.required).toEqual(["clientId"]);
    expect(schema).not.toHaveProperty("default");
    expect(exampleFor(schema)).toEqual({ clientId: EXAMPLE_UUID });
    expectValid(schema, exampleFor(schema));
  });

  it("keeps a default only when every part may be left out", () => {
    const schema = procedureInputSchema([
      org,
      z.object({ limit: z.number().default(50) }).default({ limit: 50 }),
    ])!;
    expect(schema.default).toEqual({ limit: 50 });
  });

  it("gives each branch of a union the builder's properties", () => {
    const schema = procedureInputSchema([
      org,
      z.discriminatedUnion("kind", [z.object({ kind: z.literal("a") }), z.object({ kind: z.literal("b") })]),
    ])!;
    const branches = schema.oneOf as JsonSchema[];
    expect(branches).toHaveLength(2);
    for (const branch of branches) expect(branch.properties).toHaveProperty("organizationId");
  });

  it("is null without input, and {} for a parser that is not zod", () => {
    expect(procedureInputSchema([])).toBeNull();
    expect(procedureInputSchema([(raw: unknown) => raw])).toEqual({
      $schema: "https://json-schema.org/draft/2020-12/schema",
    });
  });
});
