import { PATCH_FIELDS, type PatchField } from "@wedsync/ui/config-words";
import { errorCode } from "@wedsync/ui/errors";
import type { ConfigPatch, PlatformFeature } from "./types";

/** A save that lost a race: what it started from, what is stored now (theirs), and what it wanted (mine). */
export interface Conflict {
  base: PlatformFeature;
  theirs: PlatformFeature;
  mine: ConfigPatch;
}

export interface ConflictRow {
  field: PatchField;
  base: unknown;
  theirs: unknown;
  /** The value this person wanted, when they changed this field. */
  mine: unknown;
  theyChanged: boolean;
  youChanged: boolean;
}

const same = (a: unknown, b: unknown) => a === b;

/** The stored configuration a CONFLICT answer carries (details.current), or null for any other error. */
export function conflictOf(error: unknown): PlatformFeature | null {
  if (errorCode(error) !== "CONFLICT") return null;
  const details = (error as { data?: { details?: { current?: PlatformFeature } | null } }).data?.details;
  return details?.current ?? null;
}

/** Field by field: every setting the other person changed, and every one this person wants to change. */
export function conflictRows({ base, theirs, mine }: Conflict): ConflictRow[] {
  return PATCH_FIELDS.flatMap((field) => {
    const theyChanged = !same(base[field], theirs[field]);
    const youChanged = field in mine && mine[field] !== undefined;
    if (!theyChanged && !youChanged) return [];
    return [{ field, base: base[field], theirs: theirs[field], mine: mine[field], theyChanged, youChanged }];
  });
}

/**
 * Re-applying this person's change on top of the other's: only the settings they changed, and of
 * those only the ones that still differ from what is stored now (their change may already agree).
 */
export function reapplyPatch({ theirs, mine }: Conflict): ConfigPatch {
  const patch: ConfigPatch = {};
  for (const field of PATCH_FIELDS) {
    const value = mine[field];
    if (value !== undefined && !same(value, theirs[field])) (patch as Record<string, unknown>)[field] = value;
  }
  return patch;
}
