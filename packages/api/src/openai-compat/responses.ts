import type { TokenUsage } from "@wedsync/core";
import type { SSEStreamingApi } from "hono/streaming";

/** Chat completion bodies in OpenAI's shapes. */
export function openAIUsage(u: TokenUsage) {
  return {
    prompt_tokens: u.inputTokens,
    completion_tokens: u.outputTokens,
    total_tokens: u.inputTokens + u.outputTokens,
    prompt_tokens_details: { cached_tokens: u.cachedInputTokens },
  };
}

export function completionBody(
  requestId: string,
  model: string,
  content: string,
  finishReason: "stop" | "length",
  usage: TokenUsage,
) {
  return {
    id: `chatcmpl-${requestId}`,
    object: "chat.completion",
    created: Math.floor(Date.now() / 1000),
    model,
    choices: [{ index: 0, message: { role: "assistant", content }, finish_reason: finishReason }],
    usage: openAIUsage(usage),
  };
}

/** Writes `chat.completion.chunk` events for one completion. */
export function chunkWriter(stream: SSEStreamingApi, requestId: string, model: string, createdAt: Date) {
  const base = {
    id: `chatcmpl-${requestId}`,
    object: "chat.completion.chunk",
    created: Math.floor(createdAt.getTime() / 1000),
    model,
  };
  return {
    delta: (content: string, finishReason: "stop" | "length" | null) =>
      stream.writeSSE({
        data: JSON.stringify({
          ...base,
          choices: [{ index: 0, delta: content ? { content } : {}, finish_reason: finishReason }],
        }),
      }),
    usage: (usage: TokenUsage) =>
      stream.writeSSE({ data: JSON.stringify({ ...base, choices: [], usage: openAIUsage(usage) }) }),
    /** OpenAI's way to fail a stream that has started: an error event, which SDKs raise. */
    error: (message: string, code: string) =>
      stream.writeSSE({ data: JSON.stringify({ error: { message, type: "api_error", code } }) }),
    done: () => stream.writeSSE({ data: "[DONE]" }),
  };
}
