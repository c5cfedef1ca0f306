import { type Extracted, extracted, lineAround } from "./text-span";

/** A capitalised word: "Emma", "O'Brien", "Jean-Luc", "Zoë". Lower-case names are not guessed at. */
const NAME_TOKEN = /(?<![\p{L}\p{N}'’-])\p{Lu}[\p{L}'’-]{0,40}\p{L}(?![\p{L}\p{N}])/gu;
const AND_GAP = /^(?:[ \t]+and[ \t]+|[ \t]*[&+][ \t]*)$/;
const SPACE_GAP = /^[ \t]+$/;

/** Greetings and sign-offs next to a pair ("Dear Emma & Liam") are trimmed off its outer ends. */
const SKIP = new Set(
  (
    "hi hello hey dear thanks thank regards love cheers best wishes from subject re fwd for congratulations " +
    "dearest lovely we're we’re i'm i’m it's it’s we'd we’d we've we’ve meet introducing"
  ).split(" "),
);
/** Words that mean a capitalised pair is not two people ("Terms and Conditions", "Smith & Co"). */
const NOT_A_NAME = new Set(
  (
    "mr mrs ms miss dr mx sir madam bride groom partner partners wedding weddings ceremony reception venue church " +
    "chapel hall hotel barn manor house castle estate gardens garden farm inn terms conditions bed breakfast " +
    "ltd limited llc inc co company photography photographer flowers florist catering events studio studios " +
    "sons associates bar grill salt pepper fish chips black white rock roll the our my we i you " +
    "january february march april may june july august september october november december " +
    "monday tuesday wednesday thursday friday saturday sunday street road lane avenue st mary mary's"
  ).split(" "),
);

interface Token {
  word: string;
  start: number;
  end: number;
}

const lower = (t: Token) => t.word.toLowerCase();

/** Names joined by "&", "+" or "and": "Emma & Liam", "Emma Smith and Liam Jones". */
function pairCandidates(text: string, tokens: Token[]): Array<Extracted<string[]>> {
  const out: Array<Extracted<string[]>> = [];
  for (let i = 0; i + 1 < tokens.length; i++) {
    const a = tokens[i]!;
    const b = tokens[i + 1]!;
    if (!AND_GAP.test(text.slice(a.end, b.start))) continue;
    let first = i;
    while (
      first > 0 &&
      i - first < 2 &&
      SPACE_GAP.test(text.slice(tokens[first - 1]!.end, tokens[first]!.start))
    )
      first--;
    let last = i + 1;
    while (
      last + 1 < tokens.length &&
      last - i < 3 &&
      SPACE_GAP.test(text.slice(tokens[last]!.end, tokens[last + 1]!.start))
    )
      last++;
    while (first < i && SKIP.has(lower(tokens[first]!))) first++;
    while (last > i + 1 && SKIP.has(lower(tokens[last]!))) last--;
    const left = tokens.slice(first, i + 1);
    const right = tokens.slice(i + 1, last + 1);
    if ([...left, ...right].some((t) => NOT_A_NAME.has(lower(t)) || SKIP.has(lower(t)))) continue;
    const start = left[0]!.start;
    const end = right[right.length - 1]!.end;
    const line = lineAround(text, start);
    const before = text.slice(Math.max(line.start, start - 40), start);
    const aloneOnLine =
      text.slice(line.start, start).trim() === "" && text.slice(end, line.end).trim() === "";
    const cued =
      /(?:we[ \t]+are|we're|names?|couple|clients?|for|of|regards|thanks|love|wishes|cheers)\W*$/i.test(
        before,
      );
    const names = [personName(text, left), personName(text, right)];
    out.push(extracted(text, names, cued || aloneOnLine ? 0.85 : 0.7, start, end));
  }
  return out;
}

function personName(text: string, tokens: Token[]): string {
  return text.slice(tokens[0]!.start, tokens[tokens.length - 1]!.end).replace(/[ \t]+/g, " ");
}

const LABEL =
  /(?<!\p{L})(bride|groom|partner[ \t]*(?:1|one|a|2|two|b)|person[ \t]*[12]|spouse[ \t]*[12])(?:'s)?(?:[ \t]+(?:full[ \t]+)?name)?[ \t]*(?::|=|->|-|–)[ \t]*/giu;
const LABEL_VALUE = /[\p{L}][\p{L}'’.-]{0,40}(?:[ \t]+[\p{L}][\p{L}'’.-]{0,40}){0,3}/uy;
const LABEL_WORDS = /^(?:bride|groom|partner|person|spouse|and|name)$/i;

/** The name after a label, stopping before the next label word ("Emma Groom: Liam" -> "Emma"). */
function labelValueAt(text: string, pos: number): { name: string; start: number; end: number } | null {
  LABEL_VALUE.lastIndex = pos;
  const v = LABEL_VALUE.exec(text);
  if (!v) return null;
  let end = pos;
  for (const w of v[0].matchAll(/\S+/g)) {
    if (LABEL_WORDS.test(w[0])) break;
    end = pos + w.index + w[0].length;
  }
  while (end > pos && /[.-]/.test(text[end - 1]!)) end--;
  const name = text.slice(pos, end).replace(/[ \t]+/g, " ");
  return name.length >= 2 ? { name, start: pos, end } : null;
}

/** "Bride: Emma / Groom: Liam", "Partner 1 name: Aisha Khan": any case, the labels say who is who. */
function labelled(text: string): Extracted<string[]> | null {
  const slots: Array<{ name: string; start: number; end: number } | undefined> = [];
  for (const m of text.matchAll(LABEL)) {
    const slot = /^(?:bride|partner[ \t]*(?:1|one|a)|person[ \t]*1|spouse[ \t]*1)$/i.test(m[1]!) ? 0 : 1;
    if (!slots[slot]) slots[slot] = labelValueAt(text, m.index + m[0].length) ?? undefined;
  }
  const [p1, p2] = slots;
  if (p1 && p2) {
    const start = Math.min(p1.start, p2.start);
    const end = Math.max(p1.end, p2.end);
    return extracted(text, [p1.name, p2.name], 0.9, start, end);
  }
  const one = p1 ?? p2;
  return one ? extracted(text, [one.name], 0.6, one.start, one.end) : null;
}

const INTRO = /(?<!\p{L})(?:i'?m|i[ \t]+am|my[ \t]+name[ \t]+is|this[ \t]+is|it'?s)[ \t]+/giu;
const PARTNER =
  /(?<!\p{L})(?:fianc[eé]e?|partner|husband[ -]to[ -]be|wife[ -]to[ -]be|other[ \t]+half)(?:[ \t]+is)?,?[ \t]+/giu;
const RUN = /\p{Lu}[\p{L}'’-]{0,40}\p{L}(?:[ \t]+\p{Lu}[\p{L}'’-]{0,40}\p{L}){0,2}(?![\p{L}])/uy;

