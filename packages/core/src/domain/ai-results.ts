import { z } from "zod";

/**
 * What each AI feature returns, whichever provider produced it. The OpenAI-compatible provider
 * asks for exactly these shapes (JSON-schema structured output); the local rules engine builds
 * them; the pipeline validates every result against them before it reaches a caller.
 * Strict-mode friendly: every key present, absent values are null.
 */

/** Where in the input text a value was found (character offsets, end exclusive). */
export const sourceSpanSchema = z.object({
  start: z.number().int().min(0),
  end: z.number().int().min(0),
  text: z.string().max(2_000),
});

const extracted = <T extends z.ZodType>(value: T) =>
  z
    .object({
      value,
      confidence: z.number().min(0).max(1),
      source: sourceSpanSchema.nullable(),
    })
    .nullable();

/** An amount as an exact decimal string with its ISO currency, e.g. { amount: "25000.00", currency: "GBP" }. */
export const moneyValueSchema = z.object({
  amount: z.string().regex(/^\d+(\.\d{1,2})?$/),
  currency: z.string().regex(/^[A-Z]{3}$/),
});

export const weddingFieldsSchema = z.object({
  coupleNames: extracted(z.array(z.string().max(200)).max(4)),
  /** ISO date, YYYY-MM-DD. */
  weddingDate: extracted(z.string().regex(/^\d{4}-\d{2}-\d{2}$/)),
  ceremonyVenue: extracted(z.string().max(300)),
  receptionVenue: extracted(z.string().max(300)),
  guestCount: extracted(z.number().int().min(0).max(100_000)),
  email: extracted(z.string().max(254)),
  phone: extracted(z.string().max(40)),
  budget: extracted(moneyValueSchema),
  ceremonyTime: extracted(z.string().regex(/^\d{2}:\d{2}$/)),
  theme: extracted(z.string().max(200)),
});

export const fieldExtractionResultSchema = z.object({
  fields: weddingFieldsSchema,
});

export const smartMappingResultSchema = z.object({
  mappings: z
    .array(
      z.object({
        source: z.string().max(200),
        target: z.string().max(200),
        confidence: z.number().min(0).max(1),
      }),
    )
    .max(500),
  /** Source fields that matched no target well enough. */
  unmappedSources: z.array(z.string().max(200)).max(500),
  /** Target labels nothing was mapped onto. */
  unmappedTargets: z.array(z.string().max(200)).max(500),
});

export const DOCUMENT_TYPES = [
  "contract",
  "questionnaire",
  "invoice",
  "quote",
  "timeline",
  "menu",
  "other",
] as const;

export const pdfAnalysisResultSchema = z.object({
  pageCount: z.number().int().min(0),
  documentType: z.enum(DOCUMENT_TYPES),
  documentTypeConfidence: z.number().min(0).max(1),
  sections: z.array(z.object({ title: z.string().max(300), page: z.number().int().min(1) })).max(200),
  keyDates: z
    .array(z.object({ date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/), context: z.string().max(300) }))
    .max(100),
  amounts: z.array(moneyValueSchema.extend({ context: z.string().max(300) })).max(100),
  parties: z.array(z.object({ name: z.string().max(200), role: z.string().max(100) })).max(50),
  summary: z.string().max(2_000),
});

export type WeddingFields = z.infer<typeof weddingFieldsSchema>;
export type FieldExtractionResult = z.infer<typeof fieldExtractionResultSchema>;
export type SmartMappingResult = z.infer<typeof smartMappingResultSchema>;
export type PdfAnalysisResult = z.infer<typeof pdfAnalysisResultSchema>;
export type DocumentType = (typeof DOCUMENT_TYPES)[number];

/** A mapping never uses one source twice nor fills one target twice. */
export function isOneToOne(result: SmartMappingResult): boolean {
  const sources = result.mappings.map((m) => m.source);
  const targets = result.mappings.map((m) => m.target);
  return new Set(sources).size === sources.length && new Set(targets).size === targets.length;
}
