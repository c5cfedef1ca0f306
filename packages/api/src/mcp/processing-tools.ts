/** Processing tools: run an AI feature for a client (billed), or say beforehand what it can cost. */
import { AppError, fromMicros, MAX_PDF_BASE64_LENGTH, MAX_PDF_LABEL } from "@wedsync/core";
import { z } from "zod";
import { inputText, prepareFeatureInput, type RawFeatureInput } from "../services/feature-input";
import { clientIdArg, featureTypeArg } from "./inputs";
import type { McpTools } from "./tool";

/** Which document arguments each feature reads (clients.process's `input`, flattened for the model). */
const DOCUMENT_FIELDS = {
  field_extraction: ["text"],
  pdf_analysis: ["pdfBase64"],
  smart_mapping: ["sourceFields", "targetLabels"],
} as const;
const ALL_DOCUMENT_FIELDS = ["text", "pdfBase64", "sourceFields", "targetLabels"] as const;

const documentShape = {
  clientId: clientIdArg,
  featureType: featureTypeArg,
  text: z
    .string()
    .trim()
    .min(1, "must not be empty")
    .max(100_000)
    .optional()
    .describe("field_extraction only: the text to read, e.g. an enquiry email or a document's text."),
  pdfBase64: z
    .string()
    .min(1)
    .max(MAX_PDF_BASE64_LENGTH, `the PDF must be at most ${MAX_PDF_LABEL}`)
    .regex(/^[A-Za-z0-9+/]+={0,2}$/, "must be base64")
    .optional()
    .describe(
      `pdf_analysis only: the PDF file itself, base64-encoded (at most ${MAX_PDF_LABEL}; a scan without text is refused).`,
    ),
  sourceFields: z
    .array(
      z.object({
        name: z.string().trim().min(1).max(200),
        value: z.string().max(2_000).nullable().default(null),
      }),
    )
    .min(1)
    .max(200)
    .optional()
    .describe("smart_mapping only: the fields to map, each a name and its value (or null)."),
  targetLabels: z
    .array(z.string().trim().min(1).max(200))
    .min(1)
    .max(200)
    .optional()
    .describe("smart_mapping only: the supplier's own labels to map the fields onto."),
};

type DocumentArgs = z.output<z.ZodObject<typeof documentShape>>;

/** Each feature's arguments present, and no other feature's: named, so the model can fix the call. */
function checkDocument(args: DocumentArgs, issues: z.RefinementCtx) {
  const used: readonly string[] = DOCUMENT_FIELDS[args.featureType];
  for (const field of ALL_DOCUMENT_FIELDS) {
    const given = args[field] !== undefined;
    if (used.includes(field) && !given) {
      issues.addIssue({ code: "custom", path: [field], message: `required for ${args.featureType}` });
    } else if (!used.includes(field) && given) {
      const hint =
        field === "text" && args.featureType === "pdf_analysis"
          ? ": send the PDF as pdfBase64, or use field_extraction for text"
          : "";
      issues.addIssue({ code: "custom", path: [field], message: `not used by ${args.featureType}${hint}` });
    }
  }
}

function featureInput(args: DocumentArgs) {
  switch (args.featureType) {
    case "field_extraction":
      return { featureType: args.featureType, input: { text: args.text! } };
    case "pdf_analysis":
      return { featureType: args.featureType, input: { pdfBase64: args.pdfBase64! } };
    case "smart_mapping":
      return {
        featureType: args.featureType,
        input: { sourceFields: args.sourceFields!, targetLabels: args.targetLabels! },
      };
  }
}

/** clients.process names the document's fields `input.<name>`; the tool names them `<name>`. */
const documentFieldOf = (path: string) => path.replace(/^input\./, "");