function runAt(text: string, pos: number): { name: string; start: number; end: number } | null {
  RUN.lastIndex = pos;
  const m = RUN.exec(text);
  if (!m || m[0].split(/[ \t]+/).some((w) => NOT_A_NAME.has(w.toLowerCase()))) return null;
  return { name: m[0].replace(/[ \t]+/g, " "), start: pos, end: pos + m[0].length };
}

/** "I'm Emma and my fiancé Liam...", "My name is Jessica Miller and my fiancé is Daniel Thompson". */
function introduced(text: string): Extracted<string[]> | null {
  for (const i of text.matchAll(INTRO)) {
    const me = runAt(text, i.index + i[0].length);
    if (!me) continue;
    for (const p of text.slice(me.end, me.end + 200).matchAll(PARTNER)) {
      const them = runAt(text, me.end + p.index + p[0].length);
      if (them) return extracted(text, [me.name, them.name], 0.75, me.start, them.end);
    }
  }
  return null;
}

/**
 * The couple's names. Labelled forms win, then a cued pair ("We're Emma & Liam"), then an
 * introduction ("I'm Emma and my fiancé Liam"), then any capitalised pair.
 */
export function findCoupleNames(text: string): Extracted<string[]> | null {
  const label = labelled(text);
  if (label && label.value.length === 2) return label;
  const tokens = [...text.matchAll(NAME_TOKEN)].map((m) => ({
    word: m[0],
    start: m.index,
    end: m.index + m[0].length,
  }));
  let top: Extracted<string[]> | null = null;
  for (const c of [...pairCandidates(text, tokens), introduced(text)]) {
    if (c && (!top || c.confidence > top.confidence)) top = c;
  }
  return top ?? label;
}
