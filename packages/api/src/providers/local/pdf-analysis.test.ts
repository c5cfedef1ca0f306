import { pdfAnalysisResultSchema } from "@wedsync/core";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { isHeading } from "./document-structure";
import { contractPages, invoicePages, makePdf } from "./pdf.fixtures";
import { analyzeDocument } from "./pdf-analysis";
import { extractPdfText } from "./pdf-text";

async function analysePdf(pages: string[][]) {
  const { text, pages: texts } = await extractPdfText(await makePdf(pages));
  return analyzeDocument(text, texts);
}

describe("analyzeDocument on generated PDFs", () => {
  it("a two-page contract", async () => {
    const r = await analysePdf(contractPages);
    expect(r.pageCount).toBe(2);
    expect(r.documentType).toBe("contract");
    expect(r.documentTypeConfidence).toBeGreaterThanOrEqual(0.8);
    expect(r.sections).toEqual([
      { title: "PHOTOGRAPHY SERVICES AGREEMENT", page: 1 },
      { title: "1. Services", page: 1 },
      { title: "2. Fees and Payment Terms", page: 1 },
      { title: "3. Cancellation", page: 2 },
      { title: "Terms and Conditions", page: 2 },
      { title: "Signature", page: 2 },
    ]);
    expect(r.keyDates.map((d) => d.date)).toEqual(["2026-03-03", "2027-06-12", "2027-05-12", "2027-01-01"]);
    expect(r.keyDates[1]!.context).toBe(
      "photograph the wedding on 12 June 2027 at Hengrave Hall, from 13:00",
    );
    expect(r.amounts.map(({ amount, currency }) => [amount, currency])).toEqual([
      ["3250.00", "GBP"],
      ["500.00", "GBP"],
      ["2750.00", "GBP"],
    ]);
    expect(r.amounts[1]!.context).toContain("deposit of £500.00");
    expect(r.parties).toEqual([
      { name: "Evermore Photography Ltd", role: "supplier" },
      { name: "Emma Smith & Liam Jones", role: "client" },
    ]);
    expect(r.summary).toBe(
      "A contract (2 pages) between Evermore Photography Ltd (supplier) and Emma Smith & Liam Jones (client). " +
        "The first date mentioned is 2026-03-03; the largest amount is 3250.00 GBP.",
    );
    expect(pdfAnalysisResultSchema.safeParse(r).success).toBe(true);
  });

  it("an invoice", async () => {
    const r = await analysePdf(invoicePages);
    expect(r.documentType).toBe("invoice");
    expect(r.sections).toEqual([
      { title: "INVOICE", page: 1 },
      { title: "Description", page: 1 },
    ]);
    expect(r.keyDates.map((d) => d.date)).toEqual(["2027-01-15", "2027-02-14"]);
    expect(r.amounts.map((a) => a.amount)).toEqual(["180.00", "72.00", "252.00", "50.40", "302.40"]);
    expect(r.parties).toEqual([
      { name: "Emma Smith & Liam Jones", role: "client" },
      { name: "Bloom & Wild Flowers Ltd", role: "supplier" },
    ]);
    expect(r.summary).toContain("largest amount is 302.40 GBP");
  });
});

describe("analyzeDocument document types", () => {
  it.each([
    [
      "quote",
      "QUOTATION\nPrepared for: Emma Smith\nThis estimate is valid until 1 March 2027.\nTotal £1,200",
    ],
    [
      "questionnaire",
      "Wedding Questionnaire\nPlease tell us about your day.\nWhat time is the ceremony?\nHow many guests?\nAny dietary needs?",
    ],
    [
      "timeline",
      "Order of the Day\n13:00 Guests arrive\n14:00 Ceremony\n15:00 Drinks reception\n17:30 Wedding breakfast\n20:00 Evening party",
    ],
    [
      "menu",
      "Wedding Menu\nStarter\nPea soup\nMain course\nRoast lamb served with greens\nDessert\nEton mess",
    ],
    ["other", "Directions to the venue: take the A14 and turn left at the church."],
  ])("%s", (expected, text) => {
    const r = analyzeDocument(text, [text]);
    expect(r.documentType).toBe(expected);
    if (expected === "other") expect(r.documentTypeConfidence).toBe(0.5);
    else expect(r.documentTypeConfidence).toBeGreaterThan(0.6);
  });

  it("is less confident when two types score closely", () => {
    const clear = analyzeDocument("INVOICE\nInvoice number: 7\nAmount due: £10\nBill to: Jo", []);
    const mixed = analyzeDocument(
      "Invoice and quotation. This estimate is valid until 1 May 2027. Amount due: £10",
      [],
    );
    expect(mixed.documentTypeConfidence).toBeLessThan(clear.documentTypeConfidence);
  });
});

describe("headings", () => {
  it.each([
    "1. Payment Terms",
    "2.1 Deposit",
    "CANCELLATION POLICY",
    "Terms and Conditions",
    "Schedule of Events:",
    "Menu",
  ])("%j is a heading", (line) => expect(isHeading(line)).toBe(true));
  it.each([
    "The Supplier shall provide the services.",
    "Client: Emma Smith",
    "Bill to:",
    "Prepared for:",
    "14:00 Ceremony",
    "What time is the ceremony?",
    "Total £1,200",
    "12 June 2027",
    "a lower case line",
  ])("%j is not a heading", (line) => expect(isHeading(line)).toBe(false));
});

describe("analyzeDocument properties", () => {
  it("never throws and always matches the schema, whatever the text and pages", () => {
    const chunk = fc.oneof(
      fc.constantFrom(
        "AGREEMENT\n",
        "1. Payment Terms\n",
        "between A Ltd (the Supplier) and B (the Client).",
        "Client: Jo\n",
        "Bill to:\n",
        "£1,200.00 ",
        "$30k ",
        "18,500 EUR ",
        "12 June 2027 ",
        "06/07/2027 ",
        "14:00 Ceremony\n",
        "?\n",
        "Starter\n",
        "invoice ",
        "\n",
        " ",
        "😀",
        "\ud800",
      ),
      fc.string({ maxLength: 8 }),
    );
    const text = fc.array(chunk, { maxLength: 80 }).map((parts) => parts.join(""));
    fc.assert(
      fc.property(text, fc.array(text, { maxLength: 4 }), (t, pages) => {
        const r = analyzeDocument(t, pages);
        expect(pdfAnalysisResultSchema.safeParse(r).success).toBe(true);
        expect(r.pageCount).toBe(pages.length);
        expect(analyzeDocument(t, pages)).toEqual(r);
      }),
      { numRuns: 300 },
    );
  });

  it("caps lists at the schema's limits on a huge document", () => {
    const lines = Array.from(
      { length: 400 },
      (_, i) => `${i + 1}. Section Heading\nPaid £${i + 1}.00 on ${(i % 28) + 1} May ${2000 + (i % 100)}.`,
    );
    const text = lines.join("\n");
    const r = analyzeDocument(text, [text]);
    expect(r.sections).toHaveLength(200);
    expect(r.keyDates).toHaveLength(100);
    expect(r.amounts).toHaveLength(100);
    expect(pdfAnalysisResultSchema.safeParse(r).success).toBe(true);
  });
});
