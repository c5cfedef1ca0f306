import { compareAmounts, type PdfAnalysisResult } from "@wedsync/core";
import { findParties, findSections, type Party } from "./document-structure";
import { classifyDocument } from "./document-type";
import { type DateFormatHint, findDates } from "./text-dates";
import { findMoney } from "./text-money";
import { contextAround } from "./text-span";

const TYPE_NAMES: Record<PdfAnalysisResult["documentType"], string> = {
  contract: "contract",
  invoice: "invoice",
  quote: "quote",
  questionnaire: "questionnaire",
  timeline: "timeline",
  menu: "menu",
  other: "document",
};

/**
 * What a document is and what it contains, by rules: its type, heading-like sections with
 * their page, every date and amount with context, the parties, and a templated summary.
 * `pages` gives page numbers to sections; when there are none the whole text is page 1.
 */
export function analyzeDocument(
  text: string,
  pages: string[],
  dateFormat?: DateFormatHint,
): PdfAnalysisResult {
  const { type, confidence } = classifyDocument(text);
  const seenDates = new Set<string>();
  const keyDates: PdfAnalysisResult["keyDates"] = [];
  for (const d of findDates(text, dateFormat)) {
    if (seenDates.has(d.iso) || keyDates.length >= 100) continue;
    seenDates.add(d.iso);
    keyDates.push({ date: d.iso, context: contextAround(text, d.start, d.end) });
  }
  const seenAmounts = new Set<string>();
  const amounts: PdfAnalysisResult["amounts"] = [];
  for (const m of findMoney(text)) {
    const context = contextAround(text, m.start, m.end);
    const key = `${m.amount} ${m.currency} ${context}`;
    if (seenAmounts.has(key) || amounts.length >= 100) continue;
    seenAmounts.add(key);
    amounts.push({ amount: m.amount, currency: m.currency, context });
  }
  const parties = findParties(text);
  const result = {
    pageCount: pages.length,
    documentType: type,
    documentTypeConfidence: confidence,
    sections: findSections(pages.length > 0 ? pages : [text], parties),
    keyDates,
    amounts,
    parties,
  };
  return { ...result, summary: summarise(result) };
}

const who = (p: Party) => (p.role === "party" ? p.name : `${p.name} (${p.role})`);

function listOf(items: string[]): string {
  return items.length <= 1
    ? (items[0] ?? "")
    : `${items.slice(0, -1).join(", ")} and ${items[items.length - 1]}`;
}

/** One or two sentences from the type, parties, first date and largest amount: deterministic. */
function summarise(r: Omit<PdfAnalysisResult, "summary">): string {
  const name = TYPE_NAMES[r.documentType];
  const article = /^[aeiou]/.test(name) ? "An" : "A";
  const pagesText = `${r.pageCount} page${r.pageCount === 1 ? "" : "s"}`;
  const named = r.parties.slice(0, 3).map(who);
  const between =
    named.length === 0
      ? ""
      : named.length === 2
        ? ` between ${named[0]} and ${named[1]}`
        : ` involving ${listOf(named)}`;
  let summary = `${article} ${name} (${pagesText})${between}.`;
  const facts: string[] = [];
  const first = r.keyDates[0];
  if (first) facts.push(`the first date mentioned is ${first.date}`);
  // Amounts in different currencies do not compare: the largest is taken in the first one's currency.
  const currency = r.amounts[0]?.currency;
  const largest = r.amounts
    .filter((a) => a.currency === currency)
    .reduce<(typeof r.amounts)[number] | null>(
      (top, a) => (!top || compareAmounts(a.amount, top.amount) > 0 ? a : top),
      null,
    );
  if (largest) facts.push(`the largest amount is ${largest.amount} ${largest.currency}`);
  if (facts.length > 0) {
    const sentence = facts.join("; ");
    summary += ` ${sentence[0]!.toUpperCase()}${sentence.slice(1)}.`;
  }
  return summary.slice(0, 2_000);
}
