import { describe, expect, it } from "vitest";
import { chosenIds, parseBulkSearch, selectionOf } from "./search";

const A = "11111111-1111-4111-8111-111111111111";
const B = "22222222-2222-4222-8222-222222222222";

describe("Bulk changes' address", () => {
  it("keeps the chosen ids (well-formed, once each) over any filter", () => {
    expect(parseBulkSearch({ orgs: `${A},nope,${B.toUpperCase()},${A}`, tier: "free" })).toEqual({
      orgs: `${A},${B}`,
    });
    expect(chosenIds(`${A},${B}`)).toEqual([A, B]);
    expect(selectionOf({ orgs: `${A},${B}` })).toEqual({ organizationIds: [A, B] });
  });

  it("falls back to the filter, leaving out what is not set", () => {
    expect(parseBulkSearch({ orgs: "nope", tier: "free", q: "  rose " })).toEqual({
      tier: "free",
      q: "rose",
    });
    expect(parseBulkSearch({ tier: "gold" })).toEqual({ tier: undefined, q: undefined });
    expect(selectionOf({ tier: "free", q: "rose" })).toEqual({ filter: { tier: "free", search: "rose" } });
    expect(selectionOf({})).toEqual({ filter: {} });
  });
});
