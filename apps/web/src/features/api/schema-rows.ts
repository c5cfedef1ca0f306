/** A JSON Schema read loosely (the reference's input schemas, as zod writes them). */
export type Schema = { [keyword: string]: unknown };

export interface SchemaRow {
  /** Dotted path of the field; "[]" stands for each item of a list. */
  name: string;
  depth: number;
  type: string;
  required: boolean;
  /** Bounds, formats, default: in words. */
  rules: string[];
  description: string | null;
}

const isSchema = (v: unknown): v is Schema => typeof v === "object" && v !== null && !Array.isArray(v);
const num = (v: unknown) => (typeof v === "number" ? v : undefined);

function range(min: number | undefined, max: number | undefined, unit: string): string | null {
  if (min !== undefined && max !== undefined)
    return min === max ? `exactly ${min} ${unit}` : `${min}–${max} ${unit}`;
  if (min !== undefined) return `at least ${min} ${unit}`;
  if (max !== undefined) return `at most ${max} ${unit}`;
  return null;
}

/** The branches of a union, nulls taken out (said as "or null" instead). */
function unionOf(s: Schema): { branches: Schema[]; nullable: boolean } | null {
  const list = s.anyOf ?? s.oneOf;
  if (!Array.isArray(list)) return null;
  const schemas = list.filter(isSchema);
  const branches = schemas.filter((b) => b.type !== "null");
  return { branches, nullable: branches.length < schemas.length };
}

/** A schema's type in a few words: "text (uuid)", "whole number", "list of text", "one of a, b". */
export function typeWords(s: Schema): string {
  if ("const" in s) return `exactly ${JSON.stringify(s.const)}`;
  if (Array.isArray(s.enum)) return `one of ${s.enum.map((v) => JSON.stringify(v)).join(", ")}`;
  const union = unionOf(s);
  if (union) {
    const words = union.branches.map(typeWords).join(" or ");
    return union.nullable ? `${words || "any"} or null` : words;
  }
  const type = Array.isArray(s.type) ? s.type.join(" or ") : s.type;
  switch (type) {
    case "string":
      return typeof s.format === "string" ? `text (${s.format})` : "text";
    case "integer":
      return "whole number";
    case "number":
      return "number";
    case "boolean":
      return "true or false";
    case "null":
      return "null";
    case "array":
      return `list of ${isSchema(s.items) ? typeWords(s.items) : "values"}`;
    case "object":
      return "object";
    default:
      return typeof type === "string" ? type : "any JSON value";
  }
}

function rulesOf(s: Schema): string[] {
  const rules = [
    range(num(s.minLength), num(s.maxLength), "characters"),
    range(num(s.minimum), num(s.maximum), "(inclusive)"),
    num(s.exclusiveMinimum) !== undefined ? `more than ${s.exclusiveMinimum}` : null,
    num(s.exclusiveMaximum) !== undefined ? `less than ${s.exclusiveMaximum}` : null,
    range(num(s.minItems), num(s.maxItems), "items"),
    // A format already says what a pattern would (uuid, date).
    typeof s.pattern === "string" && s.format === undefined ? `matches ${s.pattern}` : null,
    s.additionalProperties === false ? "no other fields" : null,
    s.default !== undefined ? `default ${JSON.stringify(s.default)}` : null,
  ];
  return rules.filter((r): r is string => r !== null);
}

/** The object (or list of objects) a field holds, whose fields are listed under it. */
function nestedObject(s: Schema): { schema: Schema; prefix: string } | null {
  const union = unionOf(s);
  const single = union && union.branches.length === 1 ? union.branches[0]! : s;
  if (single.type === "object" && isSchema(single.properties)) return { schema: single, prefix: "" };
  if (single.type === "array" && isSchema(single.items) && isSchema(single.items.properties)) {
    return { schema: single.items, prefix: "[]" };
  }
  return null;
}

/** Every field of an object schema, nested fields under their parent with dotted names. */
export function schemaRows(schema: Schema, parent = "", depth = 0): SchemaRow[] {
  const properties = isSchema(schema.properties) ? schema.properties : {};
  const required = new Set(Array.isArray(schema.required) ? schema.required.map(String) : []);
  const rows: SchemaRow[] = [];
  for (const [key, value] of Object.entries(properties)) {
    const field = isSchema(value) ? value : {};
    const name = parent ? `${parent}.${key}` : key;
    rows.push({
      name,
      depth,
      type: typeWords(field),
      required: required.has(key),
      rules: rulesOf(field),
      description: typeof field.description === "string" ? field.description : null,
    });
    const nested = nestedObject(field);
    if (nested && depth < 6) rows.push(...schemaRows(nested.schema, `${name}${nested.prefix}`, depth + 1));
  }
  return rows;
}

/**
 * The shapes an input may take: one for an object, one per branch for a union (each branch's
 * constant fields name it, e.g. featureType = "pdf_analysis").
 */
export function inputVariants(schema: Schema): Array<{ title: string | null; rows: SchemaRow[] }> {
  const union = unionOf(schema);
  if (union && union.branches.length > 1) {
    return union.branches.map((branch, i) => {
      const constants = Object.entries(isSchema(branch.properties) ? branch.properties : {})
        .filter(([, v]) => isSchema(v) && "const" in v)
        .map(([k, v]) => `${k} = ${JSON.stringify((v as Schema).const)}`);
      return {
        title: constants.length > 0 ? `When ${constants.join(", ")}` : `Shape ${i + 1}`,
        rows: schemaRows(branch),
      };
    });
  }
  return [{ title: null, rows: schemaRows(schema) }];
}
