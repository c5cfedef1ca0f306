import type { DocumentType } from "@wedsync/core";
import { round2 } from "./text-span";

type Scored = Exclude<DocumentType, "other">;

/** Keyword signals and their weights; each signal counts at most 3 times so repetition cannot dominate. */
const SIGNALS: Record<Scored, Array<[RegExp, number]>> = {
  contract: [
    [/\bagreement\b/gi, 2],
    [/\bterms\s+and\s+conditions\b/gi, 2],
    [/\bsignature\b/gi, 2],
    [/\bsigned\b/gi, 1],
    [/\bhereinafter\b/gi, 3],
    [/\bthe\s+parties\b/gi, 2],
    [/\bshall\b/gi, 1],
    [/\bwhereas\b/gi, 2],
    [/\bcontract\b/gi, 2],
    [/\bliability\b/gi, 1],
    [/\bcancellation\b/gi, 1],
  ],
  invoice: [
    [/\binvoice\b/gi, 3],
    [/\binvoice\s+(?:number|no\.?|#)/gi, 3],
    [/\bamount\s+due\b/gi, 3],
    [/\bbalance\s+due\b/gi, 2],
    [/\bbill(?:ed)?\s+to\b/gi, 2],
    [/\bVAT\b/g, 1],
    [/\bsubtotal\b/gi, 1],
    [/\bpayment\s+due\b/gi, 1],
  ],
  quote: [
    [/\bquotation\b/gi, 3],
    [/\bquote\b/gi, 2],
    [/\bestimate\b/gi, 2],
    [/\bvalid\s+(?:until|for)\b/gi, 3],
    [/\bprepared\s+for\b/gi, 1],
  ],
  questionnaire: [
    [/\bquestionnaire\b/gi, 3],
    [/\bplease\s+tell\s+us\b/gi, 2],
    [/\bplease\s+(?:describe|list|let\s+us\s+know)\b/gi, 1],
    [/\?[ \t]*$/gm, 1], // a line ending in a question
  ],
  timeline: [
    [/\b(?:timeline|schedule|running\s+order|order\s+of\s+the\s+day|itinerary)\b/gi, 3],
    // A time-of-day entry at the start of a line: "14:00 Ceremony", "2.30pm - Drinks".
    [/^[ \t]*\d{1,2}(?:[:.]\d{2})?[ \t]*(?:[ap]\.?m\.?)?[ \t]*[-–:]?[ \t]*\p{L}/gimu, 1],
  ],
  menu: [
    [/\bmenu\b/gi, 2],
    [/\bstarters?\b/gi, 2],
    [/\bmain\s+courses?\b/gi, 2],
    [/\bdesserts?\b/gi, 2],
    [/\bcanap[eé]s\b/gi, 2],
    [/\bserved\s+with\b/gi, 1],
  ],
};

/** Per-line signals (questions, timeline entries) can count more often: they are the document's shape. */
const LINE_SIGNAL_CAP = 10;

function score(text: string, signals: Array<[RegExp, number]>): number {
  let total = 0;
  for (const [re, weight] of signals) {
    let count = 0;
    const cap = re.flags.includes("m") ? LINE_SIGNAL_CAP : 3;
    for (const _ of text.matchAll(re)) if (++count >= cap) break;
    total += count * weight;
  }
  return total;
}

/**
 * The kind of document by keyword scoring. Confidence grows with the winner's lead over the
 * runner-up and with how much evidence there is; weak evidence (under 3 points) is "other".
 */
export function classifyDocument(text: string): { type: DocumentType; confidence: number } {
  const ranked = (Object.keys(SIGNALS) as Scored[])
    .map((type) => ({ type, points: score(text, SIGNALS[type]) }))
    .sort((a, b) => b.points - a.points); // stable: on a tie the earlier type in SIGNALS wins
  const [first, second] = ranked;
  if (!first || first.points < 3) return { type: "other", confidence: 0.5 };
  const margin = (first.points - (second?.points ?? 0)) / first.points;
  const strength = Math.min(1, first.points / 8);
  return { type: first.type, confidence: round2(0.5 + 0.45 * margin * strength) };
}
