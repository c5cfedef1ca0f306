import { fromDate } from "@internationalized/date";
import type { FieldErrors } from "react-hook-form";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { earliestMinute, type PriceValues, priceResolver } from "./price-form";

const NOW = new Date("2026-06-01T12:00:30.000Z");
let zone: string | undefined;
beforeAll(() => {
  zone = process.env.TZ;
  process.env.TZ = "UTC";
});
afterAll(() => {
  process.env.TZ = zone;
});

const VALID: PriceValues = {
  provider: "openai",
  model: "gpt-4o-mini",
  inputPerMillion: "$0.20",
  cachedInputPerMillion: "0.1",
  outputPerMillion: "1,000.5",
  effectiveFrom: fromDate(new Date("2026-06-02T00:00:00.000Z"), "Europe/London"),
};

async function resolve(over: Partial<PriceValues>) {
  const result = await priceResolver(() => NOW)({ ...VALID, ...over }, undefined, {
    fields: {},
    shouldUseNativeValidation: false,
  });
  const messages = Object.fromEntries(
    Object.entries(result.errors as FieldErrors<PriceValues>).map(([k, e]) => [k, e?.message]),
  );
  return { result, messages };
}

describe("priceResolver (the API's price schemas and core's schedule rules)", () => {
  it("hands over exact decimals as core normalises them, never floats", async () => {
    const { result } = await resolve({});
    expect(result.errors).toEqual({});
    expect(result.values).toEqual({
      provider: "openai",
      model: "gpt-4o-mini",
      inputPerMillion: "0.200000",
      cachedInputPerMillion: "0.100000",
      outputPerMillion: "1000.500000",
      effectiveFrom: new Date("2026-06-02T00:00:00.000Z"),
    });
  });

  it("refuses a start in the past or too soon, saying the earliest it may be", async () => {
    expect(earliestMinute(NOW)).toEqual(new Date("2026-06-01T12:01:00.000Z"));
    const past = await resolve({ effectiveFrom: fromDate(new Date("2026-06-01T11:00:00.000Z"), "UTC") });
    expect(past.messages).toEqual({
      effectiveFrom:
        "Starts must not be in the past: requests already charged keep the price they were charged at. Choose Mon 1 Jun, 12:01 UTC or later.",
    });
    const soon = await resolve({ effectiveFrom: fromDate(new Date("2026-06-01T12:00:32.000Z"), "UTC") });
    expect(soon.messages.effectiveFrom).toMatch(/^Starts is too soon: every server must have the price/);
    expect((await resolve({ effectiveFrom: null })).messages.effectiveFrom).toBe(
      "Starts: choose the day and time the price starts.",
    );
  });

  it("refuses bad amounts, names and a cached price above the input price, each on its field", async () => {
    const { messages } = await resolve({
      provider: "Open AI",
      model: "",
      inputPerMillion: "0.1234567",
      outputPerMillion: "-1",
    });
    expect(messages).toEqual({
      provider:
        "Provider names use lower-case letters, digits, - and _ only (such as openai), at most 50 characters.",
      model: "Model is required, such as gpt-4o-mini.",
      inputPerMillion:
        "Input price must be an amount in dollars per million tokens with at most 6 decimals, from $0 to $999,999.999999, such as 2.50.",
      outputPerMillion:
        "Output price must be an amount in dollars per million tokens with at most 6 decimals, from $0 to $999,999.999999, such as 2.50.",
    });
    expect((await resolve({ cachedInputPerMillion: "0.3" })).messages).toEqual({
      cachedInputPerMillion: "Cached input price cannot be above the input price ($0.20 per million tokens).",
    });
  });
});
