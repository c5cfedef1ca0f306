import { z } from "zod";

/** A JSON Schema (draft 2020-12) as zod writes it: read loosely, key by key. */
export type JsonSchema = { [keyword: string]: unknown };

export const JSON_SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema";

const isSchema = (value: unknown): value is JsonSchema =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/**
 * One input parser as JSON Schema, as a caller must send it (io "input": before transforms and
 * defaults). What JSON Schema cannot say (a transform's own check, a custom type) becomes `{}`,
 * "anything", rather than failing; a parser that is not zod is `{}` too.
 */
export function parserJsonSchema(parser: unknown): JsonSchema {
  // Any zod 4 schema (by its internals, not instanceof: a second copy of zod would not match).
  if (typeof parser !== "object" || parser === null || !("_zod" in parser)) return {};
  try {
    const { $schema: _dialect, ...schema } = z.toJSONSchema(parser as z.core.$ZodType, {
      io: "input",
      unrepresentable: "any",
    }) as JsonSchema;
    return schema;
  } catch {
    return {};
  }
}

/**
 * A procedure's input as one schema. tRPC parses the raw input with each `.input()` of the
 * builder chain in turn (the organization's, then the procedure's own) and merges the objects,
 * so the input is every object's properties together; a union's branches each get the others'.
 * Null when the procedure takes no input.
 */
export function procedureInputSchema(parsers: readonly unknown[]): JsonSchema | null {
  if (parsers.length === 0) return null;
  const merged = parsers.map(parserJsonSchema).reduce(mergeInputs);
  return { $schema: JSON_SCHEMA_DIALECT, ...merged };
}

function isPlainObjectSchema(s: JsonSchema): boolean {
  return s.type === "object" && s.anyOf === undefined && s.oneOf === undefined && s.allOf === undefined;
}

function mergeInputs(a: JsonSchema, b: JsonSchema): JsonSchema {
  for (const [union, other] of [
    [b, a],
    [a, b],
  ] as const) {
    for (const key of ["oneOf", "anyOf"] as const) {
      const branches = union[key];
      if (Array.isArray(branches) && isPlainObjectSchema(other)) {
        const { [key]: _branches, ...rest } = union;
        return { ...rest, [key]: branches.map((branch) => mergeInputs(other, branch as JsonSchema)) };
      }
    }
  }
  if (isPlainObjectSchema(a) && isPlainObjectSchema(b)) return mergeObjects(a, b);
  return { allOf: [a, b] };
}

function mergeObjects(a: JsonSchema, b: JsonSchema): JsonSchema {
  const properties = { ...(a.properties as object), ...(b.properties as object) };
  const required = [...new Set([...asStrings(a.required), ...asStrings(b.required)])];
  const out: JsonSchema = { type: "object", properties };
  // A default applies only when the input may be left out altogether, i.e. every part has one.
  if (isSchema(a.default) && isSchema(b.default)) out.default = { ...a.default, ...b.default };
  if (required.length > 0) out.required = required;
  if (a.additionalProperties === false && b.additionalProperties === false) out.additionalProperties = false;
  for (const key of ["description", "title"] as const) {
    const text = b[key] ?? a[key];
    if (text !== undefined) out[key] = text;
  }
  return out;
}

function asStrings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === "string") : [];
}
