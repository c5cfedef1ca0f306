import type { ZonedDateTime } from "@internationalized/date";
import {
  type FeatureType,
  THROTTLE_BOUNDS,
  type ThrottleInput,
  type ThrottleMode,
  type ThrottleScope,
  throttleInputSchemaAt,
} from "@wedsync/core/domain";
import { formatCount } from "@wedsync/ui/format";
import type { FieldError, FieldErrors, Resolver, ResolverResult } from "react-hook-form";

/** How a throttle ends: never by itself, after a while, or at a chosen instant. */
export type Ends = "never" | "after" | "at";

/** The form as typed (text boxes hold strings; the end instant is the picker's value). */
export interface ThrottleValues {
  scope: ThrottleScope;
  organizationId: string;
  /** The chosen organization's name, for the confirmation (the picker fills both). */
  organizationName: string;
  featureType: FeatureType | "";
  mode: ThrottleMode;
  perMinute: string;
  reason: string;
  ends: Ends;
  durationMinutes: string;
  endsAt: ZonedDateTime | null;
}
export type ThrottleField = keyof ThrottleValues;

/** What throttles.set will be sent, and the organization's name to say whom it reaches. */
export interface ThrottleProposal {
  input: ThrottleInput;
  organizationName: string | null;
}

/** The durations offered; longer or odd ones are picked as an end date and time. */
export const DURATIONS = [
  { minutes: 15, label: "15 minutes" },
  { minutes: 30, label: "30 minutes" },
  { minutes: 60, label: "1 hour" },
  { minutes: 120, label: "2 hours" },
  { minutes: 240, label: "4 hours" },
  { minutes: 720, label: "12 hours" },
  { minutes: 1440, label: "1 day" },
  { minutes: 4320, label: "3 days" },
  { minutes: 10080, label: "1 week" },
] as const;

export function emptyValues(organization?: { id: string; name: string } | null): ThrottleValues {
  return {
    scope: "organization",
    organizationId: organization?.id ?? "",
    organizationName: organization?.name ?? "",
    featureType: "",
    mode: "refuse",
    perMinute: "",
    reason: "",
    ends: "never",
    durationMinutes: "60",
    endsAt: null,
  };
}

const wholeNumber = (v: string) => {
  const digits = v.trim().replace(/,/g, "");
  return /^\d+$/.test(digits) ? Number(digits) : Number.NaN;
};

/** The form's values as throttles.set takes them: only the fields the scope and mode use. */
export function inputOf(values: ThrottleValues, now: Date): ThrottleInput {
  const expiresAt =
    values.ends === "after"
      ? new Date(now.getTime() + Number(values.durationMinutes) * 60_000).toISOString()
      : values.ends === "at" && values.endsAt
        ? values.endsAt.toDate().toISOString()
        : null;
  return {
    scope: values.scope,
    ...(values.scope === "organization" && { organizationId: values.organizationId || undefined }),
    ...(values.scope === "feature" && { featureType: values.featureType || undefined }),
    mode: values.mode,
    ...(values.mode === "cap" && {
      perMinute: values.perMinute.trim() ? wholeNumber(values.perMinute) : undefined,
    }),
    reason: values.reason,
    expiresAt,
  };
}

const PER_MINUTE = `Requests a minute must be a whole number from ${formatCount(THROTTLE_BOUNDS.perMinuteMin)} to ${formatCount(THROTTLE_BOUNDS.perMinuteMax)}.`;

/** Core's problem with a field, in words that name the field and its limit. */
export function throttleMessage(field: string, code: string, coreMessage: string): string {
  switch (field) {
    case "organizationId":
      return "Organization: choose one from the list (type part of its name to find it).";
    case "featureType":
      return "Feature: choose the feature to throttle.";
    case "perMinute":
      return PER_MINUTE;
    case "reason":
      return code === "too_big"
        ? `Reason can be at most ${THROTTLE_BOUNDS.reasonMax} characters.`
        : "Reason is required: say why. The organizations affected see it, and the audit keeps it.";
    case "expiresAt":
      if (coreMessage.includes("within"))
        return `Ends must be within ${THROTTLE_BOUNDS.maxExpiryDays} days; choose “Until lifted by hand” for no end.`;
      if (coreMessage.includes("future")) return "Ends must be in the future: choose a later day or time.";
      return `Ends ${coreMessage}.`;
    default:
      return `${field}: ${coreMessage}`;
  }
}

/** The form field that shows a problem core found in an input field. */
function fieldOf(path: string, values: ThrottleValues): ThrottleField {
  if (path === "expiresAt") return values.ends === "after" ? "durationMinutes" : "endsAt";
  return path as ThrottleField;
}

/**
 * Checks the form with core's throttle schema at the clock's time (what throttles.set checks),
 * then hands over the exact input to send. Every problem is shown on its own field.
 */
export function throttleResolver(now: () => Date): Resolver<ThrottleValues, unknown, ThrottleProposal> {
  return async (values): Promise<ResolverResult<ThrottleValues, ThrottleProposal>> => {
    const errors: Partial<Record<ThrottleField, FieldError>> = {};
    const at = now();
    if (values.ends === "at" && values.endsAt === null) {
      errors.endsAt = {
        type: "required",
        message: "Ends: choose the day and time, or “Until lifted by hand”.",
      };
    }
    const parsed = throttleInputSchemaAt(() => at).safeParse(inputOf(values, at));
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        const path = String(issue.path[0] ?? "");
        const field = fieldOf(path, values);
        errors[field] ??= { type: issue.code, message: throttleMessage(path, issue.code, issue.message) };
      }
    }
    if (!parsed.success || Object.keys(errors).length > 0) {
      // The picker's value is an object: react-hook-form types its error as nested, yet shows a flat one.
      return { values: {}, errors: errors as FieldErrors<ThrottleValues> };
    }
    return {
      values: {
        input: parsed.data,
        organizationName: values.scope === "organization" ? values.organizationName || null : null,
      },
      errors: {},
    };
  };
}
