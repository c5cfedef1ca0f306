/** Configuration tools: the platform's limits, the clients and their overrides. */
import {
  AppError,
  CLIENT_STATUSES,
  customPromptsSchema,
  dollarAmountSchema,
  featureSettingsSchema,
  maxRequestsPerDaySchema,
  processingPreferencesSchema,
  rateLimitPerMinuteSchema,
} from "@wedsync/core";
import { z } from "zod";
import { ROLE_RANK } from "../auth/principal";
import type { Context } from "../trpc";
import { clientIdArg, featureTypeArg } from "./inputs";
import type { McpTools } from "./tool";

interface FeatureLimits {
  featureType: string;
  isEnabled: boolean;
  maxRequestsPerDay: number;
  maxCostPerDay: string;
  rateLimitPerMinute: number;
  priorityLevel: number;
  model: string;
}

function limitsLine(f: FeatureLimits, off = "off"): string {
  if (!f.isEnabled) return `${f.featureType} ${off}`;
  return `${f.featureType} on (${f.model}, ${f.maxRequestsPerDay} requests and $${f.maxCostPerDay} a day, ${f.rateLimitPerMinute}/min, priority ${f.priorityLevel})`;
}

const overridesArg = z
  .object({
    isEnabled: z.boolean().nullable().optional().describe("false turns the feature off for this client"),
    maxRequestsPerDay: maxRequestsPerDaySchema.nullable().optional(),
    maxCostPerDay: dollarAmountSchema.nullable().optional().describe('Dollars, e.g. "12.50"'),
    rateLimitPerMinute: rateLimitPerMinuteSchema.nullable().optional(),
  })
  .strict()
  .describe(
    "The client's own limits, each at most the platform's (get_platform_config). null clears an override (the platform's value is inherited again); a field left out is kept.",
  );

export function registerConfigTools(tools: McpTools) {
  tools.add("get_platform_config", {
    title: "Platform configuration",
    description:
      "The organization's AI features at platform level: for each of pdf_analysis, field_extraction and smart_mapping whether it is on, its daily request and cost caps, rate limit per minute, model and priority (1-10), and whether the subscription tier includes it. Every client inherits these and can only tighten them.",
    input: z.object({}).strict(),
    annotations: { readOnlyHint: true, openWorldHint: false },
    run: async (_args, { caller }) => {
      const config = await caller.platform.config.get();
      const { organization: org } = config;
      return {
        result: config,
        summary: `${org.name} (${org.tier} tier, ${org.timezone}): ${config.features
          .map((f) => limitsLine(f, f.availableOnTier ? "off" : `not on the ${org.tier} tier`))
          .join("; ")}.`,
      };
    },
  });

  tools.add("list_clients", {
    title: "List clients",
    description:
      "The organization's clients (weddings), a page at a time, with each one's effective configuration per feature, the version to send to update_client_config, and this month's requests and cost. Search by couple names or venue; pass nextCursor to get the next page.",
    input: z
      .object({
        search: z.string().trim().max(100).optional().describe("Part of the couple's names or the venue"),
        status: z.enum(CLIENT_STATUSES).optional(),
        cursor: z.uuid().optional().describe("nextCursor from the previous page"),
        limit: z.number().int().min(1).max(200).default(20),
      })
      .strict(),
    annotations: { readOnlyHint: true, openWorldHint: false },
    run: async (args, { caller }) => {
      const page = await caller.clients.list(args);
      const names = page.clients.map(
        (c) => `${c.coupleNames}${c.weddingDate ? ` (${c.weddingDate})` : ""} [${c.id}]`,
      );
      return {
        result: page,
        summary: `${page.clients.length} of ${page.total} clients${names.length ? `: ${names.join(", ")}` : ""}${
          page.nextCursor ? `. More: cursor ${page.nextCursor}` : ""
        }.`,
      };
    },
  });

  tools.add("get_client_config", {
    title: "Client configuration",
    description:
      "One client's configuration per feature: the platform's limits, the client's own overrides and settings, the effective result, which values are inherited, and the version to send to update_client_config (0 when the client has no override yet).",
    input: z.object({ clientId: clientIdArg }).strict(),
    annotations: { readOnlyHint: true, openWorldHint: false },
    run: async (args, { caller }) => {
      const config = await caller.clients.config.get(args);
      return {
        result: config,
        summary: `${config.client.coupleNames}: ${config.features
          .map((f) => `${limitsLine(f.effective, `off (by the ${f.effective.disabledBy})`)} v${f.version}`)
          .join("; ")}.`,
      };
    },
  });

  tools.add("update_client_config", {
    title: "Update a client's configuration",
    description:
      "Override one feature for one client, inside the platform's limits: turn it off, lower its daily caps or rate limit, set its extraction settings, prompt instructions or processing preferences. Read get_client_config first and send that feature's version as expectedVersion (0 if none); if someone changed it meanwhile the call is refused with CONFLICT and the current version. Needs an admin API key. Audited like a change in the app.",
    input: z
      .object({
        clientId: clientIdArg,
        featureType: featureTypeArg,
        expectedVersion: z
          .number()
          .int()
          .min(0)
          .max(2_147_483_647)
          .describe("The feature's version from get_client_config (0: no override yet)"),
        overrides: overridesArg.optional(),
        featureSettings: featureSettingsSchema
          .optional()
          .describe("confidenceThreshold (0-1), language, excludedFields, maxOutputTokens"),
        customPrompts: customPromptsSchema.optional().describe("instructions, tone, glossary"),
        processingPreferences: processingPreferencesSchema
          .optional()
          .describe("preferredProvider, allowFallback, dateFormat, currency"),
      })
      .strict(),
    annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: true, openWorldHint: false },
    run: async (args, { caller, ctx }) => {
      assertAdminKey(ctx);
      const updated = await caller.clients.config.update(args);
      return {
        result: updated,
        summary: `${limitsLine(updated.effective, `off (by the ${updated.effective.disabledBy})`)}; now at version ${updated.override.version}.`,
      };
    },
  });
}

/**
 * Through MCP only an admin key changes configuration. Over /trpc a member may override a client
 * (clients.config.update is a member procedure), but a member key handed to an assistant is for
 * reading and processing: whatever a model is talked into, it cannot change a client's limits.
 * Checked before the procedure, which checks everything else (tenant, limits, version).
 */
function assertAdminKey(ctx: Context) {
  const p = ctx.principal;
  if (p?.kind === "apiKey" && ROLE_RANK[p.role] < ROLE_RANK.admin) {
    throw new AppError(
      "FORBIDDEN",
      `Changing a client's configuration through MCP needs an admin API key (this key is ${p.role})`,
    );
  }
}
