import type { Locator, Page } from "@playwright/test";
import { trpcQuery } from "../support/api";
import { signIn } from "../support/auth";
import { expectNoAxeViolations } from "../support/axe";
import { expect, test } from "../support/fixtures";

const STAFF = "staff@wedsync.demo";
const ZONE = "Europe/London";

interface Price {
  inputPerMillion: string;
  cachedInputPerMillion: string;
  outputPerMillion: string;
  effectiveFrom: string;
}
interface PriceTable {
  models: Array<{
    provider: string;
    model: string;
    current: Price | null;
    next: Price | null;
    history: Price[];
  }>;
}

// The test's own arithmetic, independent of the app and of core: exact decimals as BigInt micro-dollars.
const micros = (amount: string) => {
  const [whole, fraction = ""] = amount.split(".");
  return BigInt(whole!) * 1_000_000n + BigInt(`${fraction}000000`.slice(0, 6));
};
/** A request's cost in micro-dollars: the three products summed, divided once, rounded half up. */
function cost(tokens: { input: number; cached: number; output: number }, p: Omit<Price, "effectiveFrom">) {
  const numerator =
    BigInt(tokens.input - tokens.cached) * micros(p.inputPerMillion) +
    BigInt(tokens.cached) * micros(p.cachedInputPerMillion) +
    BigInt(tokens.output) * micros(p.outputPerMillion);
  return (numerator + 500_000n) / 1_000_000n;
}
/** "$0.000435", "$0.15", "$10.00": dollars with two to six places, trailing zeros dropped. */
function usd(m: bigint): string {
  const digits = m.toString().padStart(7, "0");
  const fraction = digits.slice(-6).replace(/0+$/, "").padEnd(2, "0");
  return `$${BigInt(digits.slice(0, -6)).toLocaleString("en-US")}.${fraction}`;
}

/** The wall-clock parts of an instant in London, as the date field's segments take them. */
function londonParts(at: Date) {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat("en-GB", {
      timeZone: ZONE,
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      hourCycle: "h23",
    })
      .formatToParts(at)
      .map((p) => [p.type, p.value]),
  );
  return {
    day: parts.day!,
    month: parts.month!,
    year: parts.year!,
    hour: parts.hour!,
    minute: parts.minute!,
  };
}

/** Types a date and time into the "Starts" field, segment by segment, as a keyboard user would. */
async function typeStart(field: Locator, parts: Partial<ReturnType<typeof londonParts>>) {
  for (const [segment, value] of Object.entries(parts)) {
    await field.getByRole("spinbutton", { name: new RegExp(`^${segment}`, "i") }).click();
    await field.page().keyboard.type(value);
  }
}

async function openAsStaff(page: Page, path = "/admin/model-prices") {
  await page.goto(path);
  await signIn(page, STAFF);
  await expect(page.getByRole("heading", { level: 1, name: "Model prices" })).toBeFocused();
}

