import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  buildInvoice,
  formatInvoiceNumber,
  type InvoiceUsageRow,
  invoiceLines,
  invoiceTotals,
  isBilled,
  monthlyBreakdown,
  NO_CLIENT_NAME,
} from "./billing";
import { FEATURE_TYPES, type UsageStatus } from "./codes";
import { toMicros } from "./money";
import { costMicros, type ModelPrice, priceChangeInstants } from "./pricing";

const MID_JUNE = new Date("2026-06-15T00:00:00Z");
const PRICES: ModelPrice[] = [
  {
    provider: "openai",
    model: "gpt-4o-mini",
    inputPerMillion: "0.150000",
    cachedInputPerMillion: "0.075000",
    outputPerMillion: "0.600000",
    effectiveFrom: new Date("2025-01-01T00:00:00Z"),
  },
  // A price change in the middle of the month: June's gpt-4o-mini usage splits into two lines.
  {
    provider: "openai",
    model: "gpt-4o-mini",
    inputPerMillion: "0.120000",
    cachedInputPerMillion: "0.060000",
    outputPerMillion: "0.480000",
    effectiveFrom: MID_JUNE,
  },
  {
    provider: "openai",
    model: "gpt-4o",
    inputPerMillion: "2.500000",
    cachedInputPerMillion: "1.250000",
    outputPerMillion: "10.000000",
    effectiveFrom: new Date("2025-01-01T00:00:00Z"),
  },
  {
    provider: "local",
    model: "local-rules",
    inputPerMillion: "0",
    cachedInputPerMillion: "0",
    outputPerMillion: "0",
    effectiveFrom: new Date("2025-01-01T00:00:00Z"),
  },
];

/** Micro-dollars -> a numeric(12,6) string, written independently of money.ts. */
const micros6 = (m: bigint) => `${m / 1_000_000n}.${(m % 1_000_000n).toString().padStart(6, "0")}`;

/** Charges by client as the client rollups sum them, here from the rows themselves. */
function chargesOf(rows: readonly InvoiceUsageRow[]) {
  return monthlyBreakdown(rows).byClient.map((c) => ({
    clientId: c.clientId,
    requests: c.requests,
    amountMicros: c.costMicros,
  }));
}

function row(over: Partial<InvoiceUsageRow> = {}): InvoiceUsageRow {
  return {
    status: "succeeded",
    featureType: "pdf_analysis",
    clientId: "c1",
    provider: "openai",
    model: "gpt-4o-mini",
    costUsd: "0.001000",
    inputTokens: 1000,
    outputTokens: 100,
    cachedInputTokens: 0,
    createdAt: new Date("2026-06-10T12:00:00Z"),
    ...over,
  };
}

describe("monthlyBreakdown", () => {
  it("bills succeeded and failed requests, never pending or rejected ones", () => {
    const b = monthlyBreakdown([
      row({ costUsd: "0.002500" }),
      row({ status: "failed", costUsd: "0.000100", clientId: "c2" }),
      row({ status: "pending", costUsd: null }),
      row({ status: "rejected", costUsd: null, inputTokens: 0, outputTokens: 0 }),
      row({ status: "rejected", costUsd: null, inputTokens: 0, outputTokens: 0 }),
    ]);
    expect(b.total).toEqual({
      requests: 2,
      succeeded: 1,
      failed: 1,
      inputTokens: 2000,
      cachedInputTokens: 0,
      outputTokens: 200,
      costMicros: 2600n,
    });
    expect(b.unbilled).toEqual({ pending: 1, rejected: 2 });
    expect(b.byClient.map((c) => [c.clientId, c.costMicros])).toEqual([
      ["c1", 2500n],
      ["c2", 100n],
    ]);
  });

  it("refuses a completed row without a cost rather than billing it as free", () => {
    expect(() => monthlyBreakdown([row({ costUsd: null })])).toThrow(RangeError);
    expect(() => monthlyBreakdown([row({ costUsd: "-0.000001" })])).toThrow(RangeError);
  });

  it("lists groups by cost, then key, with null keys last", () => {
    const b = monthlyBreakdown([
      row({ clientId: null, costUsd: "0.000001" }),
      row({ clientId: "b", costUsd: "0.000001" }),
      row({ clientId: "a", costUsd: "0.000001" }),
      row({ clientId: "z", costUsd: "0.000002" }),
    ]);
    expect(b.byClient.map((c) => c.clientId)).toEqual(["z", "a", "b", null]);
  });
});

