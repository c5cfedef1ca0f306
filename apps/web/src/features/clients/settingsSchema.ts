import {
  type CustomPrompts,
  customPromptsSchema,
  type FeatureSettings,
  featureSettingsSchema,
  type ProcessingPreferences,
  processingPreferencesSchema,
} from "@wedsync/core/domain";
import { z } from "zod";

export const PROVIDERS = processingPreferencesSchema.shape.preferredProvider.unwrap().options;
export const DATE_FORMATS = processingPreferencesSchema.shape.dateFormat.unwrap().options;

export const PROVIDER_WORDS: Record<(typeof PROVIDERS)[number], string> = {
  openai: "OpenAI",
  local: "Built-in rules engine (no AI provider)",
};

/** The settings form as typed: text, and "default" for "not set for this client". */
export interface SettingsFormValues {
  preferredProvider: "default" | (typeof PROVIDERS)[number];
  allowFallback: "default" | "yes" | "no";
  confidenceThreshold: string;
  excludedFields: string[];
  glossary: string;
  language: string;
  dateFormat: "default" | (typeof DATE_FORMATS)[number];
  currency: string;
}

const unset = (v: string) => (v === "" || v === "default" ? undefined : v);

/** "term = meaning" lines, each checked and named by its line number. */
const glossaryText = z.string().transform((text, ctx) => {
  const entries: Record<string, string> = {};
  const lines = text.split("\n");
  lines.forEach((raw, i) => {
    const line = raw.trim();
    if (line === "") return;
    const at = line.indexOf("=");
    const term = at > 0 ? line.slice(0, at).trim() : "";
    const meaning = at > 0 ? line.slice(at + 1).trim() : "";
    const problem =
      !term || !meaning
        ? "write it as term = meaning"
        : term.length > 64
          ? "the term must be at most 64 characters"
          : meaning.length > 200
            ? "the meaning must be at most 200 characters"
            : null;
    if (problem) ctx.addIssue({ code: "custom", message: `Line ${i + 1}: ${problem}` });
    else entries[term] = meaning;
  });
  if (Object.keys(entries).length > 50)
    ctx.addIssue({ code: "custom", message: "at most 50 glossary entries" });
  return entries;
});

/**
 * The client settings form: each value through the API's own schema for it
 * (featureSettingsSchema, customPromptsSchema, processingPreferencesSchema).
 */
export const settingsFormSchema = z.object({
  preferredProvider: z
    .enum(["default", ...PROVIDERS])
    .transform((v) => (v === "default" ? undefined : v))
    .pipe(processingPreferencesSchema.shape.preferredProvider),
  allowFallback: z
    .enum(["default", "yes", "no"])
    .transform((v) => (v === "default" ? undefined : v === "yes")),
  confidenceThreshold: z
    .string()
    .trim()
    .refine((v) => v === "" || /^\d*\.?\d+$/.test(v), "a number from 0 to 1, like 0.8")
    .transform((v) => (v === "" ? undefined : Number(v)))
    .pipe(featureSettingsSchema.shape.confidenceThreshold),
  excludedFields: z.array(z.string()).pipe(featureSettingsSchema.shape.excludedFields.unwrap()),
  glossary: glossaryText.pipe(customPromptsSchema.shape.glossary.unwrap()),
  language: z.string().trim().transform(unset).pipe(featureSettingsSchema.shape.language),
  dateFormat: z
    .enum(["default", ...DATE_FORMATS])
    .transform((v) => (v === "default" ? undefined : v))
    .pipe(processingPreferencesSchema.shape.dateFormat),
  currency: z
    .string()
    .trim()
    .transform((v) => unset(v.toUpperCase()))
    .pipe(processingPreferencesSchema.shape.currency),
});
export type SettingsFormOutput = z.output<typeof settingsFormSchema>;

export interface StoredSettings {
  featureSettings: FeatureSettings;
  customPrompts: CustomPrompts;
  processingPreferences: ProcessingPreferences;
}

export const NO_SETTINGS: StoredSettings = {
  featureSettings: {},
  customPrompts: {},
  processingPreferences: {},
};

export function settingsFormValues(stored: StoredSettings): SettingsFormValues {
  const { featureSettings: f, customPrompts: c, processingPreferences: p } = stored;
  return {
    preferredProvider: p.preferredProvider ?? "default",
    allowFallback: p.allowFallback === undefined ? "default" : p.allowFallback ? "yes" : "no",
    confidenceThreshold: f.confidenceThreshold === undefined ? "" : String(f.confidenceThreshold),
    excludedFields: f.excludedFields ?? [],
    glossary: Object.entries(c.glossary ?? {})
      .map(([term, meaning]) => `${term} = ${meaning}`)
      .join("\n"),
    language: f.language ?? "",
    dateFormat: p.dateFormat ?? "default",
    currency: p.currency ?? "",
  };
}

const defined = <T extends object>(o: T): T =>
  Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;

/**
 * What a save stores: the form's values over the stored ones, so settings this form does not
 * show (instructions, tone, output length) are kept.
 */
export function settingsToStore(stored: StoredSettings, form: SettingsFormOutput): StoredSettings {
  const glossary = Object.keys(form.glossary).length > 0 ? form.glossary : undefined;
  const excluded = form.excludedFields.length > 0 ? form.excludedFields : undefined;
  return {
    featureSettings: featureSettingsSchema.parse(
      defined({
        ...stored.featureSettings,
        confidenceThreshold: form.confidenceThreshold,
        language: form.language,
        excludedFields: excluded,
      }),
    ),
    customPrompts: customPromptsSchema.parse(defined({ ...stored.customPrompts, glossary })),
    processingPreferences: processingPreferencesSchema.parse(
      defined({
        preferredProvider: form.preferredProvider,
        allowFallback: form.allowFallback,
        dateFormat: form.dateFormat,
        currency: form.currency,
      }),
    ),
  };
}
