/**
 * The smallest value that satisfies a (strict-mode style) JSON schema: null where nullable,
 * [] for arrays, 0 / "" / false for scalars, the first enum entry, every object property present.
 * Enough for structured-output requests to parse against the schema the client sent.
 */
type Schema = Record<string, unknown>;

const isSchema = (v: unknown): v is Schema => typeof v === "object" && v !== null && !Array.isArray(v);

/** Candidates for strings with a pattern; the first the pattern accepts wins. */
const PATTERN_CANDIDATES = ["", "0", "0.00", "2000-01-01", "00:00", "AAA", "a", "a@example.com"];

export function sampleFor(schema: unknown, root: unknown = schema, depth = 0): unknown {
  if (!isSchema(schema) || depth > 64) return null;
  if (typeof schema.$ref === "string") return sampleFor(resolveRef(root, schema.$ref), root, depth + 1);
  if ("const" in schema) return schema.const;
  if (Array.isArray(schema.enum)) return schema.enum[0] ?? null;

  const variants = (schema.anyOf ?? schema.oneOf) as unknown[] | undefined;
  if (Array.isArray(variants)) {
    if (variants.some((v) => isSchema(v) && v.type === "null")) return null;
    return sampleFor(variants[0], root, depth + 1);
  }
  if (Array.isArray(schema.allOf) && schema.allOf.length > 0) {
    return sampleFor(Object.assign({}, ...schema.allOf), root, depth + 1);
  }

  const types = Array.isArray(schema.type) ? (schema.type as string[]) : [schema.type as string | undefined];
  if (types.includes("null")) return null;
  const type = types[0] ?? (isSchema(schema.properties) ? "object" : undefined);
  switch (type) {
    case "object": {
      const out: Record<string, unknown> = {};
      const props = isSchema(schema.properties) ? schema.properties : {};
      for (const [key, sub] of Object.entries(props)) out[key] = sampleFor(sub, root, depth + 1);
      return out;
    }
    case "array": {
      const min = typeof schema.minItems === "number" ? schema.minItems : 0;
      return Array.from({ length: min }, () => sampleFor(schema.items, root, depth + 1));
    }
    case "integer":
    case "number": {
      const min = typeof schema.minimum === "number" ? schema.minimum : null;
      const exMin = typeof schema.exclusiveMinimum === "number" ? schema.exclusiveMinimum : null;
      if (exMin !== null && exMin >= 0) return type === "integer" ? Math.floor(exMin) + 1 : exMin + 1;
      if (min !== null && min > 0) return type === "integer" ? Math.ceil(min) : min;
      return 0;
    }
    case "boolean":
      return false;
    case "string": {
      const minLength = typeof schema.minLength === "number" ? schema.minLength : 0;
      if (typeof schema.pattern === "string") {
        let re: RegExp | null = null;
        try {
          re = new RegExp(schema.pattern, "u");
        } catch {
          re = null;
        }
        const hit = re ? PATTERN_CANDIDATES.find((c) => re.test(c) && c.length >= minLength) : undefined;
        if (hit !== undefined) return hit;
      }
      return "a".repeat(minLength);
    }
    default:
      return null;
  }
}

function resolveRef(root: unknown, ref: string): unknown {
  if (!ref.startsWith("#")) return null;
  let node: unknown = root;
  for (const part of ref.slice(1).split("/").filter(Boolean)) {
    if (!isSchema(node)) return null;
    node = node[part.replaceAll("~1", "/").replaceAll("~0", "~")];
  }
  return node;
}
