import type { AnyProcedure, AnyRouter } from "@trpc/server";
import { PROCEDURE_ACCESS, type ProcedureAccess, type ProcedureMeta } from "../trpc";
import { exampleFor } from "./example";
import { type JsonSchema, procedureInputSchema } from "./json-schema";

/**
 * The API reference, generated from the router itself: every procedure with its type, who may
 * call it (from the builder it was made with), its input as JSON Schema and an example input.
 * Nothing here is written by hand per procedure, so it cannot drift from the API.
 */
export interface ReferenceProcedure {
  /** Dotted path, as in the URL: /trpc/<path>. */
  path: string;
  /** The top-level router it belongs to. */
  group: string;
  type: "query" | "mutation" | "subscription";
  access: ProcedureAccess;
  /** Client-level: acts on one wedding (`clients.*`); platform-level: the organization or the platform. */
  level: "platform" | "client";
  staffOnly: boolean;
  description: string | null;
  /** The input's JSON Schema; null when the procedure takes none. */
  input: JsonSchema | null;
  /** A valid input for that schema (null when there is no input). */
  example: unknown;
}

export interface ReferenceDocument {
  /** Top-level routers, in the order the API declares them. */
  groups: string[];
  procedures: ReferenceProcedure[];
}

/** The router whose procedures are client-level: each call names one client (wedding). */
const CLIENT_LEVEL_GROUP = "clients";

export function buildReference(router: AnyRouter): ReferenceDocument {
  const procedures: ReferenceProcedure[] = [];
  for (const [path, procedure] of Object.entries(router._def.procedures as Record<string, AnyProcedure>)) {
    const def = procedure._def;
    const meta = (def.meta ?? {}) as ProcedureMeta;
    if (!meta.access || !PROCEDURE_ACCESS.includes(meta.access)) {
      // Every builder in trpc.ts sets its access: a procedure without one was made another way.
      throw new Error(`procedure ${path} has no access level (build it from a procedure in trpc.ts)`);
    }
    const group = path.split(".")[0] as string;
    const input = procedureInputSchema(def.inputs);
    procedures.push({
      path,
      group,
      type: def.type,
      access: meta.access,
      level: group === CLIENT_LEVEL_GROUP ? "client" : "platform",
      staffOnly: meta.access === "staff",
      description: meta.description ?? null,
      input,
      example: input ? exampleFor(input) : null,
    });
  }
  return { groups: [...new Set(procedures.map((p) => p.group))], procedures };
}

const built = new WeakMap<AnyRouter, ReferenceDocument>();

/** The reference of `router`, generated once per process (the router does not change while it runs). */
export function referenceOf(router: AnyRouter): ReferenceDocument {
  let doc = built.get(router);
  if (!doc) {
    doc = buildReference(router);
    built.set(router, doc);
  }
  return doc;
}
