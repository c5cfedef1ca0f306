import { type DateFormatHint, dropOverlaps, findDates } from "./text-dates";
import { type Extracted, extracted, lineAround } from "./text-span";

const WEDDING_CUE = /\b(?:wedding|marr(?:y|ied|ying)|big[ \t]+day|cere?mony|nuptials|fianc|event|hitched)/giu;
const DATE_LABEL = /date[ \t]*(?:is|:|-|=)?[ \t]*(?:on[ \t]+)?[\p{L}, \t]{0,12}$/iu;
/** Dates that are about something else: when a message was sent, deadlines, payments. */
const OTHER_CUE =
  /\b(?:sent|received|deadline|until|before|deposit|invoice|quote|valid|reply|rsvp|dated|born)/giu;

/** Where the last match of a global pattern starts, or -1. */
function lastMatch(re: RegExp, s: string): number {
  let at = -1;
  for (const m of s.matchAll(re)) at = m.index;
  return at;
}

/**
 * The wedding date: the date with a wedding cue nearest before it on its line ("getting married
 * on", "wedding date:") or just after it, otherwise the first date. A nearer cue of another kind
 * ("Sent:", "deposit due before") marks a date that is about something else. A DD/MM vs MM/DD
 * ambiguity lowers confidence.
 */
export function findWeddingDate(text: string, hint?: DateFormatHint): Extracted<string> | null {
  let top: Extracted<string> | null = null;
  for (const d of findDates(text, hint)) {
    const line = lineAround(text, d.start);
    const before = text.slice(Math.max(line.start, d.start - 80), d.start);
    const after = text.slice(d.end, Math.min(line.end, d.end + 30));
    const wedding = lastMatch(WEDDING_CUE, before);
    const other = lastMatch(OTHER_CUE, before);
    let confidence = 0.6;
    if (other > wedding) confidence = 0.4;
    else if (wedding >= 0 || lastMatch(WEDDING_CUE, after) >= 0) confidence = 0.9;
    else if (DATE_LABEL.test(before)) confidence = 0.8;
    if (d.ambiguous) confidence -= 0.15;
    if (!top || confidence > top.confidence) top = extracted(text, d.iso, confidence, d.start, d.end);
  }
  return top;
}

interface FoundTime {
  hhmm: string;
  start: number;
  end: number;
  /** No am/pm and a one-digit hour from 1 to 7, read as afternoon (weddings are not at 3am). */
  guessed: boolean;
}

const TIME_12 = /(?<![\d:.])(\d{1,2})(?:[:.](\d{2}))?[ \t]?([ap])(?:\.m\.|m)(?!\p{L})/giu;
const TIME_24 = /(?<![\d:.])([01]?\d|2[0-3])[:h](\d{2})(?!\d)/giu;
const NOON = /(?<!\p{L})(?:noon|midday)(?!\p{L})/giu;

const pad = (n: number) => String(n).padStart(2, "0");

function findTimes(text: string): FoundTime[] {
  const out: FoundTime[] = [];
  for (const m of text.matchAll(TIME_12)) {
    const h = Number(m[1]);
    const min = m[2] ? Number(m[2]) : 0;
    if (h < 1 || h > 12 || min > 59) continue;
    const h24 = (h % 12) + (m[3]!.toLowerCase() === "p" ? 12 : 0);
    out.push({ hhmm: `${pad(h24)}:${pad(min)}`, start: m.index, end: m.index + m[0].length, guessed: false });
  }
  for (const m of text.matchAll(TIME_24)) {
    const h = Number(m[1]);
    const min = Number(m[2]);
    if (min > 59) continue;
    const guessed = m[1]!.length === 1 && h >= 1 && h <= 7;
    const h24 = guessed ? h + 12 : h;
    out.push({ hhmm: `${pad(h24)}:${pad(min)}`, start: m.index, end: m.index + m[0].length, guessed });
  }
  for (const m of text.matchAll(NOON)) {
    out.push({ hhmm: "12:00", start: m.index, end: m.index + m[0].length, guessed: false });
  }
  return dropOverlaps(out);
}

const CEREMONY_CUE = /cere?mony|service|vows|nuptials/giu;
const START_CUE = /(?:wedding|start|begin|kick[ \t]+off|i[ \t]+do)/i;

