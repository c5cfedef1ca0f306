import {
  AUDIT_ENTITY_KINDS,
  dollarAmountSchema,
  FEATURE_TYPES,
  isValidTimezone,
  MAX_BULK_ORGANIZATIONS,
  maxRequestsPerDaySchema,
  modelNameSchema,
  rateLimitPerMinuteSchema,
  SUBSCRIPTION_TIERS,
} from "@wedsync/core";
import { z } from "zod";
import { actorOf } from "../auth/principal";
import { INVOICE_STATUSES } from "../services/admin-invoices";
import { ORGANIZATION_SORTS } from "../services/admin-organizations";
import { router, staffProcedure } from "../trpc";

const featureType = z.enum(FEATURE_TYPES);
const tier = z.enum(SUBSCRIPTION_TIERS);
const search = z.string().trim().min(1).max(100).describe("Part of the name or the slug, any case.");
// From 1970: earlier there is nothing to find, and the database has no year 0.
const month = z
  .string()
  .regex(/^\d{4}-(0[1-9]|1[0-2])$/, "must be YYYY-MM")
  .refine((m) => m >= "1970-01", "must be 1970 or later");
const day = z.iso.date().refine((d) => d >= "1970-01-01", "must be 1970 or later");
const limit = (max: number, fallback: number) => z.number().int().min(1).max(max).default(fallback);
const offset = z.number().int().min(0).max(1_000_000).default(0);
// Names only (no offsets or abbreviations), known to the runtime; the database reads the same names.
const timeZone = z
  .string()
  .refine((tz) => /^(UTC|[A-Za-z]+(\/[A-Za-z0-9_+-]+){1,2})$/.test(tz) && isValidTimezone(tz), {
    message: "must be an IANA time zone, e.g. Europe/London",
  });

const selection = z
  .union([
    z
      .object({
        organizationIds: z
          .array(z.uuid())
          .min(1)
          .max(MAX_BULK_ORGANIZATIONS)
          .describe("These organizations (duplicates are ignored)."),
      })
      .strict(),
    z
      .object({
        filter: z
          .object({ tier: tier.optional(), search: search.optional() })
          .strict()
          .describe(
            `Every organization matching, resolved by the server when the change applies (at most ${MAX_BULK_ORGANIZATIONS}).`,
          ),
      })
      .strict(),
  ])
  .describe("Which organizations: named by id, or all matching a filter.");

const bulkPatch = z
  .object({
    isEnabled: z.boolean().optional(),
    maxRequestsPerDay: maxRequestsPerDaySchema.optional(),
    maxCostPerDay: dollarAmountSchema.optional(),
    rateLimitPerMinute: rateLimitPerMinuteSchema.optional(),
    model: modelNameSchema.optional(),
  })
  .strict()
  .refine((p) => Object.values(p).some((v) => v !== undefined), { message: "change at least one field" });

const bulkChange = z.object({ selection, featureType, patch: bulkPatch });

const expectedVersions = z
  .array(
    z.object({
      organizationId: z.uuid(),
      version: z.number().int().min(1).max(2_147_483_647),
    }),
  )
  .min(1)
  .max(MAX_BULK_ORGANIZATIONS)
  .describe(
    "The preview's expectedVersions: the change applies only if every organization is still at them.",
  );

const bulkApply = bulkChange
  .extend({
    expectedVersions: expectedVersions.optional(),
    applyToCurrent: z
      .literal(true)
      .optional()
      .describe("Apply to each organization's current configuration, whatever its version."),
  })
  .superRefine((input, ctx) => {
    if ((input.expectedVersions === undefined) === (input.applyToCurrent === undefined)) {
      ctx.addIssue({
        code: "custom",
        path: ["expectedVersions"],
        message: "send the preview's expectedVersions, or applyToCurrent: true (not both)",
      });
      return;
    }
    if (input.expectedVersions && "organizationIds" in input.selection) {
      const named = new Set(input.selection.organizationIds);
      const versioned = new Set(input.expectedVersions.map((v) => v.organizationId));
      if (
        versioned.size !== input.expectedVersions.length ||
        [...named].some((id) => !versioned.has(id)) ||
        versioned.size !== named.size
      )
        ctx.addIssue({
          code: "custom",
          path: ["expectedVersions"],
          message: "must give one version for each of selection.organizationIds, and no others",
        });
    }
  });

