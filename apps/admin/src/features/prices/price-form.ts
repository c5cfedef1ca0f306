import { zodResolver } from "@hookform/resolvers/zod";
import type { ZonedDateTime } from "@internationalized/date";
import {
  earliestEffectiveFrom,
  effectiveFromProblem,
  MAX_PRICE_PER_MILLION,
  modelNameSchema,
  pricePerMillionSchema,
  priceProblems,
  providerNameSchema,
} from "@wedsync/core/domain";
import { formatUsd } from "@wedsync/ui/format";
import type { FieldErrors, Resolver } from "react-hook-form";
import { z } from "zod";
import { whenWords } from "../../lib/when";

/** The form as typed: prices are text (exact decimals, never floats); the start is the picker's value. */
export interface PriceValues {
  provider: string;
  model: string;
  inputPerMillion: string;
  cachedInputPerMillion: string;
  outputPerMillion: string;
  effectiveFrom: ZonedDateTime | null;
}
export type PriceField = keyof PriceValues;

/** What modelPrices.preview and modelPrices.schedule are sent: core's normalised decimals ("2.500000"). */
export interface PriceProposal {
  provider: string;
  model: string;
  inputPerMillion: string;
  cachedInputPerMillion: string;
  outputPerMillion: string;
  effectiveFrom: Date;
}

export const PRICE_FIELDS = ["inputPerMillion", "cachedInputPerMillion", "outputPerMillion"] as const;
export type PriceFigure = (typeof PRICE_FIELDS)[number];

export const PRICE_LABELS: Record<PriceFigure, string> = {
  inputPerMillion: "Input",
  cachedInputPerMillion: "Cached input",
  outputPerMillion: "Output",
};

/** "$2.50" and "2.50" are the same price: the symbol and separators people type are not part of it. */
const toAmount = (v: unknown) =>
  String(v ?? "")
    .trim()
    .replace(/^\$/, "")
    .replace(/,/g, "");
const trimmed = (v: unknown) => String(v ?? "").trim();

/** The first whole minute a price saved at `now` may start (the picker works in minutes). */
export function earliestMinute(now: Date): Date {
  const earliest = earliestEffectiveFrom(now).getTime();
  return new Date(Math.ceil(earliest / 60_000) * 60_000);
}

/**
 * Each field parsed by the API's own schema for it (so the form refuses exactly what the server
 * would), the start checked by core's rule at the clock's time, and the cached price against
 * the input price (core's priceProblems).
 */
export function priceSchema(now: () => Date) {
  return z
    .object({
      provider: z.preprocess(trimmed, providerNameSchema),
      model: z.preprocess(trimmed, modelNameSchema),
      inputPerMillion: z.preprocess(toAmount, pricePerMillionSchema),
      cachedInputPerMillion: z.preprocess(toAmount, pricePerMillionSchema),
      outputPerMillion: z.preprocess(toAmount, pricePerMillionSchema),
      effectiveFrom: z.custom<ZonedDateTime | null>().transform((v, ctx) => {
        if (!v) {
          ctx.addIssue({ code: "custom", message: "required" });
          return z.NEVER;
        }
        const at = v.toDate();
        const problem = effectiveFromProblem(at, now());
        if (problem) {
          ctx.addIssue({ code: "custom", message: problem });
          return z.NEVER;
        }
        return at;
      }),
    })
    .superRefine((price, ctx) => {
      // Zod runs this even when a price was refused above: compare only two amounts core accepted.
      const amounts = [price.inputPerMillion, price.cachedInputPerMillion];
      if (!amounts.every((a) => typeof a === "string" && /^\d+\.\d{6}$/.test(a))) return;
      for (const p of priceProblems(price)) {
        ctx.addIssue({ code: "custom", path: [p.field], message: p.message });
      }
    });
}

const PRICE_RANGE = `an amount in dollars per million tokens with at most 6 decimals, from $0 to ${formatUsd(MAX_PRICE_PER_MILLION, "micros")}`;

/** What is wrong with a field, in words that name it and its limit. */
export function priceMessage(field: PriceField, values: PriceValues, message: string, now: Date): string {
  const value = values[field];
  switch (field) {
    case "provider":
      return trimmed(value) === ""
        ? "Provider is required: name it as the provider chain does, such as openai."
        : "Provider names use lower-case letters, digits, - and _ only (such as openai), at most 50 characters.";
    case "model":
      return trimmed(value) === ""
        ? "Model is required, such as gpt-4o-mini."
        : "Model names use only letters, digits and . _ : / - (at most 100 characters).";
    case "inputPerMillion":
    case "cachedInputPerMillion":
    case "outputPerMillion": {
      const label = `${PRICE_LABELS[field]} price`;
      if (message.startsWith("cannot be above")) {
        return `${label} cannot be above the input price (${formatUsd(toAmount(values.inputPerMillion), "micros")} per million tokens).`;
      }
      return `${label} must be ${PRICE_RANGE}, such as 2.50.`;
    }
    case "effectiveFrom": {
      if (message === "required") return "Starts: choose the day and time the price starts.";
      const from = whenWords(earliestMinute(now), now);
      return message.startsWith("must not be in the past")
        ? `Starts must not be in the past: requests already charged keep the price they were charged at. Choose ${from} or later.`
        : `Starts is too soon: every server must have the price before it starts. Choose ${from} or later.`;
    }
  }
}

/** zodResolver with the API's schemas, its messages replaced by ones that name the field and its limit. */
export function priceResolver(now: () => Date): Resolver<PriceValues, unknown, PriceProposal> {
  return async (values, context, options) => {
    const resolve = zodResolver(priceSchema(now)) as unknown as Resolver<PriceValues, unknown, PriceProposal>;
    const result = await resolve(values, context, options);
    const errors = result.errors as FieldErrors<PriceValues>;
    const at = now();
    for (const field of Object.keys(errors) as PriceField[]) {
      const error = errors[field];
      if (error) error.message = priceMessage(field, values, String(error.message ?? ""), at);
    }
    return result;
  };
}