describe("invoiceLines", () => {
  it("splits a model's usage at a mid-month price change and sums stored costs", () => {
    const lines = invoiceLines(
      [
        row({ createdAt: new Date("2026-06-14T23:59:59Z"), costUsd: "0.000210" }),
        row({ createdAt: new Date("2026-06-01T00:00:00Z"), costUsd: "0.000210" }),
        row({ createdAt: MID_JUNE, costUsd: "0.000168" }),
        row({ status: "rejected", costUsd: null }),
      ],
      PRICES,
    );
    expect(
      lines.map((l) => [l.model, l.unitPrice?.inputPerMillion, l.requests, l.inputTokens, l.amountMicros]),
    ).toEqual([
      ["gpt-4o-mini", "0.150000", 2, 2000, 420n],
      ["gpt-4o-mini", "0.120000", 1, 1000, 168n],
    ]);
  });

  it("finds the price of a dated snapshot under its undated name, and bills unknown prices as stored", () => {
    const lines = invoiceLines(
      [
        row({ model: "gpt-4o-mini-2024-07-18", costUsd: "0.000300" }),
        row({ model: "mystery", costUsd: "0.000007" }),
        row({ status: "failed", provider: null, model: null, costUsd: "0", inputTokens: 0, outputTokens: 0 }),
      ],
      PRICES,
    );
    expect(lines.map((l) => [l.model, l.unitPrice?.inputPerMillion ?? null, l.amountMicros])).toEqual([
      ["gpt-4o-mini-2024-07-18", "0.150000", 300n],
      ["mystery", null, 7n],
      [null, null, 0n],
    ]);
    expect(invoiceLines([row()])[0]!.unitPrice).toBeNull();
  });
});

describe("invoiceTotals", () => {
  it("rounds once, half-up, on the total: never line by line", () => {
    // Three lines of half a cent: 1.5 cents -> 2 cents. Rounding each line first would give 3.
    const t = invoiceTotals([{ amountMicros: 5_000n }, { amountMicros: 5_000n }, { amountMicros: 5_000n }]);
    expect(t).toEqual({ subtotalMicros: 15_000n, subtotal: "0.015000", totalMicros: 20_000n, total: "0.02" });
    expect(invoiceTotals([{ amountMicros: 14_999n }]).total).toBe("0.01");
    expect(invoiceTotals([]).total).toBe("0.00");
  });
});

describe("formatInvoiceNumber", () => {
  it.each([
    ["ACME", 2026, 1, "ACME-2026-0001"],
    ["acme-weddings", 2026, 42, "ACME-WEDDINGS-2026-0042"],
    ["ACME", 2027, 12345, "ACME-2027-12345"],
  ])("%s %s #%s is %s", (prefix, year, seq, expected) => {
    expect(formatInvoiceNumber(prefix, year, seq)).toBe(expected);
  });
  it("refuses what cannot be an invoice number", () => {
    expect(() => formatInvoiceNumber("AC ME", 2026, 1)).toThrow(RangeError);
    expect(() => formatInvoiceNumber("", 2026, 1)).toThrow(RangeError);
    expect(() => formatInvoiceNumber("ACME", 2026, 0)).toThrow(RangeError);
    expect(() => formatInvoiceNumber("ACME", 26, 1)).toThrow(RangeError);
  });
  it("keeps numbers in sequence order when sorted as text up to 9999 (property)", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 9999 }), fc.integer({ min: 1, max: 9999 }), (a, b) => {
        const [x, y] = [formatInvoiceNumber("ACME", 2026, a), formatInvoiceNumber("ACME", 2026, b)];
        expect(Math.sign(x.localeCompare(y))).toBe(Math.sign(a - b));
      }),
    );
  });
});

