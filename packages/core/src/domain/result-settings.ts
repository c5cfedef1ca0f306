/**
 * What a client's settings (its configuration's feature settings and custom prompts) do to a
 * request: the words added inside the model's fixed system instructions, and the result as the
 * client wants it — fields it never wants left out, values below its confidence threshold listed
 * for review. Pure: the processing service applies them to whichever provider answered.
 */

import {
  type FieldExtractionResult,
  type SmartMappingResult,
  type WeddingFields,
  weddingFieldsSchema,
} from "./ai-results";
import type { CustomPrompts, FeatureSettings } from "./client-settings";
import type { FeatureType } from "./codes";

/** The client's additions to the system instructions, one per line; null when it has none. */
export function clientInstructions(
  featureType: FeatureType,
  prompts: CustomPrompts | null | undefined,
  settings: FeatureSettings | null | undefined,
): string | null {
  const lines: string[] = [];
  if (prompts?.instructions) lines.push(prompts.instructions);
  if (prompts?.tone) lines.push(`Tone: ${prompts.tone}`);
  const glossary = Object.entries(prompts?.glossary ?? {});
  if (glossary.length > 0)
    lines.push(
      `Glossary (this client's terms): ${glossary.map(([term, meaning]) => `${term} = ${meaning}`).join("; ")}`,
    );
  if (settings?.language) lines.push(`The input is in ${settings.language}; keep extracted text in it.`);
  const excluded = featureType === "field_extraction" ? excludedKeys(settings) : [];
  if (excluded.length > 0) lines.push(`Leave these fields null: ${excluded.join(", ")}.`);
  return lines.length > 0 ? lines.join("\n") : null;
}

const WEDDING_FIELD_KEYS = weddingFieldsSchema.keyof().options;

/** The wedding fields the settings exclude, matched without regard to case ("Budget" is budget). */
function excludedKeys(settings: FeatureSettings | null | undefined): Array<keyof WeddingFields> {
  const names = new Set((settings?.excludedFields ?? []).map((n) => n.toLowerCase()));
  return WEDDING_FIELD_KEYS.filter((k) => names.has(k.toLowerCase()));
}

export interface SettledResult<T> {
  output: T;
  /**
   * What falls below the client's confidence threshold: field names (field extraction) or source
   * fields (smart mapping). Empty without a threshold.
   */
  needsReview: string[];
}

/** The result as the client's settings want it. Idempotent: applying it to its own output changes nothing. */
export function applyFeatureSettings<T>(
  featureType: FeatureType,
  output: T,
  settings: FeatureSettings | null | undefined,
): SettledResult<T> {
  const threshold = settings?.confidenceThreshold;
  const below = (confidence: number) => threshold !== undefined && confidence < threshold;
  if (featureType === "field_extraction") {
    const result = output as FieldExtractionResult;
    const fields = { ...result.fields } as Record<keyof WeddingFields, { confidence: number } | null>;
    for (const key of excludedKeys(settings)) fields[key] = null;
    const needsReview = WEDDING_FIELD_KEYS.filter((k) => {
      const field = fields[k];
      return field !== null && below(field.confidence);
    });
    return { output: { ...result, fields } as T, needsReview };
  }
  if (featureType === "smart_mapping") {
    const result = output as SmartMappingResult;
    return { output, needsReview: result.mappings.filter((m) => below(m.confidence)).map((m) => m.source) };
  }
  return { output, needsReview: [] };
}
