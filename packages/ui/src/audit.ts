import { fieldWords, PATCH_FIELDS, type PatchField, valueWords } from "./config-words";
import { formatCount } from "./format";
import { featureWords } from "./words";

/**
 * Configuration audit entries in words, for both apps: the supplier app's change history
 * (platform.audit.list) and the admin app's audit across organizations (admin.audit.list).
 */
export interface DiffLine {
  field: string;
  label: string;
  /** Null for a setting that did not exist before (a first setup): only its value is shown. */
  before: string | null;
  after: string;
}

/** What both audit lists say of an entry. */
export interface AuditLike {
  action: string;
  entityKind: string;
  before: unknown;
  after: unknown;
  /** The client (wedding) a client-level entry is about, when the list names it. */
  clientName?: string | null;
}

type Snapshot = Record<string, unknown> | null;

/** Identity, not settings: never shown as a change. */
const IDENTITY = new Set(["featureType", "clientId", "organizationId"]);

/** A snapshot's settings, a client's overrides flattened beside its other settings. */
function settingsOf(snapshot: Snapshot): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(snapshot ?? {})) {
    if (IDENTITY.has(key)) continue;
    if (key === "overrides" && value && typeof value === "object") Object.assign(out, value);
    else out[key] = value;
  }
  return out;
}

function describe(field: string, value: unknown): string {
  // Client settings objects (glossary, preferences…): said as a whole; their screen shows the detail.
  if (value !== null && typeof value === "object")
    return Object.keys(value).length === 0 ? "none" : "custom settings";
  return valueWords(field, value);
}

const isEmpty = (v: unknown) =>
  v === null || v === undefined || (typeof v === "object" && Object.keys(v).length === 0);

/** What an audit entry changed, setting by setting (before → after). */
export function auditDiff(entry: Pick<AuditLike, "before" | "after">): DiffLine[] {
  const before = settingsOf(entry.before as Snapshot);
  const after = settingsOf(entry.after as Snapshot);
  const created = entry.before === null;
  const fields = [...new Set([...Object.keys(before), ...Object.keys(after)])];
  return fields.flatMap((field) => {
    if (JSON.stringify(before[field]) === JSON.stringify(after[field])) return [];
    // A first setup lists what it set, not the settings it left empty.
    if (created && (isEmpty(after[field]) || !(field in after))) return [];
    return [
      {
        field,
        label: fieldWords(field),
        before: created ? null : describe(field, before[field]),
        after: describe(field, after[field]),
      },
    ];
  });
}

/** The feature an entry is about, or null (a throttle of one organization or of the whole platform). */
export function featureOf(entry: Pick<AuditLike, "after">): string | null {
  const f = (entry.after as Snapshot)?.featureType;
  return typeof f === "string" ? f : null;
}

/** Where a throttle reached, as its entry records it. */
function throttleReach(after: Snapshot): string {
  switch (after?.scope) {
    case "feature":
      return `${featureWords(String(after.featureType))} on every organization`;
    case "platform":
      return "the whole platform";
    default:
      return "this organization";
  }
}

function throttleWords(entry: Pick<AuditLike, "action" | "after">): string {
  const after = entry.after as Snapshot;
  if (after?.liftedAt) return `lifted the emergency throttle on ${throttleReach(after)}`;
  if (entry.action !== "create") return `changed the emergency throttle on ${throttleReach(after)}`;
  return after?.mode === "cap"
    ? `limited AI requests to ${formatCount(Number(after.perMinute))} a minute for ${throttleReach(after)}`
    : `paused AI requests for ${throttleReach(after)}`;
}

/** What happened, in words: "changed Field extraction", "switched PDF analysis off". */
export function actionWords(
  entry: Pick<AuditLike, "action" | "entityKind" | "after" | "clientName">,
): string {
  if (entry.entityKind === "throttle") return throttleWords(entry);
  const feature = featureOf(entry);
  const who = entry.clientName ?? "a client";
  const name = feature ? featureWords(feature) : "a feature";
  const client = entry.entityKind === "client_config";
  switch (entry.action) {
    case "toggle":
      return `switched ${name} ${(entry.after as Snapshot)?.isEnabled ? "on" : "off"}`;
    case "rollback":
      return `rolled ${name} back to an earlier version`;
    case "create":
      return client ? `set ${who}'s own ${name} settings` : `set up ${name}`;
    case "cascade_clamp":
      return `lowered ${who}'s ${name} override to fit the organization's new limits`;
    default:
      return client ? `changed ${who}'s ${name} settings` : `changed ${name}`;
  }
}

/** Who made a change in the supplier app's history: you, a person by name, an API key by name, or WedSync itself. */
export function actorWords(
  entry: {
    actorUserId: string | null;
    actorApiKeyId: string | null;
    actorName?: string | null;
    apiKeyName?: string | null;
  },
  myUserId: string,
): string {
  if (entry.actorUserId && entry.actorUserId === myUserId) return "You";
  if (entry.actorUserId) return entry.actorName ?? "A former team member";
  if (entry.actorApiKeyId) return entry.apiKeyName ? `API key “${entry.apiKeyName}”` : "An API key";
  return "WedSync";
}

/**
 * What rolling back to an entry would change now: each setting whose stored value differs from
 * the one the entry recorded (current → restored). Empty: the settings already match it.
 */
export function rollbackChanges(
  current: { readonly [F in PatchField]: unknown },
  entry: Pick<AuditLike, "after">,
): DiffLine[] {
  const restored = entry.after as Record<string, unknown>;
  return PATCH_FIELDS.flatMap((field) => {
    if (!(field in restored) || restored[field] === current[field]) return [];
    return [
      {
        field,
        label: fieldWords(field),
        before: valueWords(field, current[field]),
        after: valueWords(field, restored[field]),
      },
    ];
  });
}
