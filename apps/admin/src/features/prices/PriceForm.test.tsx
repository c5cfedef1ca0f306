import { render, screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it, vi } from "vitest";
import { PriceForm, type PriceFormKind } from "./PriceForm";
import { MODELS } from "./test-data";

const WAIT = { timeout: 10_000 };
const SLOW = 30_000;

function setup(kind: PriceFormKind, preset = MODELS[1]!) {
  const user = userEvent.setup();
  const onReview = vi.fn();
  render(
    <PriceForm
      kind={kind}
      models={MODELS}
      providers={["local", "openai"]}
      preset={kind === "schedule" ? preset : null}
      onReview={onReview}
    />,
  );
  return { user, onReview };
}

const field = (name: string) => screen.getByRole("textbox", { name }) as HTMLInputElement;

/** Tomorrow at midnight in this test's time zone: the form's default start. */
function tomorrowMidnight(): Date {
  const d = new Date();
  d.setDate(d.getDate() + 1);
  d.setHours(0, 0, 0, 0);
  return d;
}

describe("PriceForm", () => {
  it(
    "starts a new price from the model's own, and hands over exact decimals for the confirmation",
    async () => {
      const { user, onReview } = setup("schedule");
      expect([field("Input").value, field("Cached input").value, field("Output").value]).toEqual([
        "0.15",
        "0.075",
        "0.60",
      ]);
      expect(document.body.textContent).toContain(
        "In force now: $0.15 input, $0.075 cached input, $0.60 output per million tokens.",
      );
      await user.clear(field("Input"));
      await user.type(field("Input"), "0.175");
      await user.click(screen.getByRole("button", { name: "Review the price" }));
      await waitFor(() => expect(onReview).toHaveBeenCalledTimes(1), WAIT);
      expect(onReview.mock.calls[0]![0]).toEqual({
        provider: "openai",
        model: "gpt-4o-mini",
        inputPerMillion: "0.175000",
        cachedInputPerMillion: "0.075000",
        outputPerMillion: "0.600000",
        effectiveFrom: tomorrowMidnight(),
      });
    },
    SLOW,
  );

  it(
    "refuses a start in the past in the form, before anything is sent",
    async () => {
      const { user, onReview } = setup("schedule");
      const year = screen.getByRole("spinbutton", { name: /year/i });
      await user.click(year);
      await user.keyboard("2020");
      await user.click(screen.getByRole("button", { name: "Review the price" }));
      await waitFor(
        () => expect(document.body.textContent).toContain("Starts must not be in the past"),
        WAIT,
      );
      expect(screen.getByRole("spinbutton", { name: /year/i }).getAttribute("aria-invalid")).toBe("true");
      expect(onReview).not.toHaveBeenCalled();
    },
    SLOW,
  );

  it(
    "adds a model by name, refusing a cached price above the input price on its field",
    async () => {
      const { user, onReview } = setup("add");
      expect(document.body.textContent).toContain("this server sends requests to local, openai");
      await user.type(field("Provider"), "openai");
      await user.type(field("Model"), "gpt-5-nano");
      await user.type(field("Input"), "0.05");
      await user.type(field("Cached input"), "0.5");
      await user.type(field("Output"), "0.40");
      await user.click(screen.getByRole("button", { name: "Review the price" }));
      await waitFor(() => expect(field("Cached input").getAttribute("aria-invalid")).toBe("true"), WAIT);
      expect(document.body.textContent).toContain(
        "Cached input price cannot be above the input price ($0.05 per million tokens).",
      );
      expect(onReview).not.toHaveBeenCalled();

      await user.clear(field("Cached input"));
      await user.type(field("Cached input"), "0.005");
      await user.click(screen.getByRole("button", { name: "Review the price" }));
      await waitFor(() => expect(onReview).toHaveBeenCalledTimes(1), WAIT);
      expect(onReview.mock.calls[0]![0]).toMatchObject({
        provider: "openai",
        model: "gpt-5-nano",
        cachedInputPerMillion: "0.005000",
      });
    },
    SLOW,
  );
});