/**
 * The ceremony time: the time nearest a "ceremony" mention on the same line ("ceremony at 2pm",
 * "14:00 Ceremony"); failing that a time next to "wedding starts". A time with no cue at all is
 * not assumed to be the ceremony.
 */
export function findCeremonyTime(text: string): Extracted<string> | null {
  let top: { t: FoundTime; distance: number } | null = null;
  const fallback: FoundTime[] = [];
  for (const t of findTimes(text)) {
    const line = lineAround(text, t.start);
    const lineText = text.slice(line.start, line.end);
    let distance = Number.POSITIVE_INFINITY;
    for (const c of lineText.matchAll(CEREMONY_CUE)) {
      const cStart = line.start + c.index;
      const cEnd = cStart + c[0].length;
      // A cue before the time ("ceremony at 2pm") reads more naturally than one after it.
      const d = cEnd <= t.start ? t.start - cEnd : cStart >= t.end ? cStart - t.end + 5 : 0;
      distance = Math.min(distance, d);
    }
    if (distance <= 60 && (!top || distance < top.distance)) top = { t, distance };
    const near = text.slice(Math.max(line.start, t.start - 40), t.start);
    if (distance > 60 && START_CUE.test(near)) fallback.push(t);
  }
  if (top) {
    const confidence = (top.distance <= 25 ? 0.9 : 0.8) - (top.t.guessed ? 0.2 : 0);
    return extracted(text, top.t.hhmm, confidence, top.t.start, top.t.end);
  }
  const f = fallback[0];
  return f ? extracted(text, f.hhmm, f.guessed ? 0.4 : 0.6, f.start, f.end) : null;
}

const COUNT = "(\\d{1,3}(?:,\\d{3})+|\\d{1,6})";
const QUALIFIER =
  "(?:(?:is|are|of|will[ \\t]+be|around|about|approx\\.?|approximately|roughly|circa|c\\.|~|up[ \\t]+to|max(?:imum)?|expected|estimated)[ \\t]*)*";
const GUEST_LABEL = new RegExp(
  `(?<!\\p{L})(?:guest[ \\t]*count|guest[ \\t]*numbers?|guest[ \\t]*list|numbers?[ \\t]+of[ \\t]+guests|no\\.?[ \\t]*of[ \\t]+guests|#[ \\t]*(?:of[ \\t]+)?guests|head[ \\t]*count|guests|attendees|pax)[ \\t]*(?::|=|-|–)?[ \\t]*${QUALIFIER}${COUNT}(?![\\d:/%]|[.,]\\d)`,
  "giu",
);
const GUEST_NOUN = new RegExp(
  `(?<![\\d.,£$€:/])${COUNT}(?:[ \\t]*(?:-|–|to)[ \\t]*(\\d{1,6}))?[ \\t]*\\+?[ \\t]*(?:wedding[ \\t]+)?(?:guests?|people|persons|ppl|pax|attendees|adults)(?!\\p{L})`,
  "giu",
);
const ROUGHLY =
  /(?:around|about|approx|roughly|circa|up[ \t]+to|~|expecting|estimated?|or[ \t]+so)[^\n\d]{0,12}$/i;

/**
 * The number of guests: a labelled count ("Guest count: 85") beats a count before a noun
 * ("120 guests", "around 150 people"); for a range ("100-120 guests") the upper bound is taken
 * because venues and caterers plan for the maximum.
 */
export function findGuestCount(text: string): Extracted<number> | null {
  const toInt = (s: string) => Number(s.replaceAll(",", ""));
  for (const m of text.matchAll(GUEST_LABEL)) {
    const n = toInt(m[1]!);
    if (n > 100_000) continue;
    const rough = ROUGHLY.test(m[0].slice(0, m[0].length - m[1]!.length));
    return extracted(text, n, rough ? 0.75 : 0.9, m.index, m.index + m[0].length);
  }
  for (const m of text.matchAll(GUEST_NOUN)) {
    const n = toInt(m[2] ?? m[1]!);
    if (n > 100_000 || n === 0) continue;
    const rough = ROUGHLY.test(text.slice(Math.max(0, m.index - 25), m.index));
    const confidence = m[2] ? 0.6 : rough ? 0.75 : 0.85;
    return extracted(text, n, confidence, m.index, m.index + m[0].length);
  }
  return null;
}
