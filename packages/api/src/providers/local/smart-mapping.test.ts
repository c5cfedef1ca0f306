import { isOneToOne, smartMappingResultSchema } from "@wedsync/core";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { assignOneToOne } from "./assignment";
import { editDistance, nameSimilarity, normaliseName } from "./similarity";
import { MAPPING_THRESHOLD, mapFields } from "./smart-mapping";

const named = (...names: string[]) => names.map((name) => ({ name, value: null }));
const pairs = (r: ReturnType<typeof mapFields>) => r.mappings.map((m) => [m.source, m.target]);

describe("mapFields", () => {
  it("maps a supplier form onto a CRM's labels and reports what is left over", () => {
    const result = mapFields(
      named("bride_name", "groom_name", "wedding_date", "venue", "number_of_guests", "favourite_colour"),
      [
        "Partner 1 name",
        "Partner 2 name",
        "Event date",
        "Ceremony location",
        "Guest count",
        "Dietary requirements",
      ],
    );
    expect(pairs(result)).toEqual([
      ["bride_name", "Partner 1 name"],
      ["groom_name", "Partner 2 name"],
      ["wedding_date", "Event date"],
      ["venue", "Ceremony location"],
      ["number_of_guests", "Guest count"],
    ]);
    expect(result.unmappedSources).toEqual(["favourite_colour"]);
    expect(result.unmappedTargets).toEqual(["Dietary requirements"]);
    // Synonyms are exact matches; "venue" is only part of "Ceremony location".
    expect(result.mappings.map((m) => m.confidence)).toEqual([1, 1, 1, 0.75, 1]);
  });

  it("understands case, camelCase, punctuation, plurals, synonyms and typos", () => {
    const result = mapFields(
      named("brideEmail", "E-Mail", "Tel", "HEADCOUNT", "Bugdet", "eventDate", "Guests"),
      ["Email", "Phone", "Partner 1 email", "Budget", "Number of guests", "Wedding date"],
    );
    expect(pairs(result)).toEqual([
      ["brideEmail", "Partner 1 email"],
      ["E-Mail", "Email"],
      ["Tel", "Phone"],
      ["HEADCOUNT", "Number of guests"],
      ["Bugdet", "Budget"],
      ["eventDate", "Wedding date"],
    ]);
    // "HEADCOUNT" came first, so the equally good "Guests" is left over: ties go to input order.
    expect(result.unmappedSources).toEqual(["Guests"]);
  });

  it("does not confuse partner 1 with partner 2, ceremony with reception, or an e-mail with a name", () => {
    const result = mapFields(named("partner2_name", "bride_email", "ceremony_venue"), [
      "Partner 1 name",
      "Partner 2 email",
      "Reception venue",
    ]);
    expect(result.mappings).toEqual([]);
    expect(result.unmappedSources).toEqual(["partner2_name", "bride_email", "ceremony_venue"]);
  });

  it("uses a sample value's shape as a small hint", () => {
    // "contact" alone is too vague for "Contact email"; an e-mail-shaped value tips it over.
    const withValue = mapFields([{ name: "contact", value: "emma@example.com" }], ["Contact email"]);
    const without = mapFields([{ name: "contact", value: null }], ["Contact email"]);
    expect(pairs(withValue)).toEqual([["contact", "Contact email"]]);
    expect(pairs(without)).toEqual([]);
  });

  it("considers a repeated name once and handles empty inputs", () => {
    expect(mapFields(named("date", "date"), ["Date"])).toEqual({
      mappings: [{ source: "date", target: "Date", confidence: 1 }],
      unmappedSources: [],
      unmappedTargets: [],
    });
    expect(mapFields([], ["A"])).toEqual({ mappings: [], unmappedSources: [], unmappedTargets: ["A"] });
    expect(mapFields(named("a"), [])).toEqual({ mappings: [], unmappedSources: ["a"], unmappedTargets: [] });
  });
});

describe("similarity", () => {
  it("normalises names to canonical tokens", () => {
    expect(normaliseName("numberOfGuests")).toEqual(["guest"]);
    expect(normaliseName("Partner #2 — Full Name")).toEqual(["partner2", "full"]);
    expect(normaliseName("Lieu_Café")).toEqual(["lieu", "cafe"]);
    expect(normaliseName("the name")).toEqual(["the", "name"]); // nothing meaningful: keep what there is
  });

  it("counts an adjacent swap as one edit", () => {
    expect(editDistance("budget", "bugdet")).toBe(1);
    expect(editDistance("kitten", "sitting")).toBe(3);
    expect(editDistance("", "abc")).toBe(3);
  });

  it("is symmetric enough to be a similarity and 1 for identical names", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 30 }), fc.string({ maxLength: 30 }), (a, b) => {
        const [x, y] = [normaliseName(a), normaliseName(b)];
        const s = nameSimilarity(x, y);
        expect(s).toBeGreaterThanOrEqual(0);
        expect(s).toBeLessThanOrEqual(1);
        if (x.length > 0) expect(nameSimilarity(x, x)).toBe(1);
      }),
    );
  });
});

