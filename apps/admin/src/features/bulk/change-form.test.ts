import { describe, expect, it } from "vitest";
import { parseChange } from "./change-form";
import { changeTitle, productWords } from "./words";

const PRICED = ["gpt-4o-mini", "gpt-4o"];
const parse = (kind: Parameters<typeof parseChange>[0]["kind"], value = "") =>
  parseChange({ featureType: "pdf_analysis", kind, value }, PRICED);

describe("parseChange", () => {
  it("turns the form into the patch the API takes, values parsed by core's schemas", () => {
    expect(parse("disable")).toEqual({
      change: { featureType: "pdf_analysis", patch: { isEnabled: false } },
    });
    expect(parse("enable", "ignored")).toEqual({
      change: { featureType: "pdf_analysis", patch: { isEnabled: true } },
    });
    expect(parse("maxRequestsPerDay", "1,500")).toEqual({
      change: { featureType: "pdf_analysis", patch: { maxRequestsPerDay: 1500 } },
    });
    expect(parse("maxCostPerDay", "$1,250.5")).toEqual({
      change: { featureType: "pdf_analysis", patch: { maxCostPerDay: "1250.50" } },
    });
    expect(parse("rateLimitPerMinute", "0")).toEqual({
      change: { featureType: "pdf_analysis", patch: { rateLimitPerMinute: 0 } },
    });
    expect(parse("model", " gpt-4o ")).toEqual({
      change: { featureType: "pdf_analysis", patch: { model: "gpt-4o" } },
    });
  });

  it("refuses bad values naming the field and its bounds", () => {
    expect(parse("maxRequestsPerDay", "")).toEqual({
      error: "Daily request cap is required: a whole number of requests a day, from 0 to 10,000,000.",
    });
    expect(parse("maxRequestsPerDay", "12.5")).toEqual({
      error: "Daily request cap must be a whole number of requests a day, from 0 to 10,000,000.",
    });
    expect(parse("maxRequestsPerDay", "10000001")).toEqual({
      error: "Daily request cap can be at most 10,000,000 requests a day.",
    });
    expect(parse("rateLimitPerMinute", "100001")).toEqual({
      error: "Rate limit can be at most 100,000 requests a minute.",
    });
    expect(parse("maxCostPerDay", "2.555")).toEqual({
      error:
        "Daily cost cap must be an amount in dollars with at most 2 decimals, such as 25.00, from $0.00 to $99,999,999.99.",
    });
    expect(parse("maxCostPerDay", "")).toHaveProperty("error");
    expect(parse("model", "")).toEqual({ error: "Model is required: choose one from the list." });
    expect(parse("model", "gpt 4")).toEqual({
      error: "Model names use only letters, digits and . _ : / - (at most 100 characters).",
    });
    expect(parse("model", "claude-x")).toEqual({
      error: "Model “claude-x” has no price, so its requests could not be billed: choose one from the list.",
    });
  });

  it("leaves the model to the server while the priced models are unknown", () => {
    expect(parseChange({ featureType: "smart_mapping", kind: "model", value: "claude-x" }, null)).toEqual({
      change: { featureType: "smart_mapping", patch: { model: "claude-x" } },
    });
  });
});

describe("words", () => {
  it("names the change and the API's codes in product words", () => {
    expect(changeTitle({ featureType: "pdf_analysis", patch: { isEnabled: false } })).toBe(
      "Switch off PDF analysis",
    );
    expect(changeTitle({ featureType: "field_extraction", patch: { maxCostPerDay: "20.00" } })).toBe(
      "Set Field extraction's daily cost cap to $20.00 a day",
    );
    expect(
      productWords("smart_mapping requires the professional tier or higher (this organization is on free)"),
    ).toBe("Smart mapping requires the Professional tier or higher (this organization is on Free)");
  });
});
