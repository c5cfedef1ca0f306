import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { fromMicros, toMicros } from "./money";
import { formatUsd } from "./money-format";

describe("formatUsd: cents", () => {
  it.each([
    // What the apps' own formatters got wrong: they cut the digits after the second place.
    ["1234.567", "$1,234.57"], // was "$1,234.56" (packages/ui formatDollars)
    ["0.999", "$1.00"], // was "$0.99"
    ["12.349", "$12.35"], // was "$12.34" (apps/web usd)
    ["9.995", "$10.00"], // was "$9.99"
    ["1.005", "$1.01"], // a float would hold 1.00499999…
    ["0.005", "$0.01"],
    ["0.004999", "$0.00"],
    // Half away from zero, on either side.
    ["-1234.565", "-$1,234.57"],
    ["-0.005", "-$0.01"],
    // No sign on an amount that rounds to zero (Intl alone writes "-$0.00").
    ["-0.004", "$0.00"],
    ["-0", "$0.00"],
    // Padding, grouping, leading zeros, surrounding whitespace.
    ["50", "$50.00"],
    ["0.5", "$0.50"],
    ["007.1", "$7.10"],
    ["1000000", "$1,000,000.00"],
    [" 2.5\n", "$2.50"],
  ])("%j -> %j", (amount, expected) => {
    expect(formatUsd(amount)).toBe(expected);
    expect(formatUsd(amount, "cents")).toBe(expected);
  });

  it("formats the decimal string exactly, not through a float", () => {
    // As a number this is 12345678901234567000 and would print as such.
    expect(formatUsd("12345678901234567890.125")).toBe("$12,345,678,901,234,567,890.13");
    expect(formatUsd("9007199254740993.995")).toBe("$9,007,199,254,740,994.00");
  });

  it("rounds like fromMicros(…, 2), the invoice total's rounding (property)", () => {
    const digits = (minLength: number, maxLength: number) =>
      fc.string({ unit: fc.constantFrom(..."0123456789"), minLength, maxLength });
    fc.assert(
      fc.property(fc.boolean(), digits(1, 22), digits(0, 6), (negative, whole, fraction) => {
        const amount = `${negative ? "-" : ""}${whole}${fraction ? `.${fraction}` : ""}`;
        const rounded = fromMicros(toMicros(amount), 2); // "-1234.57"
        const sign = rounded.startsWith("-") ? "-" : "";
        const [int = "", cents = ""] = rounded.replace("-", "").split(".");
        const grouped = int.replace(/\B(?=(\d{3})+(?!\d))/g, ",");
        expect(formatUsd(amount)).toBe(`${sign}$${grouped}.${cents}`);
      }),
    );
  });
});

describe("formatUsd: micros and auto", () => {
  it.each([
    ["0.000420", "micros", "$0.00042"],
    ["0.000001", "micros", "$0.000001"],
    ["-0.000420", "micros", "-$0.00042"],
    ["1.234567", "micros", "$1.234567"],
    ["12", "micros", "$12.00"],
    ["0.0000004", "micros", "$0.00"],
    // auto: every place below one dollar (cents would show "$0.00"), cents from one dollar.
    ["0.000420", "auto", "$0.00042"],
    ["0.5", "auto", "$0.50"],
    ["-0.001234", "auto", "-$0.001234"],
    ["0", "auto", "$0.00"],
    ["1.234567", "auto", "$1.23"],
    ["12.349", "auto", "$12.35"], // apps/web's usd() showed "$12.34"
  ] as const)("%j as %s -> %j", (amount, precision, expected) => {
    expect(formatUsd(amount, precision)).toBe(expected);
  });
});

describe("formatUsd: input", () => {
  it.each(["", "abc", "1,000", "$5", "1e3", "1.", ".5", "--1", "NaN", "Infinity"])("refuses %j", (amount) => {
    expect(() => formatUsd(amount)).toThrow(RangeError);
  });
});