describe("assignOneToOne", () => {
  it("finds the better total where greedy would not", () => {
    // Greedy takes A-X (0.9) and leaves B with nothing above the threshold; the optimum is A-Y + B-X.
    const scores = [
      [0.9, 0.8],
      [0.85, 0.3],
    ];
    expect(assignOneToOne(scores, 0.5)).toEqual([
      [0, 1],
      [1, 0],
    ]);
  });

  it("does not let two barely-passing pairs displace one clear match", () => {
    const scores = [
      [0.95, 0.51],
      [0.51, 0],
    ];
    expect(assignOneToOne(scores, 0.5)).toEqual([[0, 0]]);
  });

  it("breaks ties by input order, rows then columns, in either orientation", () => {
    expect(assignOneToOne([[0.7], [0.7], [0.7]], 0.5)).toEqual([[0, 0]]);
    expect(assignOneToOne([[0.7, 0.7, 0.7]], 0.5)).toEqual([[0, 0]]);
  });

  it("matches a brute-force optimum on small matrices", () => {
    const matrix = fc.integer({ min: 1, max: 5 }).chain((rows) =>
      fc.integer({ min: 1, max: 5 }).chain((cols) =>
        fc.array(
          fc.array(
            fc.integer({ min: 0, max: 100 }).map((n) => n / 100),
            { minLength: cols, maxLength: cols },
          ),
          {
            minLength: rows,
            maxLength: rows,
          },
        ),
      ),
    );
    fc.assert(
      fc.property(matrix, (scores) => {
        const gain = (ps: Array<[number, number]>) =>
          ps.reduce((sum, [r, c]) => sum + Math.round((scores[r]![c]! - 0.5) * 10_000) + 1, 0);
        const got = assignOneToOne(scores, 0.5);
        expect(new Set(got.map(([r]) => r)).size).toBe(got.length);
        expect(new Set(got.map(([, c]) => c)).size).toBe(got.length);
        for (const [r, c] of got) expect(scores[r]![c]!).toBeGreaterThanOrEqual(0.5);
        expect(gain(got)).toBe(bruteForceBest(scores, gain));
      }),
    );
  });
});

/** The best total gain over every partial one-to-one assignment (rows each pick a free column or none). */
function bruteForceBest(scores: number[][], gain: (ps: Array<[number, number]>) => number): number {
  const cols = scores[0]!.length;
  let bestGain = 0;
  const walk = (row: number, used: Set<number>, chosen: Array<[number, number]>) => {
    if (row === scores.length) {
      bestGain = Math.max(bestGain, gain(chosen));
      return;
    }
    walk(row + 1, used, chosen);
    for (let c = 0; c < cols; c++) {
      if (used.has(c) || scores[row]![c]! < 0.5) continue;
      used.add(c);
      walk(row + 1, used, [...chosen, [row, c]]);
      used.delete(c);
    }
  };
  walk(0, new Set(), []);
  return bestGain;
}

const fieldName = fc.oneof(
  fc.constantFrom(
    "bride_name",
    "Bride",
    "groom",
    "Partner 1 name",
    "partner2",
    "wedding_date",
    "Date",
    "Event date",
    "venue",
    "Location",
    "guests",
    "Guest count",
    "headcount",
    "phone",
    "Mobile",
    "email",
    "E-mail",
    "budget",
    "Spend",
    "",
  ),
  fc.string({ maxLength: 20 }),
);

describe("mapFields properties", () => {
  it("is one-to-one, schema-valid, partitions sources and targets, and is deterministic", () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ name: fieldName, value: fc.option(fc.string({ maxLength: 20 })) }), {
          maxLength: 25,
        }),
        fc.array(fieldName, { maxLength: 25 }),
        (sources, targets) => {
          const result = mapFields(sources, targets);
          expect(smartMappingResultSchema.safeParse(result).success).toBe(true);
          expect(isOneToOne(result)).toBe(true);
          const sourceNames = [...new Set(sources.map((s) => s.name))];
          const targetNames = [...new Set(targets)];
          expect([...result.mappings.map((m) => m.source), ...result.unmappedSources].sort()).toEqual(
            [...sourceNames].sort(),
          );
          expect([...result.mappings.map((m) => m.target), ...result.unmappedTargets].sort()).toEqual(
            [...targetNames].sort(),
          );
          for (const m of result.mappings) expect(m.confidence).toBeGreaterThanOrEqual(MAPPING_THRESHOLD);
          expect(mapFields(sources, targets)).toEqual(result);
        },
      ),
      { numRuns: 300 },
    );
  });

  it("handles the largest allowed input (500 × 500) in reasonable time", () => {
    const sources = Array.from({ length: 500 }, (_, i) => ({ name: `field_${i}_guest_count`, value: null }));
    const targets = Array.from({ length: 500 }, (_, i) => `Guest count ${i}`);
    const started = performance.now();
    const result = mapFields(sources, targets);
    expect(performance.now() - started).toBeLessThan(5_000);
    expect(isOneToOne(result)).toBe(true);
    expect(result.mappings.length).toBeGreaterThan(0);
  });
});
