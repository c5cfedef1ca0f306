/** A span of the input text: character offsets (UTF-16, end exclusive) and the text itself. */
export interface SourceSpan {
  start: number;
  end: number;
  text: string;
}

/** The result schema caps span text at 2,000 characters; longer spans are cut, never rejected. */
const MAX_SPAN = 2_000;

export function spanOf(input: string, start: number, end: number): SourceSpan {
  const cut = Math.min(end, start + MAX_SPAN);
  return { start, end: cut, text: input.slice(start, cut) };
}

/** Confidences are reported to two decimals so results stay stable and readable. */
export function round2(x: number): number {
  return Math.round(Math.min(1, Math.max(0, x)) * 100) / 100;
}

/**
 * The line containing `index`, as offsets, so cues are looked for on the same line only. Looks at
 * most `reach` characters either way: the rules only need nearby context, and scanning a whole
 * 100 KB line for every candidate would make extraction quadratic.
 */
export function lineAround(text: string, index: number, reach = 200): { start: number; end: number } {
  const from = Math.max(0, index - reach);
  const back = text.slice(from, index).lastIndexOf("\n");
  const to = Math.min(text.length, index + reach);
  const ahead = text.slice(index, to).indexOf("\n");
  return { start: back === -1 ? from : from + back + 1, end: ahead === -1 ? to : index + ahead };
}

/** About `width` characters either side of a match, whole words only, whitespace collapsed. */
export function contextAround(text: string, start: number, end: number, width = 30, max = 300): string {
  let from = Math.max(0, start - width);
  let to = Math.min(text.length, end + width);
  // Do not start or stop in the middle of a word.
  if (from > 0 && /\S/.test(text[from - 1]!)) {
    const space = text.slice(from, start).search(/\s/);
    from = space === -1 ? start : from + space + 1;
  }
  if (to < text.length && /\S/.test(text[to]!)) {
    const tail = text.slice(end, to);
    const space = Math.max(tail.lastIndexOf(" "), tail.lastIndexOf("\n"), tail.lastIndexOf("\t"));
    to = space === -1 ? end : end + space;
  }
  return text.slice(from, to).replace(/\s+/g, " ").trim().slice(0, max);
}

/** One extracted value as the result schema wants it. */
export interface Extracted<T> {
  value: T;
  confidence: number;
  source: SourceSpan | null;
}

export function extracted<T>(
  input: string,
  value: T,
  confidence: number,
  start: number,
  end: number,
): Extracted<T> {
  return { value, confidence: round2(confidence), source: spanOf(input, start, end) };
}

/** The highest-confidence candidate; on a tie the one found first (text order) wins. */
export function best<T>(candidates: Array<Extracted<T> | null>): Extracted<T> | null {
  let top: Extracted<T> | null = null;
  for (const c of candidates) if (c && (!top || c.confidence > top.confidence)) top = c;
  return top;
}
