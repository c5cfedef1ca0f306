import type { JsonSchema } from "./json-schema";

/**
 * A valid example value for a JSON Schema, built from the schema alone (pure, deterministic):
 * the first enum value, the lower bounds, a fixed value per format. Objects carry their required
 * properties only, so the example is the smallest input a caller must send; a nested object with
 * no required property gets its first one, so it does not look empty.
 */
export interface ExampleOptions {
  /** The day used for `date` and `date-time` values (default 2026-01-01). */
  date?: string;
}

export const EXAMPLE_UUID = "00000000-0000-4000-8000-000000000000";

const FORMATS: Record<string, (date: string) => string> = {
  uuid: () => EXAMPLE_UUID,
  guid: () => EXAMPLE_UUID,
  date: (date) => date,
  "date-time": (date) => `${date}T00:00:00.000Z`,
  time: () => "12:00:00",
  email: () => "someone@example.com",
  uri: () => "https://example.com/webhook",
  url: () => "https://example.com/webhook",
  hostname: () => "example.com",
  ipv4: () => "192.0.2.1",
  ipv6: () => "2001:db8::1",
};

/** Tried in order against a pattern, when no format says what the string is. */
const PATTERN_CANDIDATES = ["example", "1", "1.00", "2026-01", "2026-01-01", "a", "A", "0", EXAMPLE_UUID];

const isSchema = (value: unknown): value is JsonSchema =>
  typeof value === "object" && value !== null && !Array.isArray(value);

export function exampleFor(schema: JsonSchema | boolean | undefined, opts: ExampleOptions = {}): unknown {
  const root = isSchema(schema) ? schema : {};
  return generate(root, { root, date: opts.date ?? "2026-01-01", depth: 0 });
}

interface Walk {
  root: JsonSchema;
  date: string;
  depth: number;
}

function generate(schema: JsonSchema, walk: Walk): unknown {
  if (walk.depth > 20) return null;
  const inner = { ...walk, depth: walk.depth + 1 };
  const ref = resolveRef(schema, walk.root);
  if (ref) return generate(ref, inner);
  if ("const" in schema) return schema.const;
  if (Array.isArray(schema.enum) && schema.enum.length > 0) return schema.enum[0];
  if (Array.isArray(schema.examples) && schema.examples.length > 0) return schema.examples[0];
  for (const key of ["oneOf", "anyOf"] as const) {
    const branches = schema[key];
    if (Array.isArray(branches) && branches.length > 0) return generate(pickBranch(branches), inner);
  }
  if (Array.isArray(schema.allOf)) {
    const parts = schema.allOf.filter(isSchema).map((part) => generate(part, inner));
    return parts.every(isSchema) ? Object.assign({}, ...parts) : (parts[0] ?? null);
  }
  const type = typeOf(schema);
  // A default is valid by construction; objects are built from their properties instead, so an
  // input that may be left out still shows what it holds.
  if (schema.default !== undefined && type !== "object") return schema.default;
  switch (type) {
    case "object":
      return objectExample(schema, walk);
    case "array":
      return arrayExample(schema, inner);
    case "string":
      return stringExample(schema, walk.date);
    case "integer":
      return numberExample(schema, true);
    case "number":
      return numberExample(schema, false);
    case "boolean":
      return true;
    case "null":
      return null;
    default:
      return null;
  }
}

function resolveRef(schema: JsonSchema, root: JsonSchema): JsonSchema | null {
  if (typeof schema.$ref !== "string" || !schema.$ref.startsWith("#")) return null;
  let node: unknown = root;
  for (const part of schema.$ref.slice(1).split("/").filter(Boolean)) {
    node = isSchema(node) ? node[part.replaceAll("~1", "/").replaceAll("~0", "~")] : undefined;
  }
  return isSchema(node) ? node : null;
}

/**
 * A union's branch to show: never null when there is another, and a constrained branch before a
 * bare string (which often stands for free text that a transform then checks, as amounts do).
 */
