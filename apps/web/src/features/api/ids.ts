import type { ReferenceProcedure } from "./words";

export interface RealIds {
  organizationId: string;
  /** A client (wedding) of the organization, when it has one. */
  clientId: string | null;
}

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);

/** Whether the input takes an organizationId (at the top, or in any branch of a union). */
function takesOrganization(schema: ReferenceProcedure["input"]): boolean {
  if (!schema) return false;
  const branches = [schema, ...(["oneOf", "anyOf", "allOf"] as const).flatMap((k) => schema[k] ?? [])];
  return branches.some((b) => isRecord(b) && isRecord(b.properties) && "organizationId" in b.properties);
}

function replaceClientIds(value: unknown, clientId: string): unknown {
  if (Array.isArray(value)) return value.map((v) => replaceClientIds(v, clientId));
  if (!isRecord(value)) return value;
  return Object.fromEntries(
    Object.entries(value).map(([k, v]) => [
      k,
      k === "clientId" && typeof v === "string" ? clientId : replaceClientIds(v, clientId),
    ]),
  );
}

/**
 * The generated example with the organization's own ids, so "Try it" works as it stands: the
 * organization in the URL (first, as every org-scoped call sends it) and a real client wherever
 * the example names one.
 */
export function withRealIds(procedure: ReferenceProcedure, ids: RealIds): unknown {
  const example = procedure.example;
  if (!isRecord(example)) return example;
  const own = ids.clientId ? (replaceClientIds(example, ids.clientId) as Record<string, unknown>) : example;
  if (!takesOrganization(procedure.input)) return own;
  const { organizationId: _placeholder, ...rest } = own;
  return { organizationId: ids.organizationId, ...rest };
}
