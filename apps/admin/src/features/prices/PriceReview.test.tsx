import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import superjson from "superjson";
import { afterEach, describe, expect, it, type Mock, vi } from "vitest";
import { renderAdmin } from "../../test/render";
import { exampleProblems, PriceReview } from "./PriceReview";
import type { PriceProposal } from "./price-form";

const WAIT = { timeout: 10_000 };
const SLOW = 30_000;

afterEach(() => vi.unstubAllGlobals());

const PROPOSAL: PriceProposal = {
  provider: "openai",
  model: "gpt-4o-mini",
  inputPerMillion: "0.200000",
  cachedInputPerMillion: "0.100000",
  outputPerMillion: "0.800000",
  effectiveFrom: new Date("2099-03-01T00:00:00Z"),
};

/** What modelPrices.preview answers for the default example (1,000 in, 200 cached, 500 out). */
const PREVIEW = {
  provider: "openai",
  model: "gpt-4o-mini",
  effectiveFrom: PROPOSAL.effectiveFrom,
  example: { inputTokens: 1000, cachedInputTokens: 200, outputTokens: 500 },
  old: {
    price: {
      id: "p1",
      inputPerMillion: "0.150000",
      cachedInputPerMillion: "0.075000",
      outputPerMillion: "0.600000",
      effectiveFrom: new Date("2025-01-01T00:00:00Z"),
    },
    costUsd: "0.000435",
  },
  new: {
    price: { inputPerMillion: "0.200000", cachedInputPerMillion: "0.100000", outputPerMillion: "0.800000" },
    costUsd: "0.000580",
  },
  changeUsd: "0.000145",
};

/** The inputs modelPrices.preview was asked with, from the stubbed fetch's URLs. */
function previewInputs(): Record<string, unknown>[] {
  return (fetch as unknown as Mock).mock.calls
    .map(([url]) => new URL(String(url), "http://localhost"))
    .filter((u) => u.pathname.includes("modelPrices.preview"))
    .map((u) => {
      const batch = JSON.parse(u.searchParams.get("input") ?? "{}") as Record<string, unknown>;
      return superjson.deserialize(batch["0"] as never) as Record<string, unknown>;
    });
}

describe("PriceReview", () => {
  it(
    "shows the old and new prices and the example request's cost under each, as the API computed them",
    async () => {
      await renderAdmin(<PriceReview proposal={PROPOSAL} />, { answers: { "modelPrices.preview": PREVIEW } });
      const table = await screen.findByRole(
        "table",
        { name: /the example request: 1,000 input tokens/ },
        WAIT,
      );
      const cells = (name: string) =>
        within(within(table).getByRole("row", { name: new RegExp(`^${name}`) }))
          .getAllByRole("cell")
          .map((c) => c.textContent);
      expect(cells("Input")).toEqual(["$0.15", "$0.20"]);
      expect(cells("Cached input")).toEqual(["$0.075", "$0.10"]);
      expect(cells("Output")).toEqual(["$0.60", "$0.80"]);
      expect(cells("Example request")).toEqual(["$0.000435", "$0.00058"]);
      expect(document.body.textContent).toContain(
        "The example request will cost $0.00058 instead of $0.000435: $0.000145 more.",
      );
      expect(previewInputs()[0]).toMatchObject({
        ...PROPOSAL,
        inputTokens: 1000,
        cachedInputTokens: 200,
        outputTokens: 500,
      });
    },
    SLOW,
  );

  it(
    "asks again with the token counts staff type, and refuses counts the API would",
    async () => {
      const user = userEvent.setup();
      await renderAdmin(<PriceReview proposal={PROPOSAL} />, { answers: { "modelPrices.preview": PREVIEW } });
      await screen.findByRole("table", undefined, WAIT);
      const input = screen.getByRole("textbox", { name: "Input tokens" });
      await user.clear(input);
      await user.type(input, "100");
      await waitFor(() => expect(input.getAttribute("aria-invalid")).toBe(null), WAIT);
      // 200 cached of 100 input: refused on the cached field, nothing asked.
      expect(document.body.textContent).toContain("Cached tokens are part of the input tokens: at most 100.");
      await user.type(input, "00");
      await waitFor(
        () => expect(previewInputs().at(-1)).toMatchObject({ inputTokens: 10000, cachedInputTokens: 200 }),
        WAIT,
      );
      expect(previewInputs().some((i) => i.inputTokens === 100)).toBe(false);
    },
    SLOW,
  );

  it("refuses token counts past the API's ceiling, naming the field and the limit", () => {
    expect(
      exampleProblems({ inputTokens: "10000001", cachedInputTokens: "x", outputTokens: "500" }).problems,
    ).toEqual({
      inputTokens: "Input tokens must be a whole number from 0 to 10,000,000.",
      cachedInputTokens: "Of which cached must be a whole number from 0 to 10,000,000.",
    });
  });
});
