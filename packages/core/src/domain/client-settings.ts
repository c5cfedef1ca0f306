import { z } from "zod";

/**
 * The free-form JSONB columns of a client configuration, bounded so no caller can store
 * megabytes in them: every string and every collection has a limit.
 */
const boundedString = (max: number) => z.string().max(max);

export const featureSettingsSchema = z
  .object({
    /** Minimum confidence (0..1) below which extracted values are flagged for review. */
    confidenceThreshold: z.number().min(0).max(1).optional(),
    language: boundedString(16).optional(),
    /** Field names this client never wants extracted (e.g. budget). */
    excludedFields: z.array(boundedString(64)).max(50).optional(),
    maxOutputTokens: z.number().int().min(1).max(16_000).optional(),
  })
  .strict();

export const customPromptsSchema = z
  .object({
    /** Applied inside fixed system instructions, never replacing them. */
    instructions: boundedString(2_000).optional(),
    tone: boundedString(200).optional(),
    glossary: z.record(boundedString(64), boundedString(200)).optional(),
  })
  .strict()
  .refine((p) => Object.keys(p.glossary ?? {}).length <= 50, {
    message: "at most 50 glossary entries",
    path: ["glossary"],
  });

export const processingPreferencesSchema = z
  .object({
    preferredProvider: z.enum(["openai", "local"]).optional(),
    allowFallback: z.boolean().optional(),
    dateFormat: z.enum(["DD/MM/YYYY", "MM/DD/YYYY", "YYYY-MM-DD"]).optional(),
    currency: z
      .string()
      .regex(/^[A-Z]{3}$/, "a three-letter ISO currency code")
      .optional(),
  })
  .strict();

export type FeatureSettings = z.infer<typeof featureSettingsSchema>;
export type CustomPrompts = z.infer<typeof customPromptsSchema>;
export type ProcessingPreferences = z.infer<typeof processingPreferencesSchema>;
