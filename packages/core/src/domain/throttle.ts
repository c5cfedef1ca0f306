import { z } from "zod";
import { FEATURE_TYPES, type FeatureType } from "./codes";
import { LIMIT_BOUNDS } from "./limits";

/**
 * Emergency throttling: platform staff refuse or cap new AI requests of one organization, of one
 * feature everywhere, or of the whole platform, for a reason and until an optional expiry.
 * Pure rules here (browser-safe: the admin app's form uses the schema); the API keeps the active
 * throttles in memory and checks them first in admission.
 */
export const THROTTLE_SCOPES = ["organization", "feature", "platform"] as const;
export type ThrottleScope = (typeof THROTTLE_SCOPES)[number];

/** refuse: no new AI request is admitted; cap: at most `perMinute` a minute, counted across instances. */
export const THROTTLE_MODES = ["refuse", "cap"] as const;
export type ThrottleMode = (typeof THROTTLE_MODES)[number];

export const THROTTLE_BOUNDS = {
  perMinuteMin: 1,
  perMinuteMax: LIMIT_BOUNDS.rateLimitPerMinute,
  reasonMax: 500,
  /** An expiry further ahead than this is a mistake, not an emergency measure: leave it open-ended. */
  maxExpiryDays: 365,
} as const;

/** What a refusal without an expiry tells the caller to wait before asking again. */
export const OPEN_ENDED_RETRY_AFTER_SECONDS = 60;

/** A throttle as the rules see it (a row of ai_throttles). */
export interface Throttle {
  id: string;
  scope: ThrottleScope;
  /** Set exactly for organization throttles. */
  organizationId: string | null;
  /** Set exactly for feature throttles. */
  featureType: FeatureType | null;
  mode: ThrottleMode;
  /** Set exactly for caps. */
  perMinute: number | null;
  reason: string;
  expiresAt: Date | null;
  createdAt: Date;
  liftedAt: Date | null;
}

export type ThrottleStatus = "active" | "expired" | "lifted";

/** Lifted by hand, past its expiry, or still in force at `now`. */
export function throttleStatus(t: Pick<Throttle, "expiresAt" | "liftedAt">, now: Date): ThrottleStatus {
  if (t.liftedAt !== null) return "lifted";
  if (t.expiresAt !== null && t.expiresAt.getTime() <= now.getTime()) return "expired";
  return "active";
}

/**
 * The throttles in force at `now` that reach a request of `organizationId` for `featureType`:
 * its organization's, its feature's, the platform's. Without a feature, every feature throttle
 * reaches it (what an organization sees on its banner). Lifted and expired ones never apply.
 */
export function throttlesApplying<T extends Throttle>(
  throttles: readonly T[],
  target: { organizationId: string; featureType?: FeatureType | null | undefined },
  now: Date,
): T[] {
  return throttles.filter((t) => {
    if (throttleStatus(t, now) !== "active") return false;
    if (t.scope === "platform") return true;
    if (t.scope === "feature") return target.featureType == null || t.featureType === target.featureType;
    return t.organizationId === target.organizationId;
  });
}

/**
 * Negative when `a` is stricter than `b`: a refusal beats any cap; of two refusals the one that
 * lasts longer (open-ended longest), since the request stays refused until it ends; of two caps
 * the smaller. Ties are broken by id, so the order is total and stable.
 */
