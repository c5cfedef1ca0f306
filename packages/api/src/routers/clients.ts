import {
  base64DecodedBytes,
  CLIENT_STATUSES,
  customPromptsSchema,
  type DocumentSize,
  dollarAmountSchema,
  FEATURE_TYPES,
  featureSettingsSchema,
  MAX_PDF_BASE64_LENGTH,
  MAX_PDF_LABEL,
  maxRequestsPerDaySchema,
  PROCESS_MODES,
  processingPreferencesSchema,
  processMode,
  rateLimitPerMinuteSchema,
} from "@wedsync/core";
import { z } from "zod";
import { actorOf } from "../auth/principal";
import type { RawFeatureInput } from "../services/feature-input";
import type { QueuedAnswer } from "../services/job-service";
import type { ProcessingService } from "../services/processing-service";
import { lastEventIdInput, memberProcedure, router, trackedStream } from "../trpc";

const clientOverrides = z
  .object({
    isEnabled: z.boolean().nullable().optional(),
    maxRequestsPerDay: maxRequestsPerDaySchema.nullable().optional(),
    maxCostPerDay: dollarAmountSchema.nullable().optional(),
    rateLimitPerMinute: rateLimitPerMinuteSchema.nullable().optional(),
  })
  .strict();

/** The version the change was based on: 0 when the client has no override for the feature yet. */
const expectedClientVersion = z.number().int().min(0).max(2_147_483_647);

const base64 = z
  .string()
  .min(1)
  .max(MAX_PDF_BASE64_LENGTH, `the PDF must be at most ${MAX_PDF_LABEL}`)
  .regex(/^[A-Za-z0-9+/]+={0,2}$/, "must be base64");

const processBase = z.object({
  clientId: z.uuid(),
  /** The same key and body within the organization returns the stored result: no second call, no second charge. */
  idempotencyKey: z.string().trim().min(1).max(200).optional(),
  /**
   * "sync" answers with the result; "async" queues a background job and answers at once with its
   * jobId (follow it with jobs.get / jobs.onProgress). Absent: async above BACKGROUND_PDF_BYTES
   * (PDFs) or BACKGROUND_TEXT_CHARS (text), sync otherwise.
   */
  mode: z.enum(PROCESS_MODES).optional(),
});

const processInput = z.discriminatedUnion("featureType", [
  processBase.extend({
    featureType: z.literal("field_extraction"),
    input: z.object({ text: z.string().trim().min(1, "must not be empty").max(100_000) }).strict(),
  }),
  processBase.extend({
    featureType: z.literal("pdf_analysis"),
    input: z.object({ pdfBase64: base64 }).strict(),
  }),
  processBase.extend({
    featureType: z.literal("smart_mapping"),
    input: z
      .object({
        sourceFields: z
          .array(
            z.object({
              name: z.string().trim().min(1).max(200),
              value: z.string().max(2_000).nullable().default(null),
            }),
          )
          .min(1)
          .max(200),
        targetLabels: z.array(z.string().trim().min(1).max(200)).min(1).max(200),
      })
      .strict(),
  }),
]);

/**
 * The result at once, or (mode "async", or a heavy document) the queued job: `jobId` tells them
 * apart, and is absent from an answer given at once.
 */
type ProcessAnswer =
  | (Awaited<ReturnType<ProcessingService["process"]>> & { jobId?: undefined })
  | QueuedAnswer;

function documentSize(input: RawFeatureInput): DocumentSize {
  switch (input.featureType) {
    case "pdf_analysis":
      return { kind: "pdf", bytes: base64DecodedBytes(input.pdfBase64) };
    case "field_extraction":
      return { kind: "text", chars: input.text.length };
    case "smart_mapping":
      return { kind: "fields" };
  }
}

