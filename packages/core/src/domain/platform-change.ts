import type { ClientOverride, PlatformLimits } from "./config-types";
import { clampOnPlatformChange } from "./constraints";
import { compareAmounts } from "./money";

/**
 * A change of one feature's platform configuration in several organizations at once (platform
 * staff): what it would change, computed the same way for the confirmation dialog (a preview) and
 * for the change itself, so the dialog shows exactly what then happens.
 */

/** The fields a change across organizations may set: the feature switch and its limits. */
export const BULK_CHANGE_FIELDS = [
  "isEnabled",
  "maxRequestsPerDay",
  "maxCostPerDay",
  "rateLimitPerMinute",
  "model",
] as const;
export type BulkChangeField = (typeof BULK_CHANGE_FIELDS)[number];
export type BulkChangePatch = Partial<Pick<PlatformLimits, BulkChangeField>>;

/**
 * Change-history entries per page on the supplier's configuration screen: the screen asks for this
 * many and the server writes the same first page into the page it serves, so both agree.
 */
export const CHANGE_HISTORY_PAGE = 20;

/** The most organizations one change may touch: a tier's worth today, still one confirmation dialog. */
export const MAX_BULK_ORGANIZATIONS = 100;

export type ConfigValue = string | number | boolean | null;

/** One value that changes (or changed): from → to. */
export interface FieldChange {
  field: string;
  from: ConfigValue;
  to: ConfigValue;
}

function sameValue(field: BulkChangeField, a: ConfigValue, b: ConfigValue): boolean {
  // Amounts compare by value: "25.5" and "25.50" are the same limit.
  if (field === "maxCostPerDay" && typeof a === "string" && typeof b === "string")
    return compareAmounts(a, b) === 0;
  return a === b;
}

/**
 * The platform configuration after `patch`, and each value that differs from `current`, in
 * BULK_CHANGE_FIELDS order. No changes means saving the patch is a no-op (no new version).
 */
export function planPlatformChange(
  current: PlatformLimits,
  patch: BulkChangePatch,
): { next: PlatformLimits; changes: FieldChange[] } {
  const next: PlatformLimits = { ...current };
  const changes: FieldChange[] = [];
  for (const field of BULK_CHANGE_FIELDS) {
    const to = patch[field];
    if (to === undefined || sameValue(field, current[field], to)) continue;
    changes.push({ field, from: current[field], to });
    (next as unknown as Record<string, ConfigValue>)[field] = to;
  }
  return { next, changes };
}

/** A client override the change clamps: each of its values that moves. */
export interface ClampedClient<T extends ClientOverride> {
  override: T;
  changes: FieldChange[];
}

/**
 * The cascade a platform change causes, as changes per client (clampOnPlatformChange's rule: the
 * overrides the new limits no longer allow). Nothing when the platform does not change.
 */
export function clampedByChange<T extends ClientOverride>(
  current: PlatformLimits,
  patch: BulkChangePatch,
  overrides: readonly T[],
): ClampedClient<T>[] {
  const { next, changes } = planPlatformChange(current, patch);
  if (changes.length === 0) return [];
  return clampOnPlatformChange(next, overrides).map(({ before, after, fields }) => ({
    override: before,
    changes: fields.map((field) => ({ field, from: before[field], to: after[field] })),
  }));
}

const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);

function flatten(value: Record<string, unknown> | null, prefix = "", out = new Map<string, unknown>()) {
  for (const [key, v] of Object.entries(value ?? {})) {
    const path = prefix ? `${prefix}.${key}` : key;
    // An empty object holds no value (settings never set), so {} → {a: 1} is one change, "a".
    if (isPlainObject(v)) flatten(v, path, out);
    else out.set(path, v);
  }
  return out;
}

function asConfigValue(v: unknown): ConfigValue {
  if (v === undefined || v === null) return null;
  if (typeof v === "string" || typeof v === "number" || typeof v === "boolean") return v;
  return JSON.stringify(v);
}

/** What an entry is about, not what it changed. */
const IDENTITY_FIELDS = ["featureType", "clientId"];

/** The order a diff lists fields in: the limits in the order screens show them, then the rest. */
const FIELD_ORDER = [
  "isEnabled",
  "maxRequestsPerDay",
  "maxCostPerDay",
  "rateLimitPerMinute",
  "priorityLevel",
  "model",
];

function fieldRank(path: string): number {
  const rank = FIELD_ORDER.indexOf(path.slice(path.lastIndexOf(".") + 1));
  return rank === -1 ? FIELD_ORDER.length : rank;
}

/**
 * What an audit entry changed, field by field (nested settings as dotted paths, e.g.
 * "overrides.maxRequestsPerDay"): every value whose before and after differ. The limits come in
 * the order of planPlatformChange (stored snapshots do not keep their key order), then the other
 * fields by path. A creation (no before) lists every value from null. The feature and client an
 * entry is about are not changes.
 */
export function auditDiff(
  before: Record<string, unknown> | null,
  after: Record<string, unknown> | null,
): FieldChange[] {
  const was = flatten(before);
  const now = flatten(after);
  const fields = [...new Set([...now.keys(), ...was.keys()])]
    .filter((f) => !IDENTITY_FIELDS.includes(f))
    .sort((a, b) => fieldRank(a) - fieldRank(b) || (a < b ? -1 : a > b ? 1 : 0));
  const changes: FieldChange[] = [];
  for (const field of fields) {
    const from = asConfigValue(was.get(field));
    const to = asConfigValue(now.get(field));
    if (JSON.stringify(from) !== JSON.stringify(to)) changes.push({ field, from, to });
  }
  return changes;
}