describe("buildInvoice", () => {
  it("names clients and features, and totals the lines", () => {
    const rows = [
      row({ costUsd: "1.234567" }),
      row({ clientId: null, costUsd: "0.000001" }),
      row({ clientId: "c9" }),
    ];
    const invoice = buildInvoice({
      number: "ACME-2026-0001",
      organizationName: "Acme",
      periodStart: "2026-06-01",
      periodEnd: "2026-06-30",
      issuedOn: "2026-07-01",
      rows,
      clientCharges: chargesOf(rows),
      prices: PRICES,
      clientNames: new Map([["c1", "Sam & Alex"]]),
      featureName: (f) => f.toUpperCase(),
    });
    expect(invoice.lines.map((l) => l.featureName)).toEqual(["PDF_ANALYSIS"]);
    expect(invoice.clients.map((c) => [c.clientName, c.amountMicros])).toEqual([
      ["Sam & Alex", 1_234_567n],
      ["c9", 1_000n],
      [NO_CLIENT_NAME, 1n],
    ]);
    expect(invoice.totals.total).toBe("1.24");
  });

  it("lists clients by charge, costliest first, leaving out those without requests", () => {
    const invoice = buildInvoice({
      number: "ACME-2026-0001",
      organizationName: "Acme",
      periodStart: "2026-06-01",
      periodEnd: "2026-06-30",
      issuedOn: "2026-07-01",
      rows: [],
      clientCharges: [
        { clientId: "b", requests: 1, amountMicros: 5n },
        { clientId: null, requests: 2, amountMicros: 5n },
        { clientId: "a", requests: 3, amountMicros: 5n },
        { clientId: "z", requests: 1, amountMicros: 9n },
        { clientId: "idle", requests: 0, amountMicros: 0n },
      ],
      clientNames: new Map([["z", "Zoe & Max"]]),
    });
    expect(invoice.clients).toEqual([
      { clientId: "z", clientName: "Zoe & Max", requests: 1, amountMicros: 9n },
      { clientId: "a", clientName: "a", requests: 3, amountMicros: 5n },
      { clientId: "b", clientName: "b", requests: 1, amountMicros: 5n },
      { clientId: null, clientName: NO_CLIENT_NAME, requests: 2, amountMicros: 5n },
    ]);
    expect(invoice.lines).toEqual([]);
    expect(invoice.totals.total).toBe("0.00");
  });
});

// ---- the property: everything adds up to the micro-dollar --------------------------------------

const JUNE_START = Date.UTC(2026, 5, 1);
const JUNE_END = Date.UTC(2026, 6, 1) - 1;
const MODELS: Array<[provider: string, model: string]> = [
  ["openai", "gpt-4o-mini"],
  ["openai", "gpt-4o"],
  ["local", "local-rules"],
];

const usageRowArb: fc.Arbitrary<InvoiceUsageRow> = fc
  .record({
    status: fc.constantFrom<UsageStatus>("succeeded", "succeeded", "failed", "rejected", "pending"),
    featureType: fc.constantFrom(...FEATURE_TYPES),
    clientId: fc.constantFrom<string | null>("c1", "c2", "c3", null),
    model: fc.constantFrom(...MODELS),
    // Near the price change often, anywhere in June otherwise.
    at: fc.oneof(
      fc.integer({ min: JUNE_START, max: JUNE_END }),
      fc.integer({ min: MID_JUNE.getTime() - 2, max: MID_JUNE.getTime() + 1 }),
    ),
    input: fc.oneof(fc.nat({ max: 50 }), fc.nat({ max: 2_000_000 })),
    cachedShare: fc.double({ min: 0, max: 1, noNaN: true }),
    output: fc.oneof(fc.nat({ max: 50 }), fc.nat({ max: 200_000 })),
  })
  .map((r) => {
    const createdAt = new Date(r.at);
    const [provider, model] = r.model;
    const completed = r.status === "succeeded" || r.status === "failed";
    const usage = {
      inputTokens: completed ? r.input : 0,
      outputTokens: completed ? r.output : 0,
      cachedInputTokens: completed ? Math.floor(r.input * r.cachedShare) : 0,
    };
    // The price the API would have used: the newest in force at the request.
    const price = PRICES.filter(
      (p) => p.provider === provider && p.model === model && p.effectiveFrom <= createdAt,
    ).sort((a, b) => b.effectiveFrom.getTime() - a.effectiveFrom.getTime())[0]!;
    return {
      status: r.status,
      featureType: r.featureType,
      clientId: r.clientId,
      provider,
      model,
      createdAt,
      costUsd: completed ? micros6(costMicros(usage, price)) : null,
      ...usage,
    };
  });