export const clientsRouter = router({
  /** Live changes that affect one client's effective configuration: its overrides and the platform's. */
  onConfigChange: memberProcedure
    .input(lastEventIdInput.extend({ clientId: z.uuid() }))
    .subscription(({ ctx, input, signal }) =>
      trackedStream(
        ctx.services.realtime.configChanges({
          organizationId: ctx.scope.organizationId,
          clientId: input.clientId,
          lastEventId: input.lastEventId,
          signal,
        }),
      ),
    ),

  /**
   * Run one AI feature for one client, through admission (config, rate limit, daily caps, credit
   * limit), the provider and usage tracking. Returns the result and what it used.
   */
  process: memberProcedure.input(processInput).mutation(({ ctx, input, signal }): Promise<ProcessAnswer> => {
    const request = {
      organizationId: ctx.scope.organizationId,
      clientId: input.clientId,
      input: { featureType: input.featureType, ...input.input } as RawFeatureInput,
      idempotencyKey: input.idempotencyKey ?? null,
      actor: actorOf(ctx.principal),
      channel: ctx.surface ?? ("trpc" as const),
    };
    // A heavy document goes to a background job: the answer is its jobId, status "queued".
    if (processMode(input.mode, documentSize(request.input)) === "async") {
      return ctx.services.jobs.enqueue(request);
    }
    return ctx.services.processing.process(request, signal ?? new AbortController().signal);
  }),

  /**
   * The organization's clients, a page at a time, with each one's effective configuration per
   * feature (and the override and version behind it) and its usage this month; `total` counts
   * every client matching the search and status.
   */
  list: memberProcedure
    .input(
      z
        .object({
          search: z.string().trim().max(100).optional(),
          status: z.enum(CLIENT_STATUSES).optional(),
          cursor: z.uuid().optional(),
          limit: z.number().int().min(1).max(200).default(50),
        })
        .default({ limit: 50 }),
    )
    .query(({ ctx, input }) =>
      ctx.services.clientConfig.listClients({ organizationId: ctx.scope.organizationId, ...input }),
    ),

  config: router({
    /** Effective config per feature, the raw overrides, and which fields are inherited. */
    get: memberProcedure
      .input(z.object({ clientId: z.uuid() }))
      .query(({ ctx, input }) =>
        ctx.services.clientConfig.getClientConfig(ctx.scope.organizationId, input.clientId),
      ),

    /** Override one feature for one client, inside the platform's limits; send the version you read (0 = none yet). */
    update: memberProcedure
      .input(
        z.object({
          clientId: z.uuid(),
          featureType: z.enum(FEATURE_TYPES),
          expectedVersion: expectedClientVersion,
          overrides: clientOverrides.optional(),
          featureSettings: featureSettingsSchema.optional(),
          customPrompts: customPromptsSchema.optional(),
          processingPreferences: processingPreferencesSchema.optional(),
        }),
      )
      .mutation(({ ctx, input }) =>
        ctx.services.clientConfig.updateClientConfig({
          organizationId: ctx.scope.organizationId,
          actor: actorOf(ctx.principal),
          ...input,
        }),
      ),

    /**
     * Override one feature for up to 200 clients at once, all or nothing: each change is checked,
     * written and audited exactly like `update`; results come back in input order.
     */
    bulkUpdate: memberProcedure
      .input(
        z.object({
          featureType: z.enum(FEATURE_TYPES),
          changes: z
            .array(
              z.object({
                clientId: z.uuid(),
                expectedVersion: expectedClientVersion,
                overrides: clientOverrides,
              }),
            )
            .min(1)
            .max(200)
            .superRefine((changes, ctx) => {
              const seen = new Set<string>();
              changes.forEach((c, i) => {
                if (seen.has(c.clientId)) {
                  ctx.addIssue({
                    code: "custom",
                    path: [i, "clientId"],
                    message: "each client at most once per request",
                  });
                }
                seen.add(c.clientId);
              });
            }),
        }),
      )
      .mutation(({ ctx, input }) =>
        ctx.services.clientConfig.bulkUpdateClientConfigs({
          organizationId: ctx.scope.organizationId,
          actor: actorOf(ctx.principal),
          ...input,
        }),
      ),
  }),
});
