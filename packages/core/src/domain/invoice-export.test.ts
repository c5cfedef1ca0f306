import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { buildInvoice, type Invoice, type InvoiceUsageRow } from "./billing";
import { csvField, invoiceToCsv, invoiceToJson } from "./invoice-export";
import type { ModelPrice } from "./pricing";

/** A strict RFC 4180 parser: CRLF records, quoted fields with doubled quotes, nothing lenient. */
function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let i = 0;
  if (!text.endsWith("\r\n")) throw new Error("the last record must end with CRLF");
  while (i < text.length) {
    let field = "";
    if (text[i] === '"') {
      i++;
      for (;;) {
        if (i >= text.length) throw new Error("unterminated quoted field");
        if (text[i] === '"') {
          if (text[i + 1] === '"') {
            field += '"';
            i += 2;
          } else {
            i++;
            break;
          }
        } else field += text[i++];
      }
    } else {
      while (i < text.length && text[i] !== "," && text[i] !== "\r") {
        if (text[i] === '"' || text[i] === "\n") throw new Error(`bare ${JSON.stringify(text[i])} at ${i}`);
        field += text[i++];
      }
    }
    record.push(field);
    if (text[i] === ",") i++;
    else if (text.startsWith("\r\n", i)) {
      records.push(record);
      record = [];
      i += 2;
    } else throw new Error(`unexpected ${JSON.stringify(text[i])} at ${i}`);
  }
  return records;
}

const PRICE: ModelPrice = {
  provider: "openai",
  model: "gpt-4o-mini",
  // Written short on purpose: exports show prices with six places, as the database keeps them.
  inputPerMillion: "0.15",
  cachedInputPerMillion: "0.075000",
  outputPerMillion: "0.600000",
  effectiveFrom: new Date("2025-01-01T00:00:00Z"),
};

function usage(over: Partial<InvoiceUsageRow>): InvoiceUsageRow {
  return {
    status: "succeeded",
    featureType: "field_extraction",
    clientId: "c1",
    provider: "openai",
    model: "gpt-4o-mini",
    costUsd: "0.000420",
    inputTokens: 1000,
    outputTokens: 500,
    cachedInputTokens: 400,
    createdAt: new Date("2026-06-03T10:00:00Z"),
    ...over,
  };
}

function invoiceWith(clientName: string, featureName: string, organizationName = "Acme Weddings"): Invoice {
  return buildInvoice({
    number: "ACME-2026-0007",
    organizationName,
    periodStart: "2026-06-01",
    periodEnd: "2026-06-30",
    issuedOn: "2026-07-01",
    rows: [
      usage({}),
      usage({ featureType: "pdf_analysis", clientId: "c2", costUsd: "1.234567" }),
      usage({ status: "rejected", costUsd: null }),
    ],
    clientCharges: [
      { clientId: "c1", requests: 1, amountMicros: 420n },
      { clientId: "c2", requests: 1, amountMicros: 1_234_567n },
    ],
    prices: [PRICE],
    clientNames: new Map([
      ["c1", clientName],
      ["c2", "Jo"],
    ]),
    featureName: (f) => (f === "field_extraction" ? featureName : "PDF analysis"),
  });
}

const NASTY_CLIENT = 'Smith, "Sam" & Alex\r\nJones';
const NASTY_FEATURE = 'Field "extraction", v2';

describe("csvField", () => {
  it.each([
    ["plain", "plain"],
    ["a,b", '"a,b"'],
    ['say "hi"', '"say ""hi"""'],
    ["two\nlines", '"two\nlines"'],
    ["", ""],
    [null, ""],
    [42, "42"],
  ])("%j -> %j", (value, expected) => {
    expect(csvField(value)).toBe(expected);
  });
});

describe("invoiceToCsv", () => {
  it("writes a header, CRLF records of equal width, and round-trips names with commas, quotes and newlines", () => {
    const csv = invoiceToCsv(invoiceWith(NASTY_CLIENT, NASTY_FEATURE));
    const [header, ...records] = parseCsv(csv);
    expect(header![0]).toBe("row_type");
    for (const r of records) expect(r).toHaveLength(header!.length);
    const byType = (t: string) =>
      records.filter((r) => r[0] === t).map((r) => Object.fromEntries(header!.map((h, i) => [h, r[i]])));

    const lines = byType("line");
    expect(lines.map((l) => [l.description, l.feature_type, l.requests, l.amount_usd])).toEqual([
      [NASTY_FEATURE, "field_extraction", "1", "0.000420"],
      ["PDF analysis", "pdf_analysis", "1", "1.234567"],
    ]);
    expect(lines[0]).toMatchObject({
      invoice_number: "ACME-2026-0007",
      input_per_million_usd: "0.150000",
      price_effective_from: "2025-01-01T00:00:00.000Z",
      cached_input_tokens: "400",
    });
    expect(byType("client").map((c) => [c.description, c.amount_usd])).toEqual([
      ["Jo", "1.234567"],
      [NASTY_CLIENT, "0.000420"],
    ]);
    expect(byType("subtotal")[0]!.amount_usd).toBe("1.234987");
    expect(byType("total")[0]!.amount_usd).toBe("1.23");
  });

  it("round-trips any client and feature name (property)", () => {
    const name = fc.string({
      unit: fc.constantFrom("a", "Z", " ", ",", '"', "\r", "\n", "é", "<", "&"),
      maxLength: 20,
    });
    fc.assert(
      fc.property(name, name, (client, feature) => {
        const [header, ...records] = parseCsv(invoiceToCsv(invoiceWith(client, feature)));
        const col = header!.indexOf("description");
        // A name starting with a carriage return gets the formula guard's quote (invoice-csv-injection.test.ts).
        const shown = (name: string) => (name.startsWith("\r") ? `'${name}` : name);
        expect(records.find((r) => r[0] === "line")![col]).toBe(shown(feature));
        expect(records.filter((r) => r[0] === "client").map((r) => r[col])).toContain(shown(client));
      }),
    );
  });
});

describe("invoiceToJson", () => {
  it("writes amounts and prices as exact decimal strings", () => {
    const json = JSON.parse(invoiceToJson(invoiceWith("Sam", "Fields")));
    expect(json.subtotalUsd).toBe("1.234987");
    expect(json.totalUsd).toBe("1.23");
    expect(json.lines[0]).toMatchObject({
      featureName: "Fields",
      amountUsd: "0.000420",
      unitPrice: { inputPerMillionUsd: "0.150000", effectiveFrom: "2025-01-01T00:00:00.000Z" },
    });
    expect(json.clients.map((c: { amountUsd: string }) => c.amountUsd)).toEqual(["1.234567", "0.000420"]);
  });
});
