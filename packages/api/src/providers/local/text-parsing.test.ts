import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { findDates, isoDate } from "./text-dates";
import { findMoney } from "./text-money";
import { contextAround } from "./text-span";

const iso = (text: string, hint?: Parameters<typeof findDates>[1]) => findDates(text, hint).map((d) => d.iso);

describe("findDates", () => {
  it.each([
    ["12 June 2027", "2027-06-12"],
    ["Saturday 12th of June, 2027", "2027-06-12"],
    ["June 12th, 2027", "2027-06-12"],
    ["Sept. 3, 2027", "2027-09-03"],
    ["3rd sept 2027", "2027-09-03"],
    ["12-Jun-2027", "2027-06-12"],
    ["2027-06-12", "2027-06-12"],
    ["2027/6/2", "2027-06-02"],
    ["12/06/2027", "2027-06-12"],
    ["12.06.27", "2027-06-12"],
  ])("reads %j as %s", (text, expected) => {
    expect(iso(text)).toEqual([expected]);
  });

  it("reads numeric dates as DD/MM unless that is impossible or the hint says MM/DD", () => {
    expect(iso("06/09/2027")).toEqual(["2027-09-06"]);
    expect(iso("06/09/2027", "MM/DD/YYYY")).toEqual(["2027-06-09"]);
    expect(iso("06/13/2027")).toEqual(["2027-06-13"]); // 13 cannot be a month
    expect(iso("13/06/2027", "MM/DD/YYYY")).toEqual(["2027-06-13"]);
    expect(findDates("06/09/2027")[0]?.ambiguous).toBe(true);
    expect(findDates("06/09/2027", "DD/MM/YYYY")[0]?.ambiguous).toBe(false);
    expect(findDates("18/09/2027")[0]?.ambiguous).toBe(false);
  });

  it("rejects impossible days and leaves phone numbers, versions and times alone", () => {
    expect(iso("31 June 2027, 29 Feb 2027, 32/01/2027, 2027-13-01")).toEqual([]);
    expect(iso("29 Feb 2028")).toEqual(["2028-02-29"]);
    expect(iso("call 555-123-4567, version 1.2.3.4, at 14:30, the mayor 12 2027")).toEqual([]);
  });

  it("gives offsets of the exact date text, in text order", () => {
    const text = "From 2027-06-12 until 1 July 2027.";
    expect(findDates(text).map((d) => text.slice(d.start, d.end))).toEqual(["2027-06-12", "1 July 2027"]);
  });

  it("isoDate agrees with the calendar for every day of a range of years (oracle: Date)", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1900, max: 2199 }),
        fc.integer({ min: 1, max: 12 }),
        fc.integer({ min: 1, max: 31 }),
        (y, m, d) => {
          const date = new Date(Date.UTC(y, m - 1, d));
          const real = date.getUTCMonth() === m - 1;
          expect(isoDate(y, m, d)).toBe(real ? date.toISOString().slice(0, 10) : null);
        },
      ),
    );
  });
});

describe("findMoney", () => {
  const money = (text: string) => findMoney(text).map(({ amount, currency }) => `${amount} ${currency}`);

  it.each([
    ["£25,000", "25000.00 GBP"],
    ["$30k", "30000.00 USD"],
    ["budget of 18,500 EUR", "18500.00 EUR"],
    ["€1.5k", "1500.00 EUR"],
    ["GBP 1,234.5", "1234.50 GBP"],
    ["5k pounds", "5000.00 GBP"],
    ["US$2,000", "2000.00 USD"],
    ["A$ 900", "900.00 AUD"],
    ["1.2m dollars", "1200000.00 USD"],
    ["750 €", "750.00 EUR"],
    ["£0.99", "0.99 GBP"],
  ])("reads %j as %s", (text, expected) => {
    expect(money(text)).toEqual([expected]);
  });

  it("reads both ends of a range, the multiplier applying to both", () => {
    expect(money("£20-25k")).toEqual(["20000.00 GBP", "25000.00 GBP"]);
    expect(money("£500 to 800")).toEqual(["500.00 GBP", "800.00 GBP"]);
  });

  it("does not take a quantity before the next amount's symbol, a partial number, or a bare number", () => {
    expect(money("Buttonholes x 6 £72.00")).toEqual(["72.00 GBP"]);
    expect(money("£12.345 and 3,000 guests and 5 months")).toEqual([]);
  });

  it("is exact for any amount in cents (oracle: integer arithmetic on the digits)", () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 999_999_999_999n }), fc.boolean(), (cents, commas) => {
        const whole = (cents / 100n).toString();
        const frac = (cents % 100n).toString().padStart(2, "0");
        const written = commas ? whole.replace(/\B(?=(\d{3})+$)/g, ",") : whole;
        expect(money(`about £${written}.${frac} total`)).toEqual([`${whole}.${frac} GBP`]);
      }),
    );
  });
});

describe("contextAround", () => {
  it("keeps whole words and collapses whitespace", () => {
    const text = "The balance of £2,750.00 is due\n\nby 12/05/2027 at the latest.";
    const i = text.indexOf("12/05");
    expect(contextAround(text, i, i + 10, 12)).toBe("is due by 12/05/2027 at the");
  });
});
