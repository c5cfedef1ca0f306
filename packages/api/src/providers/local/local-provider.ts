import {
  AppError,
  estimateTokens,
  type FeatureType,
  fieldExtractionResultSchema,
  pdfAnalysisResultSchema,
  smartMappingResultSchema,
  type TokenUsage,
} from "@wedsync/core";
import { z } from "zod";
import type {
  AIProvider,
  ChatChunk,
  ChatRequest,
  ChatResult,
  ChatStream,
  FeatureInput,
  FeatureOutputs,
  ProviderRequest,
  ProviderResult,
} from "../types";
import { extractWeddingFields } from "./field-extraction";
import { analyzeDocument } from "./pdf-analysis";
import { mapFields } from "./smart-mapping";

export const LOCAL_MODEL = "local-rules";

const OUTPUT_SCHEMAS = {
  field_extraction: fieldExtractionResultSchema,
  pdf_analysis: pdfAnalysisResultSchema,
  smart_mapping: smartMappingResultSchema,
} as const;

/**
 * The smart-mapping input, bounded like the result it produces (at most 500 names of at most 200
 * characters each), so a valid input can never yield a result that breaks its schema.
 */
export const smartMappingInputSchema = z.object({
  sourceFields: z.array(z.object({ name: z.string().max(200), value: z.string().nullable() })).max(500),
  targetLabels: z.array(z.string().max(200)).max(500),
});

/**
 * The local rules engine: regular expressions, keyword scores and string similarity instead of a
 * model. Deterministic, free (priced at 0) and always available, so it serves as the fallback.
 *
 * `customInstructions` are deliberately ignored: they are prose meant for a language model, and a
 * rules engine cannot follow prose. Acting on a few recognised phrases would make results depend on
 * wording in ways nobody could predict; the result is instead the same for every client.
 * `maxOutputTokens` is ignored too: results are bounded by the schemas, and truncated JSON would
 * be useless.
 */
export class LocalRulesProvider implements AIProvider {
  readonly name = "local";

  async process(req: ProviderRequest, signal: AbortSignal): Promise<ProviderResult> {
    signal.throwIfAborted();
    const { output, inputText } = run(req.input, req.dateFormat, req.currency);
    signal.throwIfAborted();
    return { output, usage: usageOf(inputText, output), model: LOCAL_MODEL, provider: this.name };
  }

  async chat(req: ChatRequest, signal: AbortSignal): Promise<ChatResult> {
    signal.throwIfAborted();
    const { content, usage } = chatOutput(req);
    return { content, finishReason: "stop", usage, model: LOCAL_MODEL, provider: this.name };
  }

  async chatStream(req: ChatRequest, signal: AbortSignal): Promise<ChatStream> {
    signal.throwIfAborted();
    // Computed before the stream opens, so a bad request fails the call rather than the stream.
    const { content, usage } = chatOutput(req);
    return { model: LOCAL_MODEL, provider: this.name, chunks: streamChunks(content, usage, signal) };
  }
}

function run(
  input: FeatureInput,
  dateFormat: ProviderRequest["dateFormat"],
  currency?: string,
): { output: FeatureOutputs[FeatureType]; inputText: string } {
  switch (input.featureType) {
    case "field_extraction":
      return {
        output: validated("field_extraction", extractWeddingFields(input.text, dateFormat, currency)),
        inputText: input.text,
      };
    case "pdf_analysis":
      return {
        output: validated("pdf_analysis", analyzeDocument(input.text, input.pages, dateFormat)),
        inputText: input.text,
      };
    case "smart_mapping": {
      const parsed = smartMappingInputSchema.safeParse(input);
      if (!parsed.success) throw badInput(parsed.error, "input");
      const { sourceFields, targetLabels } = parsed.data;
      return {
        output: validated("smart_mapping", mapFields(sourceFields, targetLabels)),
        inputText: JSON.stringify({ sourceFields, targetLabels }),
      };
    }
  }
}

/** A result that breaks its schema is a bug in these rules: fail loudly, never hand it on. */
function validated<F extends FeatureType>(feature: F, output: FeatureOutputs[F]): FeatureOutputs[F] {
  const check = OUTPUT_SCHEMAS[feature].safeParse(output);
  if (!check.success) {
    throw new Error(
      `local rules engine produced an invalid ${feature} result: ${z.prettifyError(check.error)}`,
      {
        cause: check.error,
      },
    );
  }
  return output;
}

function usageOf(inputText: string, output: unknown): TokenUsage {
  return {
    inputTokens: estimateTokens(inputText),
    outputTokens: estimateTokens(JSON.stringify(output)),
    cachedInputTokens: 0,
  };
}

/** Names the offending input field (input.sourceFields.0.name) or, for chat, the messages. */
function badInput(error: z.ZodError, inputPrefix?: string): AppError {
  const first = error.issues[0];
  const path = first?.path.join(".") ?? "";
  const message = first?.message ?? "invalid input";
  const field = inputPrefix ? [inputPrefix, path].filter(Boolean).join(".") : "messages";
  const where = path ? ` (${path})` : "";
  return new AppError("BAD_REQUEST", `Invalid smart-mapping input${where}: ${message}`, {
    fieldErrors: [{ field, message: `${message}${inputPrefix ? "" : where}` }],
  });
}

/** The feature named by the request, applied to the last user message; usage counts that message. */
function chatOutput(req: ChatRequest): { content: string; usage: TokenUsage } {
  const last = req.messages.findLast((m) => m.role === "user");
  if (!last) {
    const message = "needs at least one user message";
    throw new AppError("BAD_REQUEST", `The local rules engine ${message}`, {
      fieldErrors: [{ field: "messages", message }],
    });
  }
  const input = chatInput(req.featureType, last.content);
  const { output } = run(input, undefined);
  const content = JSON.stringify(output);
  return { content, usage: usageOf(last.content, output) };
}

function chatInput(featureType: FeatureType, content: string): FeatureInput {
  switch (featureType) {
    case "field_extraction":
      return { featureType, text: content };
    case "pdf_analysis":
      return { featureType, text: content, pages: [content] };
    case "smart_mapping": {
      let json: unknown;
      try {
        json = JSON.parse(content);
      } catch {
        const message =
          'for smart_mapping the last user message must be JSON: {"sourceFields": [...], "targetLabels": [...]}';
        throw new AppError("BAD_REQUEST", message, { fieldErrors: [{ field: "messages", message }] });
      }
      const parsed = smartMappingInputSchema.safeParse(json);
      if (!parsed.success) throw badInput(parsed.error);
      return { featureType, ...parsed.data };
    }
  }
}

/** About four deltas, never splitting a surrogate pair (each delta must be valid UTF-16 on its own). */
export function splitContent(content: string, parts = 4): string[] {
  const size = Math.max(1, Math.ceil(content.length / parts));
  const out: string[] = [];
  let start = 0;
  while (start < content.length) {
    let end = Math.min(content.length, start + size);
    const code = content.charCodeAt(end - 1);
    if (end < content.length && code >= 0xd800 && code <= 0xdbff) end++;
    out.push(content.slice(start, end));
    start = end;
  }
  return out.length > 0 ? out : [""];
}

async function* streamChunks(
  content: string,
  usage: TokenUsage,
  signal: AbortSignal,
): AsyncGenerator<ChatChunk> {
  const deltas = splitContent(content);
  for (const [i, delta] of deltas.entries()) {
    signal.throwIfAborted();
    const last = i === deltas.length - 1;
    yield { delta, finishReason: last ? "stop" : null, usage: last ? usage : null };
  }
}