/** Independent recomputation: parse the stored strings without money.ts and sum per key. */
function expectedSums(rows: readonly InvoiceUsageRow[], keyOf: (r: InvoiceUsageRow) => string) {
  const sums = new Map<string, { requests: number; tokens: number; cached: number; micros: bigint }>();
  for (const r of rows) {
    if (r.status !== "succeeded" && r.status !== "failed") continue;
    const [whole, frac] = r.costUsd!.split(".");
    const micros = BigInt(whole!) * 1_000_000n + BigInt(frac!);
    const s = sums.get(keyOf(r)) ?? { requests: 0, tokens: 0, cached: 0, micros: 0n };
    sums.set(keyOf(r), {
      requests: s.requests + 1,
      tokens: s.tokens + r.inputTokens + r.outputTokens,
      cached: s.cached + r.cachedInputTokens,
      micros: s.micros + micros,
    });
  }
  return sums;
}

describe("billing adds up (property)", () => {
  it("every breakdown, line and total equals an independent recomputation to the micro-dollar", () => {
    fc.assert(
      fc.property(fc.array(usageRowArb, { maxLength: 120 }), (rows) => {
        const b = monthlyBreakdown(rows);
        const groups = [
          [b.byFeature.map((g) => [g.featureType, g] as const), (r: InvoiceUsageRow) => r.featureType],
          [
            b.byClient.map((g) => [String(g.clientId), g] as const),
            (r: InvoiceUsageRow) => String(r.clientId),
          ],
          [b.byModel.map((g) => [String(g.model), g] as const), (r: InvoiceUsageRow) => String(r.model)],
          // The total exists even with nothing billed; the recomputation only has keys it saw.
          [b.total.requests === 0 ? [] : [["all", b.total] as const], () => "all"],
        ] as const;
        for (const [actual, keyOf] of groups) {
          const expected = expectedSums(rows, keyOf);
          const got = new Map(
            actual.map(([k, t]) => [
              k,
              {
                requests: t.requests,
                tokens: t.inputTokens + t.outputTokens,
                cached: t.cachedInputTokens,
                micros: t.costMicros,
              },
            ]),
          );
          expect(got).toEqual(expected);
        }
        expect(b.unbilled.pending + b.unbilled.rejected + b.total.requests).toBe(rows.length);

        // Lines: one per feature, model and the price in force (old before 15 June, new from it).
        const lines = invoiceLines(rows, PRICES);
        const priceEpoch = (r: InvoiceUsageRow) =>
          r.model === "gpt-4o-mini" && r.createdAt >= MID_JUNE ? "new" : "old";
        const expectedLines = expectedSums(rows, (r) => `${r.featureType}|${r.model}|${priceEpoch(r)}`);
        const gotLines = new Map(
          lines.map((l) => [
            `${l.featureType}|${l.model}|${l.unitPrice!.effectiveFrom >= MID_JUNE ? "new" : "old"}`,
            {
              requests: l.requests,
              tokens: l.inputTokens + l.outputTokens,
              cached: l.cachedInputTokens,
              micros: l.amountMicros,
            },
          ]),
        );
        expect(gotLines).toEqual(expectedLines);

        // Each line's amount is its tokens at its unit prices, give or take half a micro-dollar a request.
        for (const l of lines) {
          const p = l.unitPrice!;
          const toPico = (s: string) => BigInt(s.replace(".", "")); // 6 places: price in µ$ per million
          const exactTimesMillion =
            BigInt(l.inputTokens - l.cachedInputTokens) * toPico(p.inputPerMillion) +
            BigInt(l.cachedInputTokens) * toPico(p.cachedInputPerMillion) +
            BigInt(l.outputTokens) * toPico(p.outputPerMillion);
          const diff = l.amountMicros * 1_000_000n - exactTimesMillion;
          expect(diff < 0n ? -diff : diff).toBeLessThanOrEqual(BigInt(l.requests) * 500_000n);
        }

        // The total is the sum of stored costs, rounded to the cent once, half-up.
        const all = expectedSums(rows, () => "all").get("all")?.micros ?? 0n;
        const totals = invoiceTotals(lines);
        expect(totals.subtotalMicros).toBe(all);
        expect(totals.totalMicros).toBe(((all + 5_000n) / 10_000n) * 10_000n);
        const cents = (all + 5_000n) / 10_000n;
        expect(totals.total).toBe(`${cents / 100n}.${(cents % 100n).toString().padStart(2, "0")}`);
      }),
      { numRuns: 300 },
    );
  });
});

