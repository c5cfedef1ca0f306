import { best, type Extracted, extracted } from "./text-span";

/**
 * A capitalised place name after "at"/"in": "St Mary's Church", "The Grand Hotel",
 * "Church of St John". Lower-case joiners are allowed between capitalised words only.
 */
const PLACE =
  /(?:The[ \t]+)?\p{Lu}[\p{L}\d'’&.-]{0,30}(?:[ \t]+(?:(?:of|on|upon|the|de|la|le|du|des|by|en)[ \t]+)?(?:\p{Lu}|&)[\p{L}\d'’&.-]{0,30}){0,6}/uy;
/** Capitalised words after "at"/"in" that are times of year, not places. */
const NOT_PLACE =
  /^(?:January|February|March|April|May|June|July|August|September|October|November|December|Christmas|Easter|Spring|Summer|Autumn|Winter|Noon|Midday)\b/;

function placeAt(text: string, pos: number): { value: string; start: number; end: number } | null {
  let at = pos;
  if (text.startsWith("the ", at)) at += 4; // a lower-case article is not part of the name
  PLACE.lastIndex = at;
  const m = PLACE.exec(text);
  if (!m || NOT_PLACE.test(m[0])) return null;
  const value = m[0].replace(/[.'’&-]+$/, "").replace(/[ \t]+/g, " ");
  if (value.length < 2) return null;
  const raw = m[0].replace(/[.'’&-]+$/, "");
  return { value, start: at, end: at + raw.length };
}

type Kind = "ceremony" | "reception" | "both";
type Found = { kind: Kind; found: Extracted<string> };

const SEP = "[ \\t]*(?::|=|->|-|–|—)[ \\t]*";
const LABELS: Array<{ re: RegExp; kind: Kind; confidence: number }> = [
  {
    re: new RegExp(
      `(?<!\\p{L})cere?mony[ \\t]*(?:&|and|\\/)[ \\t]*reception(?:[ \\t]+(?:venue|location))?${SEP}`,
      "giu",
    ),
    kind: "both",
    confidence: 0.9,
  },
  {
    re: new RegExp(`(?<!\\p{L})cere?mony(?:[ \\t]+(?:venue|location|place|site))?${SEP}`, "giu"),
    kind: "ceremony",
    confidence: 0.9,
  },
  {
    re: new RegExp(`(?<!\\p{L})reception(?:[ \\t]+(?:venue|location|place|site))?${SEP}`, "giu"),
    kind: "reception",
    confidence: 0.9,
  },
  // A plain "Venue:" says nothing about which part of the day: both, with less confidence.
  {
    re: new RegExp(
      `(?<!(?:cere?mony|reception)[ \\t]*)(?<!\\p{L})(?:wedding[ \\t]+)?(?:venue|location)(?:[ \\t]+name)?${SEP}`,
      "giu",
    ),
    kind: "both",
    confidence: 0.6,
  },
];

const PHRASES: Array<{ re: RegExp; kind: Kind; confidence: number }> = [
  {
    re: /(?<!\p{L})cere?mony[ \t]+(?:&|and)[ \t]+reception[^.\n]{0,30}?[ \t](?:at|in)[ \t]+/giu,
    kind: "both",
    confidence: 0.8,
  },
  {
    re: /(?<!\p{L})cere?mony(?:[ \t]+(?:will[ \t]+be|is|takes[ \t]+place|is[ \t]+taking[ \t]+place|being))?(?:[ \t]+held)?[ \t]+(?:at|in)[ \t]+/giu,
    kind: "ceremony",
    confidence: 0.75,
  },
  {
    re: /(?<!\p{L})reception(?:[ \t]+(?:venue|party))?(?:[ \t]+(?:will[ \t]+be|is|to[ \t]+follow|afterwards|after|being))*(?:[ \t]+held)?[ \t]+(?:at|in)[ \t]+/giu,
    kind: "reception",
    confidence: 0.75,
  },
  {
    re: /(?<!\p{L})reception[ \t]+venue[ \t]+(?:is|will[ \t]+be)[ \t]+/giu,
    kind: "reception",
    confidence: 0.75,
  },
  // "getting married on 9 October at The Grand Hotel": the day's venue, so both, weakly.
  {
    re: /(?<!\p{L})(?:married|marrying|wedding)[^.\n!?]{0,40}?[ \t]at[ \t]+/giu,
    kind: "both",
    confidence: 0.55,
  },
];

/** The rest of a labelled line, cut at brackets or separators, trailing punctuation dropped. */
function labelValue(text: string, pos: number): { value: string; start: number; end: number } | null {
  const nl = text.indexOf("\n", pos);
  const lineEnd = nl === -1 ? text.length : nl;
  let end = pos;
  while (end < lineEnd && end - pos < 300 && !"()|;".includes(text[end]!)) end++;
  while (end > pos && /[\s.,:;!-]/.test(text[end - 1]!)) end--;
  if (end === pos) return null;
  const value = text.slice(pos, end);
  // "Ceremony: 2pm at St Mary's" names a time first; the place follows "at".
  if (/^\d/.test(value)) {
    const at = /[ \t](?:at|in)[ \t]+/i.exec(value);
    return at ? placeAt(text, pos + at.index + at[0].length) : null;
  }
  return /\p{L}/u.test(value) ? { value: value.replace(/[ \t]+/g, " "), start: pos, end } : null;
}

function collect(text: string): Found[] {
  const out: Found[] = [];
  for (const { re, kind, confidence } of LABELS) {
    for (const m of text.matchAll(re)) {
      const v = labelValue(text, m.index + m[0].length);
      if (v) out.push({ kind, found: extracted(text, v.value, confidence, v.start, v.end) });
    }
  }
  for (const { re, kind, confidence } of PHRASES) {
    for (const m of text.matchAll(re)) {
      const v = placeAt(text, m.index + m[0].length);
      if (v) out.push({ kind, found: extracted(text, v.value, confidence, v.start, v.end) });
    }
  }
  // Text order, so ties between equally confident candidates go to the first mention.
  return out.sort((a, b) => (a.found.source?.start ?? 0) - (b.found.source?.start ?? 0));
}

export function findVenues(text: string): {
  ceremonyVenue: Extracted<string> | null;
  receptionVenue: Extracted<string> | null;
} {
  const all = collect(text);
  const pick = (kind: Kind) =>
    best(all.filter((f) => f.kind === kind || f.kind === "both").map((f) => f.found));
  return { ceremonyVenue: pick("ceremony"), receptionVenue: pick("reception") };
}