/** Platform staff only: the view across every organization. */
export const adminRouter = router({
  organizations: router({
    list: staffProcedure
      .meta({
        description:
          "Every organization, a page at a time: search (name or slug, any case), filter by tier, sort by name, tier, clients, monthSpend or createdAt (ties by name). Each row: tier, timezone, client count, this month's settled spend (the organization's own month, in its timezone; exact), credit limit and credit status (as billing.creditStatus: settled plus in-flight against the monthly limit), and active alerts: alerts raised in the last 24 hours (alerts have no acknowledgement). `total` counts every match.",
      })
      .input(
        z
          .object({
            search: search.optional(),
            tier: tier.optional(),
            sort: z.enum(ORGANIZATION_SORTS).default("name"),
            direction: z.enum(["asc", "desc"]).default("asc"),
            limit: limit(100, 25),
            offset,
          })
          .default({ sort: "name", direction: "asc", limit: 25, offset: 0 }),
      )
      .query(({ ctx, input }) => ctx.services.adminOrganizations.list(input)),

    get: staffProcedure
      .meta({
        description:
          "One organization's overview for its admin page: the list's row, billing email, members with their roles, each feature's configuration with how many clients override it or switched it off, this month's invoice preview total (not issued) and the last 5 alerts. NOT_FOUND for an unknown id.",
      })
      .input(z.object({ organizationId: z.uuid() }))
      .query(({ ctx, input }) => ctx.services.adminOrganizations.get(input.organizationId)),
  }),

  bulk: router({
    preview: staffProcedure
      .meta({
        description:
          "What a change of one feature across organizations would do, for the confirmation dialog; nothing is written. Per organization: its version, every value that would change (from → to), the clients whose overrides would be clamped and how, and a problem when the feature is above its tier (the change would then be refused for all). Returns expectedVersions to send to admin.bulk.update.",
      })
      .input(bulkChange)
      .query(({ ctx, input }) => ctx.services.adminBulk.preview(input)),

    update: staffProcedure
      .meta({
        description:
          "Switch a feature on or off, or change its limits or model, in several organizations at once: all or nothing, in one transaction. With the preview's expectedVersions, any organization changed since (or a filter now matching other organizations) refuses the whole change with CONFLICT and the current state; applyToCurrent: true applies to whatever is current. Each organization's change is audited with you as the actor, sends its change event and clamps client overrides exactly as platform.config.update does.",
      })
      .input(bulkApply)
      .mutation(({ ctx, input: { expectedVersions, applyToCurrent: _current, ...change } }) =>
        ctx.services.adminBulk.apply({
          ...change,
          actor: actorOf(ctx.principal),
          expectedVersions: expectedVersions ?? "current",
        }),
      ),
  }),

  audit: router({
    list: staffProcedure
      .meta({
        description:
          "Configuration changes across every organization, newest first, a page at a time (pass nextCursor back). Filter by organization, actor (a user's or API key's id, or part of a person's name or email or a key's name), feature, kind of entry, and days from/to (inclusive, in timeZone, default UTC). Each entry names its organization, its actor (whether platform staff) and client, with before, after and the diff. Roll a platform configuration entry back with platform.config.rollback and the entry's organizationId.",
      })
      .input(
        z
          .object({
            organizationId: z.uuid().optional(),
            actor: z.string().trim().min(1).max(200).optional(),
            featureType: featureType.optional(),
            entityKind: z
              .enum(AUDIT_ENTITY_KINDS)
              .optional()
              .describe("A platform configuration, a client's override, or an emergency throttle."),
            from: day.optional(),
            to: day.optional(),
            timeZone: timeZone.default("UTC"),
            cursor: z.number().int().positive().max(Number.MAX_SAFE_INTEGER).optional(),
            limit: limit(100, 50),
          })
          .refine((q) => !q.from || !q.to || q.from <= q.to, {
            message: "must not be before from",
            path: ["to"],
          })
          .default({ timeZone: "UTC", limit: 50 }),
      )
      .query(({ ctx, input }) => ctx.services.adminAudit.list(input)),
  }),

  invoices: router({
    list: staffProcedure
      .meta({
        description:
          "Every organization's invoices, newest period first, a page at a time: status issued (view and download with billing.invoices.export and the organizationId) or not_issued (a month ended in the organization's timezone with billed requests and no invoice for any of its days; its total is what issuing would charge). Filter by month (YYYY-MM: periods sharing a day with it), status and organization. Totals are exact decimal strings.",
      })
      .input(
        z
          .object({
            month: month.optional(),
            status: z.enum(INVOICE_STATUSES).optional(),
            organizationId: z.uuid().optional(),
            limit: limit(100, 50),
            offset,
          })
          .default({ limit: 50, offset: 0 }),
      )
      .query(({ ctx, input }) => ctx.services.adminInvoices.list(input)),
  }),

  /** Each AI provider's circuit state, failures and last error. */
  providers: router({
    health: staffProcedure.query(({ ctx }) => ctx.services.ai.checkServiceHealth()),
  }),
});
