import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { NotificationRegion, notifications } from "@wedsync/ui/Notifications";
import superjson from "superjson";
import { afterEach, describe, expect, it, vi } from "vitest";
import { renderAdmin } from "../../test/render";
import { PricesScreen } from "./PricesScreen";
import { MODELS } from "./test-data";

const WAIT = { timeout: 10_000 };
const SLOW = 30_000;

afterEach(() => {
  vi.unstubAllGlobals();
  notifications.clear();
});

const LIST = {
  now: new Date(),
  earliestEffectiveFrom: new Date(Date.now() + 5_000),
  providers: ["openai"],
  models: MODELS,
};
const PREVIEW = {
  provider: "openai",
  model: "gpt-4o",
  effectiveFrom: new Date("2099-01-01T00:00:00Z"),
  example: { inputTokens: 1000, cachedInputTokens: 200, outputTokens: 500 },
  old: { price: MODELS[0]!.current, costUsd: "0.007250" },
  new: {
    price: { inputPerMillion: "2.500000", cachedInputPerMillion: "1.250000", outputPerMillion: "10.000000" },
    costUsd: "0.007250",
  },
  changeUsd: "0.000000",
};

async function open(answers: Record<string, unknown> = {}, model?: string) {
  const onChoose = vi.fn();
  const rendered = await renderAdmin(
    <>
      <PricesScreen model={model} onChoose={onChoose} />
      <NotificationRegion />
    </>,
    {
      path: "/model-prices",
      answers: { "modelPrices.list": LIST, "modelPrices.preview": PREVIEW, ...answers },
    },
  );
  return { onChoose, ...rendered };
}

/** The next modelPrices.schedule answers CONFLICT, as the API does for a second price at one instant. */
function conflictOnSchedule() {
  const answer = fetch;
  vi.stubGlobal("fetch", async (input: RequestInfo | URL, init?: RequestInit) => {
    if (!String(input).includes("modelPrices.schedule")) return answer(input, init);
    const error = superjson.serialize({
      message: "openai/gpt-4o already has a price starting at 2099-01-01T00:00:00.000Z; choose another time",
      code: -32009,
      data: {
        code: "CONFLICT",
        httpStatus: 409,
        fieldErrors: [{ field: "effectiveFrom", message: "a price already starts at this instant" }],
      },
    });
    return new Response(JSON.stringify([{ error }]), { headers: { "content-type": "application/json" } });
  });
}

describe("PricesScreen", () => {
  it(
    "shows each model's price in force, the next one scheduled, and its history",
    async () => {
      const user = userEvent.setup();
      const { onChoose } = await open();
      const table = await screen.findByRole(
        "table",
        { name: /Model prices in US dollars per million tokens/ },
        WAIT,
      );
      const mini = within(table).getByRole("row", { name: /gpt-4o-mini/ });
      expect(
        within(mini)
          .getAllByRole("cell")
          .map((c) => c.textContent)
          .slice(0, 4),
      ).toEqual(["openai", "$0.15", "$0.075", "$0.60"]);
      expect(mini.textContent).toContain("$0.20 input, $0.10 cached, $0.80 output");
      expect(within(table).getByRole("row", { name: /^gpt-4o openai/ }).textContent).toContain("None");

      const history = screen.getByRole("button", { name: "gpt-4o-mini (openai): 2 prices" });
      expect(history.getAttribute("aria-expanded")).toBe("false");
      await user.click(history);
      const rows = within(screen.getByRole("table", { name: /Prices of gpt-4o-mini/ })).getAllByRole("row");
      expect(rows.slice(1).map((r) => within(r).getAllByRole("cell")[3]?.textContent)).toEqual([
        "Scheduled",
        "In force",
      ]);
      expect(rows[1]!.textContent).toContain("Sam Staff");
      expect(rows[2]!.textContent).toContain("The platform's starting prices");

      await user.click(screen.getByRole("button", { name: "Schedule a new price for gpt-4o" }));
      expect(onChoose).toHaveBeenCalledWith({ model: "openai/gpt-4o", form: "schedule" });
    },
    SLOW,
  );

  it(
    "confirms with the figures, and explains a CONFLICT in the dialog, which stays open",
    async () => {
      const user = userEvent.setup();
      await open(
        { "modelPrices.schedule": { provider: "openai", model: "gpt-4o", price: MODELS[0]!.current } },
        "openai/gpt-4o",
      );
      const form = await screen.findByRole("form", { name: "Schedule a new price" }, WAIT);
      expect((within(form).getByRole("textbox", { name: "Output" }) as HTMLInputElement).value).toBe("10.00");
      await user.click(within(form).getByRole("button", { name: "Review the price" }));

      const dialog = await screen.findByRole(
        "alertdialog",
        { name: "Schedule a new price for gpt-4o?" },
        WAIT,
      );
      await waitFor(
        () => expect(dialog.textContent).toContain("The example request costs the same, $0.00725."),
        WAIT,
      );

      conflictOnSchedule();
      await user.click(within(dialog).getByRole("button", { name: "Schedule the price" }));
      await waitFor(
        () =>
          expect(within(dialog).getByRole("alert").textContent).toMatch(
            /^gpt-4o \(openai\) already has a price starting at exactly .+\. Two prices cannot start at the same instant: cancel, choose another start time, and review again\.$/,
          ),
        WAIT,
      );
      expect(screen.getByRole("alertdialog", { name: "Schedule a new price for gpt-4o?" })).toBe(dialog);
    },
    SLOW,
  );

  it(
    "announces a price scheduled, and starts the form afresh",
    async () => {
      const user = userEvent.setup();
      await open(
        { "modelPrices.schedule": { provider: "openai", model: "gpt-4o", price: MODELS[0]!.current } },
        "openai/gpt-4o",
      );
      const again = await screen.findByRole("form", { name: "Schedule a new price" }, WAIT);
      await user.clear(within(again).getByRole("textbox", { name: "Output" }));
      await user.type(within(again).getByRole("textbox", { name: "Output" }), "12");
      await user.click(within(again).getByRole("button", { name: "Review the price" }));
      const second = await screen.findByRole(
        "alertdialog",
        { name: "Schedule a new price for gpt-4o?" },
        WAIT,
      );
      await user.click(within(second).getByRole("button", { name: "Schedule the price" }));
      const toasts = await screen.findByRole("region", { name: "Notifications" }, WAIT);
      await waitFor(() => expect(toasts.textContent).toContain("New price scheduled"), WAIT);
      expect(toasts.textContent).toContain("gpt-4o (openai) from");
      expect(toasts.textContent).toContain("$12.00 output per million tokens");
      await waitFor(
        () =>
          expect(screen.queryByRole("alertdialog", { name: "Schedule a new price for gpt-4o?" })).toBeNull(),
        WAIT,
      );
      const fresh = screen.getByRole("form", { name: "Schedule a new price" });
      expect((within(fresh).getByRole("textbox", { name: "Output" }) as HTMLInputElement).value).toBe(
        "10.00",
      );
    },
    SLOW,
  );
});
