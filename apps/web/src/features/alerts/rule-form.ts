import { MAX_THRESHOLDS, THRESHOLD_RANGES, thresholdProblems } from "@wedsync/core/domain";
import { z } from "zod";
import { ALERT_KINDS, type AlertKind, type AlertRule } from "./words";

/** The rule form as typed: thresholds as the text "80, 100"; an empty URL means no webhook. */
export interface RuleFormValues {
  kind: AlertKind;
  thresholds: string;
  webhookUrl: string;
  enabled: boolean;
  /** Edit only: sign deliveries with a new secret from now on (shown once). */
  replaceSecret: boolean;
}

/** "80, 100" → [80, 100], or what is wrong with it in words (range and repeats are checked apart). */
export function parseThresholds(text: string): { values: number[]; problem: string | null } {
  const tokens = text.split(/[\s,;]+/).filter(Boolean);
  if (tokens.length === 0)
    return { values: [], problem: "Enter at least one threshold, for example 80, 100" };
  const bad = tokens.find((t) => !/^\d+$/.test(t));
  if (bad)
    return { values: [], problem: `“${bad}” is not a whole number: enter whole numbers separated by commas` };
  if (tokens.length > MAX_THRESHOLDS) {
    return { values: [], problem: `At most ${MAX_THRESHOLDS} thresholds per rule` };
  }
  return { values: tokens.map(Number), problem: null };
}

/** The thresholds' problem for this kind, in words naming the limits (core's rule), or null. */
export function thresholdsProblem(kind: AlertKind, text: string): string | null {
  const { values, problem } = parseThresholds(text);
  if (problem) return problem;
  const problems = thresholdProblems(kind, values);
  if (problems.length === 0) return null;
  const { min, max, unit } = THRESHOLD_RANGES[kind];
  const outside = values.find((v) => v < min || v > max);
  if (outside !== undefined) {
    return `Each threshold must be a whole number from ${min} to ${max} (${unit}); ${outside} is outside that`;
  }
  const repeated = values.find((v, i) => values.indexOf(v) !== i);
  return `Give each threshold once${repeated !== undefined ? `: ${repeated} is repeated` : ""}`;
}

/** The API's own rule for the URL (http or https, at most 2,000 characters), with what to type instead. */
const webhookUrlSchema = z
  .url({
    protocol: /^https?$/,
    error:
      "Enter a full web address starting with https:// (or http://), e.g. https://hooks.example.com/wedsync",
  })
  .max(2_000, "The webhook URL can be at most 2,000 characters");

export function webhookUrlProblem(url: string): string | null {
  const value = url.trim();
  if (value === "") return null;
  const parsed = webhookUrlSchema.safeParse(value);
  if (!parsed.success) return parsed.error.issues[0]?.message ?? "Enter a valid web address";
  const { username, password } = new URL(value);
  if (username || password) {
    return "Leave the user name and password out of the URL: each delivery is signed with the secret instead";
  }
  return null;
}

/** The form's schema (zodResolver): the kind's threshold range from core, the webhook URL as the API checks it. */
export const ruleFormSchema = z
  .object({
    kind: z.enum(ALERT_KINDS as [AlertKind, ...AlertKind[]], { error: "Choose what to watch" }),
    thresholds: z.string(),
    webhookUrl: z.string(),
    enabled: z.boolean(),
    replaceSecret: z.boolean(),
  })
  .superRefine((v, ctx) => {
    const thresholds = thresholdsProblem(v.kind, v.thresholds);
    if (thresholds) ctx.addIssue({ code: "custom", path: ["thresholds"], message: thresholds });
    const url = webhookUrlProblem(v.webhookUrl);
    if (url) ctx.addIssue({ code: "custom", path: ["webhookUrl"], message: url });
  });

export function initialValues(rule: AlertRule | undefined, kinds: readonly AlertKind[]): RuleFormValues {
  if (rule) {
    return {
      kind: rule.kind,
      thresholds: rule.thresholds.join(", "),
      webhookUrl: rule.webhookUrl ?? "",
      enabled: rule.enabled,
      replaceSecret: false,
    };
  }
  const kind = kinds[0] ?? "monthly_cost";
  return {
    kind,
    thresholds: kind === "p95_latency" ? "2000" : "80, 100",
    webhookUrl: "",
    enabled: true,
    replaceSecret: false,
  };
}

/**
 * Whether saving needs a new signing secret: a webhook on a new rule, a webhook added to a rule
 * that had none, or a replacement asked for. The secret is made here, in the browser, sent once,
 * and shown once: the API stores it to sign with and never returns it.
 */
export function needsNewSecret(values: RuleFormValues, rule: AlertRule | undefined): boolean {
  if (values.webhookUrl.trim() === "") return false;
  if (!rule?.webhookUrl || !rule.hasWebhookSecret) return true;
  return values.replaceSecret;
}

/** 32 random bytes, base64url, prefixed so people can tell it apart from other keys. */
export function newSigningSecret(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(32));
  const b64 = btoa(String.fromCharCode(...bytes))
    .replaceAll("+", "-")
    .replaceAll("/", "_")
    .replace(/=+$/, "");
  return `whsec_${b64}`;
}

/** The API's input for the values (thresholds as numbers; an empty URL removes the webhook). */
export function ruleInput(values: RuleFormValues) {
  return {
    thresholds: parseThresholds(values.thresholds).values,
    webhookUrl: values.webhookUrl.trim() === "" ? null : values.webhookUrl.trim(),
    enabled: values.enabled,
  };
}