export function compareStrictness(a: Throttle, b: Throttle): number {
  if (a.mode !== b.mode) return a.mode === "refuse" ? -1 : 1;
  if (a.mode === "refuse") {
    const end = (t: Throttle) => t.expiresAt?.getTime() ?? Number.POSITIVE_INFINITY;
    if (end(a) !== end(b)) return end(a) > end(b) ? -1 : 1;
  } else if (a.perMinute !== b.perMinute) {
    return (a.perMinute ?? 0) - (b.perMinute ?? 0);
  }
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/** The strictest of the throttles (see compareStrictness), or null when there are none. */
export function strictest<T extends Throttle>(throttles: readonly T[]): T | null {
  let best: T | null = null;
  for (const t of throttles) if (best === null || compareStrictness(t, best) < 0) best = t;
  return best;
}

/**
 * The caps among the throttles, strictest (smallest) first: admission counts a request against
 * each in this order and stops at the first that is full, so the smaller cap decides and a
 * request it refuses takes no slot of the larger ones.
 */
export function capsStrictestFirst<T extends Throttle>(throttles: readonly T[]): T[] {
  return throttles.filter((t) => t.mode === "cap").sort(compareStrictness);
}

/**
 * Whole seconds a refused caller should wait: until the refusal expires (at least 1), or
 * OPEN_ENDED_RETRY_AFTER_SECONDS when it has no expiry.
 */
export function refusalRetryAfterSeconds(t: Pick<Throttle, "expiresAt">, now: Date): number {
  if (t.expiresAt === null) return OPEN_ENDED_RETRY_AFTER_SECONDS;
  return Math.max(1, Math.ceil((t.expiresAt.getTime() - now.getTime()) / 1000));
}

/** Where a throttle reaches, in words: "this organization", "field extraction on every organization", "the whole platform". */
export function throttleScopeWords(t: Pick<Throttle, "scope" | "featureType">): string {
  switch (t.scope) {
    case "organization":
      return "this organization";
    case "feature":
      return `${(t.featureType ?? "one feature").replaceAll("_", " ")} on every organization`;
    case "platform":
      return "the whole platform";
  }
}

/** The caller's message for a request a throttle turned away (the API's words; the apps have their own). */
export function throttledMessage(t: Throttle, retryAfterSeconds: number): string {
  const until = t.expiresAt ? ` until ${t.expiresAt.toISOString()}` : "";
  const what =
    t.mode === "refuse"
      ? `AI requests are paused by WedSync for ${throttleScopeWords(t)}${until}`
      : `AI requests are limited by WedSync to ${t.perMinute} a minute for ${throttleScopeWords(t)}${until}, and this minute's are used up`;
  return `${what} (reason: ${t.reason}); retry in ${retryAfterSeconds} s`;
}

/** The problem with an expiry at `now`, or null: it must lie ahead, and not absurdly far. */
export function throttleExpiryProblem(expiresAt: Date, now: Date): string | null {
  if (Number.isNaN(expiresAt.getTime())) return "must be a date and time";
  if (expiresAt.getTime() <= now.getTime()) return "must be in the future";
  if (expiresAt.getTime() - now.getTime() > THROTTLE_BOUNDS.maxExpiryDays * 86_400_000)
    return `must be within ${THROTTLE_BOUNDS.maxExpiryDays} days; leave it empty for no expiry`;
  return null;
}

const shape = z.object({
  scope: z.enum(THROTTLE_SCOPES).describe("organization, feature (everywhere) or platform"),
  organizationId: z.uuid().optional().describe("The organization, for an organization throttle only."),
  featureType: z.enum(FEATURE_TYPES).optional().describe("The feature, for a feature throttle only."),
  mode: z.enum(THROTTLE_MODES).describe("refuse new AI requests, or cap them at perMinute a minute"),
  perMinute: z
    .number()
    .int("must be a whole number")
    .min(THROTTLE_BOUNDS.perMinuteMin, `must be at least ${THROTTLE_BOUNDS.perMinuteMin}`)
    .max(THROTTLE_BOUNDS.perMinuteMax, `must be at most ${THROTTLE_BOUNDS.perMinuteMax}`)
    .optional()
    .describe("Requests a minute a cap lets through, across every instance; caps only."),
  reason: z
    .string()
    .trim()
    .min(1, "say why, for the organizations affected and the audit")
    .max(THROTTLE_BOUNDS.reasonMax, `at most ${THROTTLE_BOUNDS.reasonMax} characters`)
    // One line of words for a banner (and PostgreSQL text cannot hold NUL at all).
    .refine((s) => ![...s].some((ch) => ch.charCodeAt(0) < 32 || ch.charCodeAt(0) === 127), {
      message: "one line of text, without control characters",
    })
    .describe("Why: shown to every affected organization and kept in the audit."),
  expiresAt: z.iso
    .datetime({ offset: true, error: "must be a date and time (ISO 8601)" })
    .nullish()
    .describe("When it lifts by itself (in the future); none: until lifted by hand."),
});
export type ThrottleInput = z.infer<typeof shape>;

/** The fields each scope and mode needs, and only those; each problem names its field. */
function checkCombination(v: Partial<ThrottleInput>, ctx: z.RefinementCtx): void {
  const issue = (path: keyof ThrottleInput, message: string) =>
    ctx.addIssue({ code: "custom", path: [path], message });
  if (v.scope === "organization" && !v.organizationId)
    issue("organizationId", "required for an organization throttle");
  if (v.scope !== "organization" && v.organizationId !== undefined)
    issue("organizationId", "only for an organization throttle");
  if (v.scope === "feature" && !v.featureType) issue("featureType", "required for a feature throttle");
  if (v.scope !== "feature" && v.featureType !== undefined)
    issue("featureType", "only for a feature throttle");
  if (v.mode === "cap" && v.perMinute === undefined) issue("perMinute", "required for a cap");
  if (v.mode === "refuse" && v.perMinute !== undefined)
    issue("perMinute", "only for a cap; a refusal lets no request through");
}

/** A throttle to set, without the clock: its fields, and which each scope and mode needs. */
export const throttleInputSchema = shape.superRefine(checkCombination);

/**
 * The same with the expiry checked against the clock (in the future, within the bound): what
 * throttles.set accepts, and what a form checks before sending.
 */
export function throttleInputSchemaAt(now: () => Date) {
  return shape.superRefine((v, ctx) => {
    checkCombination(v, ctx);
    if (v.expiresAt) {
      const problem = throttleExpiryProblem(new Date(v.expiresAt), now());
      if (problem) ctx.addIssue({ code: "custom", path: ["expiresAt"], message: problem });
    }
  });
}
