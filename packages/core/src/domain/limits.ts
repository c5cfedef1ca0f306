import { z } from "zod";
import { normalizeAmount } from "./money";

/** Upper bounds on configurable limits: large enough for any real supplier, small enough for int4 and numeric(10,2). */
export const LIMIT_BOUNDS = {
  maxRequestsPerDay: 10_000_000,
  maxCostPerDay: "99999999.99",
  rateLimitPerMinute: 100_000,
  priorityLevel: 10,
} as const;

/** A dollar amount with at most 2 decimals, as a string ("25.50") or a number (25.5). Normalised to "25.50". */
export const dollarAmountSchema = z.union([z.string().max(20), z.number().finite()]).transform((v, ctx) => {
  const s = typeof v === "number" ? String(v) : v.trim();
  if (!/^\d{1,8}(\.\d{1,2})?$/.test(s)) {
    ctx.addIssue({
      code: "custom",
      message: "must be a non-negative amount in dollars with at most 2 decimals, below 100000000",
    });
    return z.NEVER;
  }
  return normalizeAmount(s, 2);
});

export const maxRequestsPerDaySchema = z.number().int().min(0).max(LIMIT_BOUNDS.maxRequestsPerDay);
export const rateLimitPerMinuteSchema = z.number().int().min(0).max(LIMIT_BOUNDS.rateLimitPerMinute);
export const priorityLevelSchema = z.number().int().min(1).max(LIMIT_BOUNDS.priorityLevel);
export const modelNameSchema = z
  .string()
  .min(1)
  .max(100)
  .regex(/^[A-Za-z0-9._:/-]+$/, "letters, digits and . _ : / - only");

/** An API key's name (apiKeys.create, and the app's form before it sends). */
export const apiKeyNameSchema = z
  .string()
  .trim()
  .min(1, "give the key a name, e.g. the service that will use it")
  .max(100, "at most 100 characters");
/** The roles an API key may carry (never owner). */
export const API_KEY_ROLES = ["member", "admin"] as const;