test.describe("model prices", () => {
  test.describe.configure({ timeout: 120_000 });
  // Staff in London: the date field and the figures' times are in the browser's zone.
  test.use({ timezoneId: ZONE, locale: "en-GB" });

  test("staff schedule a price a day ahead; the confirmation's figures are the test's own arithmetic", async ({
    page,
  }) => {
    await openAsStaff(page);
    const before = await trpcQuery<PriceTable>(page.request, "modelPrices.list", undefined);
    const mini = before.models.find((m) => m.provider === "openai" && m.model === "gpt-4o-mini")!;

    const table = page.getByRole("table", { name: /^Model prices in US dollars per million tokens/ });
    const row = table.getByRole("row", { name: /^gpt-4o-mini openai/ });
    await expect(row.getByRole("cell").nth(1)).toHaveText(usd(micros(mini.current!.inputPerMillion)));
    await expect(row.getByRole("cell").nth(3)).toHaveText(usd(micros(mini.current!.outputPerMillion)));
    await expectNoAxeViolations(page);

    await row.getByRole("button", { name: "Schedule a new price for gpt-4o-mini" }).click();
    await expect(page).toHaveURL(/\/admin\/model-prices\?model=openai%2Fgpt-4o-mini$/);
    const form = page.getByRole("form", { name: "Schedule a new price" });
    await form.getByRole("textbox", { name: "Input", exact: true }).fill("0.18");
    await form.getByRole("textbox", { name: "Cached input" }).fill("0.09");
    await form.getByRole("textbox", { name: "Output" }).fill("0.72");
    // A day ahead, to the next whole minute.
    const start = new Date(Math.ceil((Date.now() + 86_400_000) / 60_000) * 60_000 + 60_000);
    await typeStart(form.getByRole("group", { name: "Starts" }), londonParts(start));
    await form.getByRole("button", { name: "Review the price" }).click();

    const dialog = page.getByRole("alertdialog", { name: "Schedule a new price for gpt-4o-mini?" });
    await expect(dialog).toBeVisible();
    const proposed = { inputPerMillion: "0.18", cachedInputPerMillion: "0.09", outputPerMillion: "0.72" };
    // The price it replaces: the one in force just before the new one starts.
    const replaced = mini.history
      .filter((p) => new Date(p.effectiveFrom) < start)
      .sort((a, b) => Date.parse(b.effectiveFrom) - Date.parse(a.effectiveFrom))[0]!;
    const figures = dialog.getByTestId("price-preview");
    const cells = (name: string) =>
      figures.getByRole("row", { name: new RegExp(`^${name}`) }).getByRole("cell");

    const checkExample = async (tokens: { input: number; cached: number; output: number }) => {
      await expect(figures.getByRole("caption")).toContainText(
        `${tokens.input.toLocaleString("en-US")} input tokens (${tokens.cached.toLocaleString("en-US")} cached) and ${tokens.output.toLocaleString("en-US")} output tokens`,
      );
      const oldCost = cost(tokens, replaced);
      const newCost = cost(tokens, proposed);
      await expect(cells("Example request")).toHaveText([usd(oldCost), usd(newCost)]);
      const change = newCost - oldCost;
      await expect(dialog).toContainText(
        `The example request will cost ${usd(newCost)} instead of ${usd(oldCost)}: ${usd(change < 0n ? -change : change)} ${change < 0n ? "less" : "more"}.`,
      );
    };
    await expect(cells("Input")).toHaveText([usd(micros(replaced.inputPerMillion)), "$0.18"]);
    await expect(cells("Cached input")).toHaveText([usd(micros(replaced.cachedInputPerMillion)), "$0.09"]);
    await expect(cells("Output")).toHaveText([usd(micros(replaced.outputPerMillion)), "$0.72"]);
    await checkExample({ input: 1000, cached: 200, output: 500 });
    await expectNoAxeViolations(page);

    // Another example request, typed in the dialog: asked again, computed again.
    await dialog.getByRole("textbox", { name: "Input tokens" }).fill("12345");
    await dialog.getByRole("textbox", { name: "Of which cached" }).fill("3001");
    await dialog.getByRole("textbox", { name: "Output tokens" }).fill("4567");
    await checkExample({ input: 12345, cached: 3001, output: 4567 });

    await dialog.getByRole("button", { name: "Schedule the price" }).click();
    await expect(dialog).toBeHidden();
    await expect(page.getByRole("region", { name: "Notifications" })).toContainText("New price scheduled");

    // The table says what is next; the API has exactly the decimals and the instant chosen.
    await expect(row).toContainText("$0.18 input, $0.09 cached, $0.72 output");
    const after = await trpcQuery<PriceTable>(page.request, "modelPrices.list", undefined);
    const scheduled = after.models
      .find((m) => m.provider === "openai" && m.model === "gpt-4o-mini")!
      .history.find((p) => Date.parse(p.effectiveFrom) === start.getTime());
    expect(scheduled).toMatchObject({
      inputPerMillion: "0.180000",
      cachedInputPerMillion: "0.090000",
      outputPerMillion: "0.720000",
    });
    // Its history, behind a disclosure, lists it as scheduled.
    await page.getByRole("button", { name: /^gpt-4o-mini \(openai\): \d+ prices$/ }).click();
    await expect(
      page
        .getByRole("table", { name: /Prices of gpt-4o-mini/ })
        .getByRole("row")
        .nth(1),
    ).toContainText("Scheduled");
    await expectNoAxeViolations(page);
  });

  test("a start in the past is refused in the form, before anything is sent; the screen fits 375 px", async ({
    page,
  }) => {
    await page.setViewportSize({ width: 375, height: 740 });
    await openAsStaff(page, "/admin/model-prices?form=add");
    const sent: string[] = [];
    page.on("request", (r) => {
      if (/modelPrices\.(preview|schedule)/.test(r.url())) sent.push(r.url());
    });
    const form = page.getByRole("form", { name: "Add a model" });
    await form.getByRole("textbox", { name: "Provider" }).fill("openai");
    await form.getByRole("textbox", { name: "Model" }).fill("e2e-past-model");
    await form.getByRole("textbox", { name: "Input", exact: true }).fill("1");
    await form.getByRole("textbox", { name: "Cached input" }).fill("0.5");
    await form.getByRole("textbox", { name: "Output" }).fill("2");
    const starts = form.getByRole("group", { name: "Starts" });
    await typeStart(starts, { year: String(new Date().getFullYear() - 1) });
    await form.getByRole("button", { name: "Review the price" }).click();

    await expect(form).toContainText(
      /Starts must not be in the past: requests already charged keep the price they were charged at\. Choose .+ or later\./,
    );
    await expect(page.getByRole("alertdialog")).toHaveCount(0);
    expect(sent).toEqual([]);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
    await expectNoAxeViolations(page);
  });
});
