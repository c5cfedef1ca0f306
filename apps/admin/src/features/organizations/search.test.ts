import { describe, expect, it } from "vitest";
import { listInput, parseOrganizationListSearch } from "./search";

describe("the organization list's address", () => {
  it("keeps valid values, drops defaults and anything malformed", () => {
    expect(
      parseOrganizationListSearch({
        q: "  golden ",
        tier: "professional",
        sort: "monthSpend",
        dir: "desc",
        page: 3,
      }),
    ).toEqual({
      q: "golden",
      tier: "professional",
      sort: "monthSpend",
      dir: "desc",
      page: 3,
    });
    expect(parseOrganizationListSearch({ q: " ", tier: "gold", sort: "name", dir: "asc", page: 1 })).toEqual({
      q: undefined,
      tier: undefined,
      sort: undefined,
      dir: undefined,
      page: undefined,
    });
    expect(parseOrganizationListSearch({ sort: "password", page: "2.5" }).sort).toBeUndefined();
    expect(parseOrganizationListSearch({ page: "2" }).page).toBe(2);
  });

  it("asks the API for the page the address names", () => {
    expect(listInput({ q: "rose", page: 3, sort: "clients" })).toEqual({
      search: "rose",
      tier: undefined,
      sort: "clients",
      direction: "asc",
      limit: 25,
      offset: 50,
    });
  });
});
