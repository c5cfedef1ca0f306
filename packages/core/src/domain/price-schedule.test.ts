import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  earliestEffectiveFrom,
  effectiveFromProblem,
  PRICE_LEAD_MS,
  pricePerMillionSchema,
  priceProblems,
  priceReplacedAt,
  priceTable,
  providerNameSchema,
  scheduleProblems,
} from "./price-schedule";
import { type ModelPrice, priceAt } from "./pricing";

const NOW = new Date("2026-06-15T12:00:00.000Z");
const at = (ms: number) => new Date(NOW.getTime() + ms);
const FIGURES = {
  inputPerMillion: "2.500000",
  cachedInputPerMillion: "1.250000",
  outputPerMillion: "10.000000",
};

function row(provider: string, model: string, effectiveFrom: Date, input = "1.000000"): ModelPrice {
  return {
    provider,
    model,
    inputPerMillion: input,
    cachedInputPerMillion: "0.000000",
    outputPerMillion: input,
    effectiveFrom,
  };
}

describe("pricePerMillionSchema", () => {
  it.each([
    ["2.5", "2.500000"],
    ["0", "0.000000"],
    ["  0.075 ", "0.075000"],
    ["999999.999999", "999999.999999"],
    [0.1, "0.100000"],
    [10, "10.000000"],
  ])("accepts %j as %s", (input, expected) => {
    expect(pricePerMillionSchema.parse(input)).toBe(expected);
  });

  it.each(["-1", "1.0000001", "1000000", "1e3", "", "abc", "1.", -0.5, 1e-7, 1_000_000, Number.NaN])(
    "refuses %j, saying what a price must be",
    (input) => {
      const r = pricePerMillionSchema.safeParse(input);
      expect(r.success).toBe(false);
      expect(r.error?.issues[0]?.message).toMatch(/dollars per million tokens/);
    },
  );

  it("keeps every accepted value exact (property: micro-dollar strings round-trip)", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 999_999_999_999 }), (micros) => {
        const s = `${Math.floor(micros / 1e6)}.${String(micros % 1e6).padStart(6, "0")}`;
        expect(pricePerMillionSchema.parse(s)).toBe(s);
      }),
    );
  });
});

describe("providerNameSchema", () => {
  it("takes lower-case slugs and refuses anything else", () => {
    expect(providerNameSchema.parse("openai")).toBe("openai");
    expect(providerNameSchema.safeParse("OpenAI").success).toBe(false);
    expect(providerNameSchema.safeParse("").success).toBe(false);
    expect(providerNameSchema.safeParse("a b").success).toBe(false);
  });
});

describe("effectiveFromProblem", () => {
  it("refuses the past, says so, and names the earliest instant allowed", () => {
    const problem = effectiveFromProblem(at(-1), NOW);
    expect(problem).toMatch(/^must not be in the past/);
    expect(problem).toContain(earliestEffectiveFrom(NOW).toISOString());
  });

  it("refuses the next few seconds as too soon, accepts from the lead on", () => {
    expect(effectiveFromProblem(NOW, NOW)).toMatch(/^is too soon/);
    expect(effectiveFromProblem(at(PRICE_LEAD_MS - 1), NOW)).toMatch(/^is too soon/);
    expect(effectiveFromProblem(at(PRICE_LEAD_MS), NOW)).toBeNull();
    expect(effectiveFromProblem(new Date("2999-01-01T00:00:00Z"), NOW)).toBeNull();
  });

  it("refuses an invalid date", () => {
    expect(effectiveFromProblem(new Date(Number.NaN), NOW)).toBe("must be a date and time");
  });

  it("an accepted row never changes the price in force at any instant up to now (property)", () => {
    const rowArb = fc.record({
      model: fc.constantFrom("a", "b"),
      offset: fc.integer({ min: -10 * 86_400_000, max: 10 * 86_400_000 }),
      input: fc.integer({ min: 0, max: 100 }).map((n) => `${n}.000000`),
    });
    fc.assert(
      fc.property(
        fc.array(rowArb, { maxLength: 8 }),
        rowArb,
        fc.integer({ min: -20 * 86_400_000, max: 0 }),
        (existing, added, past) => {
          const rows = existing.map((r) => row("openai", r.model, at(r.offset), r.input));
          const candidate = row("openai", added.model, at(added.offset), added.input);
          fc.pre(effectiveFromProblem(candidate.effectiveFrom, NOW) === null);
          for (const t of [at(past), NOW]) {
            expect(priceAt([...rows, candidate], "openai", added.model, t)).toBe(
              priceAt(rows, "openai", added.model, t),
            );
          }
        },
      ),
    );
  });
});

