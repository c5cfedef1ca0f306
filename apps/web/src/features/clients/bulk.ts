import {
  type ClientOverride,
  FEATURE_TYPES,
  NO_OVERRIDE,
  OVERRIDABLE_FIELDS,
  type OverridableField,
  type PlatformLimits,
  resolveEffectiveConfig,
} from "@wedsync/core/domain";
import { featureWords } from "@wedsync/ui/words";
import type { ClientFeature } from "./types";
import { FIELD_WORDS, fieldValue } from "./words";

/** The change a bulk configuration makes to every chosen client's feature. */
export type BulkChange =
  | { kind: "enable" }
  | { kind: "disable" }
  /** Each cap: a value to set, or undefined to leave it as it is. */
  | {
      kind: "caps";
      maxRequestsPerDay?: number | undefined;
      maxCostPerDay?: string | undefined;
      rateLimitPerMinute?: number | undefined;
    }
  | { kind: "reset" };

/** A client the change applies to, with its current state of the chosen feature. */
export interface BulkTarget {
  id: string;
  coupleNames: string;
  feature: Pick<ClientFeature, "version" | "override">;
}

/** One value that changes: its effective value before and after, and where each comes from. */
export interface FieldChange {
  field: OverridableField;
  from: string;
  to: string;
  fromInherited: boolean;
  toInherited: boolean;
}

export interface PlannedClient {
  clientId: string;
  name: string;
  expectedVersion: number;
  /** What is sent: only the fields the change sets. */
  overrides: Partial<ClientOverride>;
  /** Empty when the client already has what the change sets. */
  changes: FieldChange[];
}

function patchOf(change: BulkChange): Partial<ClientOverride> {
  switch (change.kind) {
    case "enable":
      return { isEnabled: true };
    case "disable":
      return { isEnabled: false };
    case "reset":
      return { ...NO_OVERRIDE };
    case "caps": {
      const patch: Partial<ClientOverride> = {};
      if (change.maxRequestsPerDay !== undefined) patch.maxRequestsPerDay = change.maxRequestsPerDay;
      if (change.maxCostPerDay !== undefined) patch.maxCostPerDay = change.maxCostPerDay;
      if (change.rateLimitPerMinute !== undefined) patch.rateLimitPerMinute = change.rateLimitPerMinute;
      return patch;
    }
  }
}

/**
 * Every chosen client with every value the change moves (effective value from → to, inherited or
 * the client's own), by the inheritance rule the API applies (core's resolveEffectiveConfig).
 */
export function planBulk(
  targets: readonly BulkTarget[],
  platform: PlatformLimits,
  change: BulkChange,
): PlannedClient[] {
  const patch = patchOf(change);
  return targets.map((t) => {
    const stored = t.feature.override ?? NO_OVERRIDE;
    const next: ClientOverride = { ...stored, ...patch };
    const before = resolveEffectiveConfig(platform, stored);
    const after = resolveEffectiveConfig(platform, next);
    const changes: FieldChange[] = [];
    for (const field of OVERRIDABLE_FIELDS) {
      // A stored value that moves counts even when the effective one does not (an override
      // equal to the platform's value holds if the platform loosens later).
      if (before[field] === after[field] && stored[field] === next[field]) continue;
      changes.push({
        field,
        from: fieldValue(field, before[field]),
        to: fieldValue(field, after[field]),
        fromInherited: before.inherited[field],
        toInherited: after.inherited[field],
      });
    }
    return {
      clientId: t.id,
      name: t.coupleNames,
      expectedVersion: t.feature.version,
      overrides: patch,
      changes,
    };
  });
}

/** "1,000 (inherited) → 200 (override)": one change in words. */
export function changeWords(c: FieldChange): string {
  const source = (inherited: boolean) => (inherited ? "inherited" : "override");
  return `${FIELD_WORDS[c.field]}: ${c.from} (${source(c.fromInherited)}) → ${c.to} (${source(c.toInherited)})`;
}

/** The API's messages name features by code; people read their names. */
export function productWords(message: string): string {
  return FEATURE_TYPES.reduce((m, f) => m.split(f).join(featureWords(f)), message);
}

/** The part of a tRPC error this needs (structural, so tests can build one). */
export interface BulkErrorLike {
  message: string;
  data?: {
    code?: string;
    fieldErrors?: ReadonlyArray<{ field: string; message: string }>;
    details?: unknown;
  } | null;
}

/**
 * A refused bulk change in the supplier's words: each problem under the name of the client it
 * concerns (the API names them `changes.<i>…` by position in what was sent, and by id).
 */
export function describeBulkError(
  error: BulkErrorLike,
  sent: ReadonlyArray<{ clientId: string; name: string }>,
): { summary: string; problems: string[] } {
  const nameAt = (i: number) => sent[i]?.name ?? `Client ${i + 1}`;
  const nameOf = (id: string) => sent.find((s) => s.clientId === id)?.name ?? "A client";
  const byIds = (text: string) => sent.reduce((m, s) => m.split(s.clientId).join(s.name), productWords(text));
  const code = error.data?.code;
  const details = (error.data?.details ?? {}) as {
    conflicts?: Array<{ index: number; clientId: string; currentVersion: number }>;
    clientId?: string;
  };

  if (code === "CONFLICT" && details.conflicts) {
    return {
      summary: "Nothing was saved: someone else changed some of these clients a moment ago.",
      problems: details.conflicts.map(
        (c) => `${nameOf(c.clientId)} was changed by someone else (now at version ${c.currentVersion}).`,
      ),
    };
  }
  if (code === "NOT_FOUND" && details.clientId) {
    return {
      summary: "Nothing was saved: a client could not be found.",
      problems: [`${nameOf(details.clientId)} no longer exists or belongs to another organization.`],
    };
  }
  const fieldErrors = error.data?.fieldErrors ?? [];
  if (fieldErrors.length > 0) {
    return {
      summary: "Nothing was saved: some values are not allowed.",
      problems: fieldErrors.map((f) => {
        const match = /^changes\.(\d+)(?:\.overrides\.(\w+)|\.(\w+))?/.exec(f.field);
        if (!match) return byIds(f.message);
        const field = match[2] as OverridableField | undefined;
        const what = field && field in FIELD_WORDS ? `${FIELD_WORDS[field]}: ` : "";
        return `${nameAt(Number(match[1]))}: ${what}${productWords(f.message)}`;
      }),
    };
  }
  return { summary: byIds(error.message), problems: [] };
}
