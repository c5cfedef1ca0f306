import { z } from "zod";
import type { FieldError } from "./errors";
import { compareAmounts, normalizeAmount } from "./money";
import { type ModelPrice, priceAt } from "./pricing";

/**
 * The model price table as staff change it: a new price (or a new model) is a new row with a
 * later effective_from, never an edit. Billing depends on that: a request's cost is stored when
 * it completes, priced at the row in force at its time, and invoices group requests by the price
 * segment they fell in. A row taking effect in the past would change which price was in force for
 * requests already charged, so their stored costs and issued invoices would no longer agree with
 * the table.
 */

/**
 * How far ahead of the moment it is saved a price must start. Every server reloads the table as
 * soon as a change is announced (well under a second); the margin covers that, so no server can
 * price a request after the new price's instant with the old one.
 */
export const PRICE_LEAD_MS = 5_000;

/** numeric(12, 6): the price columns' ceiling, in dollars per million tokens. */
export const MAX_PRICE_PER_MILLION = "999999.999999";

const PRICE_PATTERN = /^\d{1,6}(\.\d{1,6})?$/;
const PRICE_MESSAGE =
  "must be a non-negative amount in dollars per million tokens, at most 6 decimals, below 1000000";

/** A price in dollars per million tokens, as a string ("2.50") or a number (2.5); normalised to "2.500000". */
export const pricePerMillionSchema = z
  .union(
    [
      z.string().trim().regex(PRICE_PATTERN, PRICE_MESSAGE),
      z.number().finite().nonnegative(PRICE_MESSAGE).max(Number(MAX_PRICE_PER_MILLION), PRICE_MESSAGE),
    ],
    { error: PRICE_MESSAGE },
  )
  .transform((v, ctx) => {
    // A number is read through its shortest decimal form: 0.1 is "0.1", 1e-7 is refused.
    const s = typeof v === "number" ? String(v) : v;
    if (!PRICE_PATTERN.test(s)) {
      ctx.addIssue({ code: "custom", message: PRICE_MESSAGE });
      return z.NEVER;
    }
    return normalizeAmount(s, 6);
  });

/** A provider's name as the price table and the provider chain spell it ("openai", "local"). */
export const providerNameSchema = z
  .string()
  .trim()
  .min(1, "name the provider, e.g. openai")
  .max(50, "at most 50 characters")
  .regex(/^[a-z0-9][a-z0-9_-]*$/, "lower-case letters, digits, - and _ only");

/** The earliest instant a price saved at `now` may take effect. */
export function earliestEffectiveFrom(now: Date): Date {
  return new Date(now.getTime() + PRICE_LEAD_MS);
}

/** Why a price saved at `now` may not take effect at `effectiveFrom` (null when it may). */
export function effectiveFromProblem(effectiveFrom: Date, now: Date): string | null {
  if (Number.isNaN(effectiveFrom.getTime())) return "must be a date and time";
  if (effectiveFrom.getTime() >= earliestEffectiveFrom(now).getTime()) return null;
  const inPast = effectiveFrom.getTime() < now.getTime();
  return `${inPast ? "must not be in the past" : "is too soon"}: choose ${earliestEffectiveFrom(now).toISOString()} or later (requests already charged keep the price they were charged at)`;
}

export type PriceFigures = Pick<ModelPrice, "inputPerMillion" | "cachedInputPerMillion" | "outputPerMillion">;

/**
 * What is wrong with a price, each naming its field. Cached input may not cost more than input:
 * admission reserves a request's worst case as every input token uncached, which is the most it
 * can cost only if caching never raises the price.
 */
export function priceProblems(price: PriceFigures): FieldError[] {
  if (compareAmounts(price.cachedInputPerMillion, price.inputPerMillion) > 0) {
    return [
      {
        field: "cachedInputPerMillion",
        message: `cannot be above the input price ($${price.inputPerMillion} per million tokens)`,
      },
    ];
  }
  return [];
}

/** Everything a new price row must satisfy before it is saved at `now`, each problem naming its field. */
export function scheduleProblems(
  row: PriceFigures & Pick<ModelPrice, "effectiveFrom">,
  now: Date,
): FieldError[] {
  const when = effectiveFromProblem(row.effectiveFrom, now);
  return [...(when ? [{ field: "effectiveFrom", message: when }] : []), ...priceProblems(row)];
}

/** One model of the price table: the price in force, the next one scheduled, and every row. */
export interface ModelPriceHistory<P extends ModelPrice = ModelPrice> {
  provider: string;
  model: string;
  /** In force at `now` (null: the model's first price has not started yet). */
  current: P | null;
  /** The earliest row starting after `now` (null: nothing scheduled). */
  next: P | null;
  /** Every row of the model, newest effective_from first. */
  history: P[];
}

/** The price table at `now`, one entry per provider and model, by provider then model. */
export function priceTable<P extends ModelPrice>(rows: readonly P[], now: Date): ModelPriceHistory<P>[] {
  const byModel = new Map<string, P[]>();
  for (const r of rows) {
    const key = `${r.provider}\u0000${r.model}`;
    const list = byModel.get(key);
    if (list) list.push(r);
    else byModel.set(key, [r]);
  }
  const out: ModelPriceHistory<P>[] = [];
  for (const list of byModel.values()) {
    const history = [...list].sort((a, b) => b.effectiveFrom.getTime() - a.effectiveFrom.getTime());
    const { provider, model } = history[0]!;
    const upcoming = history.filter((r) => r.effectiveFrom.getTime() > now.getTime());
    out.push({
      provider,
      model,
      current: priceAt(history, provider, model, now),
      next: upcoming.at(-1) ?? null,
      history,
    });
  }
  return out.sort((a, b) => a.provider.localeCompare(b.provider) || a.model.localeCompare(b.model));
}

/** The row a new price starting at `at` takes over from: the one in force just before it (null: none). */
export function priceReplacedAt<P extends ModelPrice>(
  rows: readonly P[],
  provider: string,
  model: string,
  at: Date,
): P | null {
  return priceAt(
    rows.filter((r) => r.effectiveFrom.getTime() < at.getTime()),
    provider,
    model,
    at,
  );
}