describe("priceProblems and scheduleProblems", () => {
  it("cached input may equal but not exceed input, named by field", () => {
    expect(priceProblems({ ...FIGURES, cachedInputPerMillion: "2.500000" })).toEqual([]);
    expect(priceProblems({ ...FIGURES, cachedInputPerMillion: "2.500001" })).toEqual([
      {
        field: "cachedInputPerMillion",
        message: "cannot be above the input price ($2.500000 per million tokens)",
      },
    ]);
  });

  it("collects every problem with its field", () => {
    const problems = scheduleProblems(
      { ...FIGURES, cachedInputPerMillion: "3.000000", effectiveFrom: at(-60_000) },
      NOW,
    );
    expect(problems.map((p) => p.field)).toEqual(["effectiveFrom", "cachedInputPerMillion"]);
    expect(scheduleProblems({ ...FIGURES, effectiveFrom: at(60_000) }, NOW)).toEqual([]);
  });
});

describe("priceTable", () => {
  const rows = [
    row("openai", "gpt-4o", at(-86_400_000), "2.000000"),
    row("openai", "gpt-4o", at(-1_000), "2.500000"),
    row("openai", "gpt-4o", at(3 * 86_400_000), "3.500000"),
    row("openai", "gpt-4o", at(86_400_000), "3.000000"),
    row("local", "local-rules", at(-86_400_000), "0.000000"),
    row("openai", "new-model", at(60_000), "1.000000"),
  ];

  it("per model: the price in force, the next scheduled one, the history newest first; by provider then model", () => {
    const table = priceTable(rows, NOW);
    expect(table.map((m) => `${m.provider}/${m.model}`)).toEqual([
      "local/local-rules",
      "openai/gpt-4o",
      "openai/new-model",
    ]);
    const gpt = table[1]!;
    expect(gpt.current?.inputPerMillion).toBe("2.500000");
    expect(gpt.next?.inputPerMillion).toBe("3.000000");
    expect(gpt.history.map((r) => r.inputPerMillion)).toEqual([
      "3.500000",
      "3.000000",
      "2.500000",
      "2.000000",
    ]);
    expect(table[0]).toMatchObject({ next: null, current: { inputPerMillion: "0.000000" } });
    // A model added for later: nothing in force yet, its first price is next.
    expect(table[2]).toMatchObject({ current: null, next: { inputPerMillion: "1.000000" } });
  });

  it("agrees with priceAt and holds every row once (property)", () => {
    const rowArb = fc.record({
      provider: fc.constantFrom("openai", "local"),
      model: fc.constantFrom("a", "b", "c"),
      offset: fc.integer({ min: -1_000, max: 1_000 }),
    });
    fc.assert(
      fc.property(fc.array(rowArb, { maxLength: 12 }), (raw) => {
        const rs = raw.map((r) => row(r.provider, r.model, at(r.offset)));
        const table = priceTable(rs, NOW);
        expect(table.reduce((n, m) => n + m.history.length, 0)).toBe(rs.length);
        for (const m of table) {
          expect(m.current).toBe(priceAt(rs, m.provider, m.model, NOW));
          const future = m.history.filter((r) => r.effectiveFrom > NOW);
          expect(m.next?.effectiveFrom.getTime() ?? null).toBe(
            future.length ? Math.min(...future.map((r) => r.effectiveFrom.getTime())) : null,
          );
          for (let i = 1; i < m.history.length; i++)
            expect(m.history[i - 1]!.effectiveFrom.getTime()).toBeGreaterThanOrEqual(
              m.history[i]!.effectiveFrom.getTime(),
            );
        }
      }),
    );
  });
});

describe("priceReplacedAt", () => {
  it("is the row in force just before the new instant, even when another is scheduled earlier", () => {
    const rows = [row("openai", "m", at(-1_000), "1.000000"), row("openai", "m", at(86_400_000), "2.000000")];
    expect(priceReplacedAt(rows, "openai", "m", at(2 * 86_400_000))?.inputPerMillion).toBe("2.000000");
    expect(priceReplacedAt(rows, "openai", "m", at(86_400_000))?.inputPerMillion).toBe("1.000000");
    expect(priceReplacedAt(rows, "openai", "m", at(-2_000))).toBeNull();
    expect(priceReplacedAt(rows, "openai", "other", at(60_000))).toBeNull();
  });
});