function pickBranch(branches: unknown[]): JsonSchema {
  const schemas = branches.filter(isSchema);
  const notNull = schemas.filter((s) => typeOf(s) !== "null");
  const bareString = (s: JsonSchema) =>
    typeOf(s) === "string" && s.format === undefined && s.pattern === undefined && s.enum === undefined;
  return notNull.find((s) => !bareString(s)) ?? notNull[0] ?? schemas[0] ?? {};
}

function typeOf(schema: JsonSchema): string | undefined {
  if (typeof schema.type === "string") return schema.type;
  if (Array.isArray(schema.type)) {
    const types = schema.type.filter((t): t is string => typeof t === "string");
    return types.find((t) => t !== "null") ?? types[0];
  }
  if (isSchema(schema.properties)) return "object";
  if (schema.items !== undefined) return "array";
  return undefined;
}

function objectExample(schema: JsonSchema, walk: Walk): Record<string, unknown> {
  const properties = isSchema(schema.properties) ? schema.properties : {};
  const required = Array.isArray(schema.required) ? schema.required.map(String) : [];
  const names = Object.keys(properties);
  const chosen =
    required.length > 0 ? required : walk.depth > 0 && names.length > 0 ? [names[0] as string] : [];
  const out: Record<string, unknown> = {};
  for (const name of chosen) {
    const property = properties[name];
    out[name] = generate(isSchema(property) ? property : {}, { ...walk, depth: walk.depth + 1 });
  }
  return out;
}

function arrayExample(schema: JsonSchema, walk: Walk): unknown[] {
  const min = typeof schema.minItems === "number" ? schema.minItems : 0;
  const max = typeof schema.maxItems === "number" ? schema.maxItems : Number.POSITIVE_INFINITY;
  const count = Math.min(Math.max(min, 1), max);
  const items = isSchema(schema.items) ? schema.items : {};
  // Several items of an enum take different values, so "each at most once" rules still hold.
  if (Array.isArray(items.enum) && items.enum.length > 0) {
    const values = items.enum;
    return Array.from({ length: count }, (_, i) => values[i % values.length]);
  }
  return Array.from({ length: count }, () => generate(items, walk));
}

function stringExample(schema: JsonSchema, date: string): string {
  const min = typeof schema.minLength === "number" ? schema.minLength : 0;
  const max = typeof schema.maxLength === "number" ? schema.maxLength : Number.POSITIVE_INFINITY;
  const format = typeof schema.format === "string" ? FORMATS[schema.format] : undefined;
  if (format) return format(date);
  // "example", repeated to minLength and cut to maxLength.
  const base = "example";
  const plain = base
    .repeat(Math.ceil(Math.max(min, 1) / base.length))
    .slice(0, Math.min(Math.max(min, base.length), max));
  const pattern = patternOf(schema.pattern);
  if (!pattern) return plain;
  const fits = (s: string) => s.length >= min && s.length <= max && pattern.test(s);
  return PATTERN_CANDIDATES.find(fits) ?? plain;
}

function patternOf(pattern: unknown): RegExp | null {
  if (typeof pattern !== "string") return null;
  try {
    return new RegExp(pattern, "u");
  } catch {
    try {
      return new RegExp(pattern);
    } catch {
      return null;
    }
  }
}

function numberExample(schema: JsonSchema, integer: boolean): number {
  const step = integer ? 1 : 0.01;
  const lower =
    typeof schema.minimum === "number"
      ? schema.minimum
      : typeof schema.exclusiveMinimum === "number"
        ? schema.exclusiveMinimum + step
        : undefined;
  const upper =
    typeof schema.maximum === "number"
      ? schema.maximum
      : typeof schema.exclusiveMaximum === "number"
        ? schema.exclusiveMaximum - step
        : undefined;
  let value = lower ?? (upper !== undefined ? Math.min(0, upper) : 0);
  if (integer) value = Math.ceil(value);
  if (typeof schema.multipleOf === "number" && schema.multipleOf > 0) {
    value = Math.ceil(value / schema.multipleOf) * schema.multipleOf;
  }
  return value;
}