export function registerProcessingTools(tools: McpTools) {
  tools.add("process_document", {
    title: "Process a document",
    description:
      "Run one AI feature for one client (wedding) and return its result: field_extraction reads `text`, pdf_analysis reads a PDF sent as `pdfBase64`, smart_mapping maps `sourceFields` onto `targetLabels`. The request goes through the organization's limits (feature on for the client, rate limit, daily request and cost caps, monthly credit) and is billed; use estimate_cost first for large documents. A heavy document (a large PDF or very long text) is processed in the background: the answer is then a jobId to follow with get_job. Send an idempotencyKey and repeat it when retrying: the stored result comes back without a second charge.",
    input: z
      .object({
        ...documentShape,
        idempotencyKey: z
          .string()
          .trim()
          .min(1)
          .max(200)
          .optional()
          .describe(
            "Any string unique to this request; the same key and arguments return the stored result, not a second charge.",
          ),
      })
      .strict()
      .superRefine(checkDocument),
    annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: true },
    fieldOf: documentFieldOf,
    run: async (args, { caller }) => {
      const processed = await caller.clients.process({
        clientId: args.clientId,
        idempotencyKey: args.idempotencyKey,
        ...featureInput(args),
      });
      const { usage } = processed;
      const left = `${usage.remainingRequestsToday} requests and $${usage.remainingCostTodayUsd} left today`;
      // A heavy document goes to a background job (clients.process decides): admitted and
      // reserved now, its result kept for get_job.
      if ("jobId" in processed) {
        return {
          result: processed,
          summary: `${args.featureType} queued as background job ${processed.jobId} (request ${usage.requestId}): call get_job with this jobId for its progress and result; ${left}.`,
        };
      }
      return {
        result: processed,
        summary: `${args.featureType} ${usage.replayed ? "replayed (no new charge)" : "done"}: ${resultLine(
          processed.result,
        )}; cost $${usage.costUsd} (request ${usage.requestId}); ${left}.`,
      };
    },
  });

  tools.add("get_job", {
    title: "Background job",
    description:
      "A background job of process_document (heavy documents are processed in the background): its status (queued, running, succeeded, failed, cancelled), progress 0-100, and once succeeded the result exactly as process_document gives it. Poll every few seconds until it has finished.",
    input: z.object({ jobId: z.uuid().describe("The jobId process_document answered with") }).strict(),
    annotations: { readOnlyHint: true, openWorldHint: false },
    run: async (args, { caller }) => {
      const job = await caller.jobs.get(args);
      const state =
        job.status === "succeeded" && job.result
          ? `succeeded: ${resultLine(job.result.result)}; cost $${job.result.usage.costUsd}`
          : job.status === "failed" && job.error
            ? `failed: ${job.error.code}: ${job.error.message}`
            : job.status === "running" || job.status === "queued"
              ? `${job.status}, ${job.progress}% done`
              : job.status;
      return { result: job, summary: `${job.featureType} job ${job.id} ${state}.` };
    },
  });

  tools.add("estimate_cost", {
    title: "Estimate a document's cost",
    description:
      "The most process_document can cost for this client and document, without running it or using any limit: the input at its token bound plus the client's whole output budget, priced at the client's model. This is what admission reserves against the daily cost cap; the charge afterwards is the tokens actually used, never more.",
    input: z.object(documentShape).strict().superRefine(checkDocument),
    annotations: { readOnlyHint: true, openWorldHint: false },
    fieldOf: documentFieldOf,
    run: async (args, { caller, ctx }) => {
      // No procedure estimates, so this reads the client's configuration through one (the role
      // and the tenant check) and asks admission's own reservation (processing-service.ts).
      const config = await caller.clients.config.get({ clientId: args.clientId });
      const feature = config.features.find((f) => f.featureType === args.featureType);
      if (!feature)
        throw new AppError("NOT_FOUND", `${args.featureType} is not set up for this organization`);
      const { featureType, input } = featureInput(args);
      const prepared = await prepareFeatureInput({ featureType, ...input } as RawFeatureInput);
      const { maxOutputTokens, estimateMicros: micros } = await ctx.services.processing.reservation({
        featureType,
        model: feature.effective.model,
        estimateText: inputText(prepared),
        clientOverride: feature.override,
        at: new Date(),
      });
      const maxCostUsd = fromMicros(micros, 6);
      const enabled = feature.effective.isEnabled;
      return {
        result: {
          clientId: args.clientId,
          featureType,
          model: feature.effective.model,
          maxOutputTokens,
          maxCostUsd,
          enabled,
          maxCostPerDay: feature.effective.maxCostPerDay,
        },
        summary: `At most $${maxCostUsd} with ${feature.effective.model} (${maxOutputTokens} output tokens at most)${
          enabled ? "" : `, but ${featureType} is off for this client`
        }.`,
      };
    },
  });
}

/** A few words on what came back, for the summary. */
function resultLine(result: unknown): string {
  const r = (result ?? {}) as Record<string, unknown>;
  if (r.fields && typeof r.fields === "object") {
    const found = Object.entries(r.fields as Record<string, unknown>).filter(([, v]) => v !== null);
    return `${found.length} fields found (${found.map(([k]) => k).join(", ") || "none"})`;
  }
  if (Array.isArray(r.mappings)) return `${r.mappings.length} fields mapped`;
  if (typeof r.documentType === "string") return `a ${r.documentType} of ${String(r.pageCount)} pages`;
  return "result ready";
}
