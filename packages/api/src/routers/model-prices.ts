import {
  MAX_PRICE_PER_MILLION,
  modelNameSchema,
  PRICE_LEAD_MS,
  pricePerMillionSchema,
  providerNameSchema,
} from "@wedsync/core";
import { z } from "zod";
import { router, staffProcedure } from "../trpc";

const MAX_EXAMPLE_TOKENS = 10_000_000;

/** A Date from the typed client, or an ISO date-time with its offset over raw HTTP. */
const instant = z.union([z.date(), z.iso.datetime({ offset: true })]).transform((v) => new Date(v));

const perMillion = (what: string) =>
  pricePerMillionSchema.describe(
    `${what}, in dollars per million tokens: an exact decimal, at most 6 places, 0 to ${MAX_PRICE_PER_MILLION} ("2.50").`,
  );

const price = {
  provider: providerNameSchema.describe(
    'The provider that charges it, as the price table names it ("openai").',
  ),
  model: modelNameSchema.describe('The model, as the provider names it ("gpt-4o-mini").'),
  inputPerMillion: perMillion("Input tokens"),
  cachedInputPerMillion: perMillion(
    "Input tokens served from the provider's prompt cache (not above the input price)",
  ),
  outputPerMillion: perMillion("Output tokens"),
};

const tokens = (what: string, fallback: number) =>
  z
    .number()
    .int()
    .min(0)
    .max(MAX_EXAMPLE_TOKENS)
    .default(fallback)
    .describe(`${what} of the example request.`);

/** Platform staff: the model price table (what every request is charged at) and its changes. */
export const modelPricesRouter = router({
  list: staffProcedure
    .meta({
      description:
        "The model price table, per provider and model: the price in force now, the next one scheduled (null when none) and every price with the instant it starts, newest first (input, cached input and output in dollars per million tokens, exact decimal strings). Also the earliest instant a new price may start now, and the providers this server sends requests to.",
    })
    .query(({ ctx }) => ctx.services.modelPrices.list()),

  schedule: staffProcedure
    .meta({
      description: `Add a model, or schedule a new price for one, from effectiveFrom on. Prices never change in the past (requests already charged keep their price): effectiveFrom must be at least ${PRICE_LEAD_MS / 1000} seconds from now, and every server picks the price up before it starts. The cached input price may not be above the input price. BAD_REQUEST names the field; CONFLICT when the model already has a price starting at that instant.`,
    })
    .input(
      z.object({
        ...price,
        effectiveFrom: instant.describe(
          `When the price starts: an ISO date-time with offset, at least ${PRICE_LEAD_MS / 1000} seconds from now.`,
        ),
      }),
    )
    .mutation(({ ctx, input }) => ctx.services.modelPrices.schedule(ctx.principal.userId, input)),

  preview: staffProcedure
    .meta({
      description:
        "What a proposed price changes, before it is scheduled: the price it replaces (the one in force just before effectiveFrom, or now; null for a new model) and the cost of an example request under each, computed exactly as requests are billed (default 1,000 input tokens of which 200 cached, and 500 output tokens). The same checks as schedule, each naming its field.",
    })
    .input(
      z.object({
        ...price,
        effectiveFrom: instant
          .optional()
          .describe("When the price would start (default: compare with the price in force now)."),
        inputTokens: tokens("All input tokens, cached ones included,", 1_000),
        cachedInputTokens: tokens("The input tokens served from the cache (at most inputTokens)", 200),
        outputTokens: tokens("Output tokens", 500),
      }),
    )
    .query(({ ctx, input }) => {
      const { inputTokens, cachedInputTokens, outputTokens, ...proposal } = input;
      return ctx.services.modelPrices.preview({
        ...proposal,
        usage: { inputTokens, cachedInputTokens, outputTokens },
      });
    }),
});
