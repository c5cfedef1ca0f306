import type {
  FeatureType,
  FieldExtractionResult,
  PdfAnalysisResult,
  RequestPriority,
  SmartMappingResult,
  TokenUsage,
} from "@wedsync/core";

/** A feature request as providers see it: PDFs are already turned into text by the pipeline. */
export type FeatureInput =
  | { featureType: "field_extraction"; text: string }
  | { featureType: "pdf_analysis"; text: string; pages: string[] }
  | {
      featureType: "smart_mapping";
      sourceFields: Array<{ name: string; value: string | null }>;
      targetLabels: string[];
    };

export interface FeatureOutputs {
  field_extraction: FieldExtractionResult;
  pdf_analysis: PdfAnalysisResult;
  smart_mapping: SmartMappingResult;
}

export interface ProviderRequest {
  input: FeatureInput;
  /** From the platform config; providers that have only one model ignore it. */
  model: string;
  /** The client's custom prompts, already length-bounded; applied inside fixed system instructions. */
  customInstructions: string | null;
  maxOutputTokens: number;
  /** The client's reading of numeric dates (06/09/2027), for the local rules engine; models read context. */
  dateFormat?: "DD/MM/YYYY" | "MM/DD/YYYY" | "YYYY-MM-DD" | undefined;
  /** The client's ISO currency, for amounts written without one (the local rules engine). */
  currency?: string | undefined;
  /** Its rank while a saturated provider's calls are queued (provider-gate.ts); default level 1, interactive. */
  priority?: RequestPriority | undefined;
}

export interface ProviderResult {
  /** The feature's result; the pipeline validates it against the feature's schema. */
  output: FeatureOutputs[FeatureType];
  usage: TokenUsage;
  /** The model that actually answered (for pricing). */
  model: string;
  provider: string;
}

/** OpenAI-style chat, for the /v1/chat/completions endpoint. */
export interface ChatMessage {
  role: "system" | "user" | "assistant" | "developer" | "tool";
  content: string;
}

export interface ChatRequest {
  messages: ChatMessage[];
  model: string;
  maxOutputTokens: number;
  temperature?: number | undefined;
  /** The feature the key or header named: the local engine applies it to the last user message. */
  featureType: FeatureType;
  /** Its rank while a saturated provider's calls are queued (provider-gate.ts); default level 1, interactive. */
  priority?: RequestPriority | undefined;
}

export interface ChatResult {
  content: string;
  finishReason: "stop" | "length";
  usage: TokenUsage;
  model: string;
  provider: string;
}

export interface ChatChunk {
  /** Text added by this chunk (may be empty, e.g. the final usage chunk). */
  delta: string;
  finishReason: "stop" | "length" | null;
  /** Present on the final chunk when the provider reports usage. */
  usage: TokenUsage | null;
}

export interface ChatStream {
  model: string;
  provider: string;
  chunks: AsyncIterable<ChatChunk>;
}

/**
 * What one provider attempt consumed, as the provider reported it: what the provider charges for,
 * whether or not its answer could be used.
 */
export interface AttemptUsage {
  provider: string;
  /** The model that answered (as the provider names it), for pricing. */
  model: string;
  usage: TokenUsage;
}

/** One AI backend. Implementations: the OpenAI-compatible provider and the local rules engine. */
export interface AIProvider {
  readonly name: string;
  process(req: ProviderRequest, signal: AbortSignal): Promise<ProviderResult>;
  chat(req: ChatRequest, signal: AbortSignal): Promise<ChatResult>;
  /** Resolves once the stream has started (headers received); chunks then arrive as they come. */
  chatStream(req: ChatRequest, signal: AbortSignal): Promise<ChatStream>;
}

/** Errors a provider throws carry whether a retry can help and how long the upstream asked to wait. */
export class ProviderError extends Error {
  constructor(
    message: string,
    readonly opts: {
      retryable: boolean;
      status?: number | undefined;
      retryAfterMs?: number | undefined;
      cause?: unknown;
      /** The provider answered, and charged, before the call failed (an answer that could not be used). */
      consumed?: AttemptUsage | undefined;
    },
  ) {
    super(message, { cause: opts.cause });
    this.name = "ProviderError";
  }
}
