import { findDates } from "./text-dates";
import { type Extracted, extracted, lineAround } from "./text-span";

const LOCAL_CHAR = /[A-Za-z0-9._%+-]/;
const DOMAIN_CHAR = /[A-Za-z0-9.-]/;
const DOMAIN = /^[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,24}$/;

/**
 * The first e-mail address. Found by expanding around each "@" rather than with one big
 * regular expression, so a long run of word characters cannot make the scan quadratic.
 */
export function findEmail(text: string): Extracted<string> | null {
  for (let at = text.indexOf("@"); at !== -1; at = text.indexOf("@", at + 1)) {
    let start = at;
    while (start > 0 && at - start < 64 && LOCAL_CHAR.test(text[start - 1]!)) start--;
    if (start > 0 && LOCAL_CHAR.test(text[start - 1]!)) continue; // local part longer than 64
    while (start < at && text[start] === ".") start++;
    let end = at + 1;
    while (end < text.length && end - at <= 253 && DOMAIN_CHAR.test(text[end]!)) end++;
    while (end > at + 1 && /[.-]/.test(text[end - 1]!)) end--; // a sentence's full stop
    const local = text.slice(start, at);
    if (!local || local.includes("..") || end - start > 254) continue;
    if (!DOMAIN.test(text.slice(at + 1, end))) continue;
    return extracted(text, text.slice(start, end), 0.95, start, end);
  }
  return null;
}

// Optional +country code, optional (area) or (0), then digits with spaces, dots or hyphens.
const PHONE = /(?<![\w+])(?:\+\d{1,3}[ .-]?)?(?:\(\d{1,5}\)[ .-]?)?\d[\d .-]{5,18}\d(?!\w)/g;
const PHONE_CUE =
  /(?:phone|tel(?:ephone)?|mob(?:ile)?|cell|call|ring|te?xt|whats[ \t]?app|contact|reach|number|no\.)[^\n]{0,25}$/i;

/** A phone number of 10-15 digits; one introduced by "phone", "call me on"... beats a bare one. */
export function findPhone(text: string): Extracted<string> | null {
  let top: Extracted<string> | null = null;
  for (const m of text.matchAll(PHONE)) {
    const digits = m[0].replace(/\D/g, "").length;
    if (digits < 10 || digits > 15 || findDates(m[0]).length > 0) continue;
    const line = lineAround(text, m.index);
    const before = text.slice(Math.max(line.start, m.index - 30), m.index);
    const confidence = PHONE_CUE.test(before) ? 0.9 : m[0].startsWith("+") ? 0.7 : 0.6;
    if (!top || confidence > top.confidence) {
      top = extracted(text, m[0], confidence, m.index, m.index + m[0].length);
    }
  }
  return top;
}
