import { findDates } from "./text-dates";
import { findMoney } from "./text-money";

export interface Section {
  title: string;
  page: number;
}

export interface Party {
  name: string;
  role: string;
}

const NUMBERED = /^(?:\d{1,3}(?:\.\d{1,2})*\.?|[IVX]{1,4}\.|[A-Z]\.)[ \t]+\p{Lu}/u;

/**
 * A line that looks like a heading: short, not a sentence (no closing full stop), not a
 * "Label: value" field, not a question or timeline entry, and numbered ("1. Payment Terms"),
 * ALL CAPS, or Title Case.
 */
export function isHeading(line: string): boolean {
  const t = line.trim();
  if (t.length < 3 || t.length > 80 || !/\p{L}{2}/u.test(t)) return false;
  if (/[.,;?!]$/.test(t) || /:[ \t]*\S/.test(t) || /^\d{1,2}[:.]\d{2}/.test(t)) return false;
  if (findMoney(t).length > 0 || findDates(t).length > 0) return false;
  const words = t.replace(/:$/, "").split(/\s+/);
  if (NUMBERED.test(t)) return words.length <= 10;
  const letters = t.replace(/[^\p{L}]/gu, "");
  if (letters.length >= 3 && letters === letters.toUpperCase() && letters !== letters.toLowerCase()) {
    return words.length <= 8;
  }
  // Title Case: starts with a capital and every word of four or more letters is capitalised.
  const long = words.filter((w) => /^\p{L}{4,}/u.test(w));
  // "Bill to:" introduces a value on the next line; "Payment Terms:" heads a section: with a
  // trailing colon, at least two significant words are needed.
  const needed = t.endsWith(":") ? 2 : 1;
  return (
    words.length <= 8 && /^\p{Lu}/u.test(t) && long.length >= needed && long.every((w) => /^\p{Lu}/u.test(w))
  );
}

/** Headings, page by page. A line that is just a party's name ("Emma Smith & Liam Jones") is not one. */
export function findSections(pages: string[], parties: Party[] = []): Section[] {
  const names = new Set(parties.map((p) => p.name.toLowerCase()));
  const out: Section[] = [];
  pages.forEach((page, i) => {
    const seen = new Set<string>();
    for (const line of page.split("\n")) {
      if (out.length >= 200) return;
      if (!isHeading(line)) continue;
      const title = line.trim().replace(/:$/, "").replace(/\s+/g, " ");
      if (seen.has(title) || names.has(title.toLowerCase())) continue;
      seen.add(title);
      out.push({ title, page: i + 1 });
    }
  });
  return out;
}

const SUPPLIER = /supplier|photographer|vendor|provider|company|florist|caterer|venue|planner|contractor/i;
const CLIENT = /client|customer|couple|bride|groom|purchaser|hirer/i;

function roleFrom(hint: string | undefined, fallback: string): string {
  if (!hint) return fallback;
  if (SUPPLIER.test(hint)) return "supplier";
  if (CLIENT.test(hint)) return "client";
  return fallback;
}

// "between Evermore Photography Ltd (the "Supplier") and Emma Smith & Liam Jones (the "Client")"
const BETWEEN =
  /\bbetween[ \t]+([^()\n,;]{2,100}?)(?:[ \t]*\(([^)\n]{1,80})\))?,?\s+and\s+([^()\n,;.]{2,100}?)(?:[ \t]*\(([^)\n]{1,80})\))?(?=[ \t]*(?:[,.;]|\n|$))/giu;
const LABELLED =
  /^[ \t]*(client|customer|couple|supplier|vendor|photographer|bill(?:ed)?[ \t]+to|invoice[ \t]+to|prepared[ \t]+for|prepared[ \t]+by|issued[ \t]+by)[ \t]*:[ \t]*([^\n]*)(?:\n[ \t]*([^\n]*))?/gimu;

const cleanName = (s: string) =>
  s
    .replace(/\s+/g, " ")
    .replace(/^[\s"'“”‘’]+|[\s"'“”‘’,.:;]+$/g, "")
    .slice(0, 200);

/** Parties named by "between X and Y" or by labels such as "Client:", "Supplier:", "Bill to:". */
export function findParties(text: string): Party[] {
  const found: Array<Party & { at: number }> = [];
  for (const m of text.matchAll(BETWEEN)) {
    found.push({ name: cleanName(m[1]!), role: roleFrom(m[2], "party"), at: m.index });
    found.push({ name: cleanName(m[3]!), role: roleFrom(m[4], "party"), at: m.index + 1 });
  }
  for (const m of text.matchAll(LABELLED)) {
    const label = m[1]!.toLowerCase();
    // "Bill to:" often has the name on the next line.
    const name = cleanName(m[2]!.trim() ? m[2]! : (m[3] ?? ""));
    const role = /supplier|vendor|photographer|prepared[ \t]+by|issued/.test(label) ? "supplier" : "client";
    found.push({ name, role, at: m.index });
  }
  const seen = new Set<string>();
  const out: Party[] = [];
  for (const p of found.sort((a, b) => a.at - b.at)) {
    const key = p.name.toLowerCase();
    if (p.name.length < 2 || !/\p{L}/u.test(p.name) || seen.has(key) || out.length >= 50) continue;
    seen.add(key);
    out.push({ name: p.name, role: p.role });
  }
  return out;
}
