import type { SmartMappingResult } from "@wedsync/core";
import { assignOneToOne } from "./assignment";
import { nameSimilarity, normaliseName } from "./similarity";
import { round2 } from "./text-span";

export interface SourceField {
  name: string;
  value: string | null;
}

/** Below this a pairing is more likely wrong than right: the source is reported unmapped. */
export const MAPPING_THRESHOLD = 0.5;

type ValueKind = "email" | "phone" | "date" | null;

/** What a sample value looks like; a match with the target's meaning nudges the score up a little. */
function valueKind(value: string | null): ValueKind {
  if (!value) return null;
  const v = value.trim();
  if (/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(v)) return "email";
  if (/^\d{4}-\d{2}-\d{2}$|^\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}$/.test(v)) return "date";
  if (/^\+?[\d\s().-]{10,20}$/.test(v) && v.replace(/\D/g, "").length >= 10) return "phone";
  return null;
}

/**
 * Map a form's fields onto another form's labels, one-to-one: names are normalised and
 * compared (token Jaccard with typo tolerance, containment, head noun), then the assignment
 * maximising total margin over the threshold is chosen (Hungarian). Deterministic: the same
 * input gives the same output, and ties go to the earlier source, then the earlier target.
 * Repeated names are considered once (the first occurrence), since the result identifies
 * fields by name.
 */
export function mapFields(sourceFields: SourceField[], targetLabels: string[]): SmartMappingResult {
  const sources = uniqueBy(sourceFields, (s) => s.name);
  const targets = uniqueBy(targetLabels, (t) => t);
  const targetTokens = targets.map(normaliseName);
  const scores = sources.map((s) => {
    const tokens = normaliseName(s.name);
    const kind = valueKind(s.value);
    return targetTokens.map((t) => {
      const score = nameSimilarity(tokens, t);
      return kind && score > 0 && t.includes(kind) ? Math.min(1, score + 0.1) : score;
    });
  });
  const pairs = assignOneToOne(scores, MAPPING_THRESHOLD);
  const mappedSources = new Set(pairs.map(([r]) => r));
  const mappedTargets = new Set(pairs.map(([, c]) => c));
  return {
    mappings: pairs.map(([r, c]) => ({
      source: sources[r]!.name,
      target: targets[c]!,
      confidence: round2(scores[r]![c]!),
    })),
    unmappedSources: sources.filter((_, i) => !mappedSources.has(i)).map((s) => s.name),
    unmappedTargets: targets.filter((_, i) => !mappedTargets.has(i)),
  };
}

function uniqueBy<T>(items: T[], key: (t: T) => string): T[] {
  const seen = new Set<string>();
  return items.filter((item) => {
    const k = key(item);
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}
