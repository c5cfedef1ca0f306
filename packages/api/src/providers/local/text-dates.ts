/**
 * Calendar dates written in prose, as ISO strings with their offsets. Shared by field extraction
 * and document analysis so both read "12/06/2027" the same way.
 */

export type DateFormatHint = "DD/MM/YYYY" | "MM/DD/YYYY" | "YYYY-MM-DD";

export interface FoundDate {
  iso: string;
  start: number;
  end: number;
  /** Day and month could be swapped (both <= 12) and no hint said which is which. */
  ambiguous: boolean;
}

const MONTH =
  "(jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)(?!\\p{L})";
const ORD = "(?:st|nd|rd|th)?";

// Each pattern is anchored on digits or a month name and uses bounded gaps, so scanning stays linear.
const YEAR_FIRST = /(?<!\d)(\d{4})([-/.])(\d{1,2})\2(\d{1,2})(?!\d|[-/.]\d)/g;
const NUMERIC = /(?<![\d/.-])(\d{1,2})([-/.])(\d{1,2})\2(\d{4}|\d{2})(?!\d|[-/.]\d)/g;
const DAY_MONTH = new RegExp(
  `(?<![\\p{L}\\d])(\\d{1,2})${ORD}(?:\\s{1,3}of)?[\\s-]{1,3}${MONTH}\\.?,?[\\s-]{1,3}(\\d{4})(?!\\d)`,
  "giu",
);
const MONTH_DAY = new RegExp(
  `(?<!\\p{L})${MONTH}\\.?\\s{1,3}(\\d{1,2})${ORD},?\\s{1,3}(\\d{4})(?!\\d)`,
  "giu",
);

const MONTH_INDEX: Record<string, number> = {
  jan: 1,
  feb: 2,
  mar: 3,
  apr: 4,
  may: 5,
  jun: 6,
  jul: 7,
  aug: 8,
  sep: 9,
  oct: 10,
  nov: 11,
  dec: 12,
};

function monthNumber(name: string): number {
  return MONTH_INDEX[name.slice(0, 3).toLowerCase()] ?? 0;
}

/** A real calendar day in a plausible range (leap years included), as YYYY-MM-DD, or null. */
export function isoDate(year: number, month: number, day: number): string | null {
  if (year < 1900 || year > 2199 || month < 1 || month > 12 || day < 1) return null;
  const days = new Date(Date.UTC(year, month, 0)).getUTCDate();
  if (day > days) return null;
  return `${year}-${String(month).padStart(2, "0")}-${String(day).padStart(2, "0")}`;
}

/**
 * Numeric d/m/y: DD/MM unless the hint says MM/DD; if the preferred reading is impossible
 * (e.g. 06/13/2027 read as DD/MM) the other one is used.
 */
function numericDate(a: number, b: number, year: number, hint: DateFormatHint | undefined) {
  const monthFirst = hint === "MM/DD/YYYY";
  const preferred = monthFirst ? isoDate(year, a, b) : isoDate(year, b, a);
  if (preferred) return { iso: preferred, ambiguous: !hint && a <= 12 && b <= 12 && a !== b };
  const other = monthFirst ? isoDate(year, b, a) : isoDate(year, a, b);
  return other ? { iso: other, ambiguous: false } : null;
}

export function findDates(text: string, hint?: DateFormatHint): FoundDate[] {
  const found: FoundDate[] = [];
  const push = (iso: string | null, start: number, end: number, ambiguous = false) => {
    if (iso) found.push({ iso, start, end, ambiguous });
  };
  for (const m of text.matchAll(YEAR_FIRST)) {
    push(isoDate(Number(m[1]), Number(m[3]), Number(m[4])), m.index, m.index + m[0].length);
  }
  for (const m of text.matchAll(NUMERIC)) {
    const y = m[4]!.length === 2 ? 2000 + Number(m[4]) : Number(m[4]);
    const d = numericDate(Number(m[1]), Number(m[3]), y, hint);
    if (d) push(d.iso, m.index, m.index + m[0].length, d.ambiguous);
  }
  for (const m of text.matchAll(DAY_MONTH)) {
    push(isoDate(Number(m[3]), monthNumber(m[2]!), Number(m[1])), m.index, m.index + m[0].length);
  }
  for (const m of text.matchAll(MONTH_DAY)) {
    push(isoDate(Number(m[3]), monthNumber(m[1]!), Number(m[2])), m.index, m.index + m[0].length);
  }
  return dropOverlaps(found);
}

/** In text order; where two readings overlap the earlier (then longer) one wins. */
export function dropOverlaps<T extends { start: number; end: number }>(items: T[]): T[] {
  const sorted = [...items].sort((x, y) => x.start - y.start || y.end - x.end);
  const out: T[] = [];
  for (const item of sorted) {
    const last = out[out.length - 1];
    if (!last || item.start >= last.end) out.push(item);
  }
  return out;
}