type SummedRow = InvoiceUsageRow & { requests: number };

/** Adds `row` to its group (a request, its tokens and stored cost); a new group starts as `first`. */
function sumInto(groups: Map<string, SummedRow>, key: string, row: InvoiceUsageRow, first: SummedRow) {
  const g = groups.get(key);
  if (!g) {
    groups.set(key, first);
    return;
  }
  g.requests += 1;
  g.inputTokens += row.inputTokens;
  g.outputTokens += row.outputTokens;
  g.cachedInputTokens += row.cachedInputTokens;
  if (g.costUsd !== null && row.costUsd !== null)
    g.costUsd = micros6(toMicros(g.costUsd) + toMicros(row.costUsd));
}

const INVOICE_PARAMS = {
  number: "X-1",
  organizationName: "O",
  periodStart: "2026-06-01",
  periodEnd: "2026-06-30",
  issuedOn: "2026-07-01",
  prices: PRICES,
};

describe("pre-summed rows (property)", () => {
  it("rows summed by status, feature, client, provider, model and price segment give the same invoice", () => {
    const instants = priceChangeInstants(PRICES).map((d) => d.getTime());
    // What the database does for an invoice: width_bucket(created_at, instants), then sums per key.
    const segment = (at: Date) => instants.filter((t) => t <= at.getTime()).length;
    fc.assert(
      fc.property(fc.array(usageRowArb, { maxLength: 120 }), (rows) => {
        const groups = new Map<string, SummedRow>();
        for (const r of rows) {
          const key = JSON.stringify([
            r.status,
            r.featureType,
            r.clientId,
            r.provider,
            r.model,
            segment(r.createdAt),
          ]);
          sumInto(groups, key, r, { ...r, requests: 1 });
          const g = groups.get(key)!;
          if (r.createdAt < g.createdAt) g.createdAt = r.createdAt;
        }
        const params = { ...INVOICE_PARAMS, clientCharges: chargesOf(rows) };
        expect(buildInvoice({ ...params, rows: [...groups.values()] })).toEqual(
          buildInvoice({ ...params, rows }),
        );
        expect(monthlyBreakdown([...groups.values()])).toEqual(monthlyBreakdown(rows));
      }),
      { numRuns: 200 },
    );
  });

  it("rows summed per feature, provider, model and price segment, priced at the segment's start, with client charges given, give the same invoice", () => {
    const instants = priceChangeInstants(PRICES).map((d) => d.getTime());
    // What the organization-level rollup keeps (no client, no status) and the API reads back:
    // each group priced at the instant its segment began, which is no request's own time.
    const segmentStart = (at: Date) => instants.filter((t) => t <= at.getTime()).at(-1) ?? 0;
    fc.assert(
      fc.property(fc.array(usageRowArb, { maxLength: 120 }), (rows) => {
        const groups = new Map<string, SummedRow>();
        for (const r of rows.filter((row) => isBilled(row.status))) {
          const start = segmentStart(r.createdAt);
          const key = JSON.stringify([r.featureType, r.provider, r.model, start]);
          sumInto(groups, key, r, {
            ...r,
            status: "succeeded",
            clientId: null,
            createdAt: new Date(start),
            requests: 1,
          });
        }
        const params = { ...INVOICE_PARAMS, clientCharges: chargesOf(rows) };
        expect(buildInvoice({ ...params, rows: [...groups.values()] })).toEqual(
          buildInvoice({ ...params, rows }),
        );
      }),
      { numRuns: 300 },
    );
  });

  it("lists each price change once, in order", () => {
    expect(priceChangeInstants(PRICES).map((d) => d.toISOString())).toEqual([
      "2025-01-01T00:00:00.000Z",
      MID_JUNE.toISOString(),
    ]);
  });
});
