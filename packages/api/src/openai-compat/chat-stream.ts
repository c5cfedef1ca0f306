import { estimateTokens, type TokenUsage } from "@wedsync/core";
import type { Context } from "hono";
import { streamSSE } from "hono/streaming";
import type { AttemptUsage, ChatRequest } from "../providers/types";
import type { Services } from "../services";
import type { Admitted } from "../services/processing-service";
import { chunkWriter } from "./responses";

type OpenedStream = Awaited<ReturnType<Services["ai"]["chatStream"]>>;

/**
 * Relay an opened provider stream to the caller as server-sent events, then complete the usage
 * row with what was consumed — also when the upstream or the caller cuts the stream.
 */
export function relayChatStream(
  c: Context,
  services: Services,
  call: {
    admitted: Admitted;
    chatRequest: ChatRequest;
    opened: OpenedStream;
    controller: AbortController;
    includeUsage: boolean;
    /** What attempts that failed before the stream opened consumed: billed with the stream. */
    failedAttempts?: readonly AttemptUsage[];
  },
) {
  const { admitted, chatRequest, opened, controller } = call;
  return streamSSE(c, async (stream) => {
    const write = chunkWriter(stream, admitted.requestId, opened.model, admitted.requestedAt);
    let text = "";
    let usage: TokenUsage | null = null;
    let finish: "stop" | "length" | null = null;
    let failure: unknown = null;
    stream.onAbort(() => controller.abort());
    try {
      for await (const chunk of opened.chunks) {
        if (chunk.usage) usage = chunk.usage;
        if (chunk.finishReason) finish = chunk.finishReason;
        if (chunk.delta || chunk.finishReason) {
          text += chunk.delta;
          await write.delta(chunk.delta, chunk.finishReason);
        }
        if (stream.aborted) break;
      }
    } catch (err) {
      failure = err;
    }

    // What was consumed is billed even when the stream was cut: the provider's own count when it
    // sent one, otherwise an estimate from what was streamed.
    const consumed = usage ?? {
      inputTokens: estimateTokens(chatRequest.messages.map((m) => m.content).join("\n")),
      outputTokens: estimateTokens(text),
      cachedInputTokens: 0,
    };
    const cut = stream.aborted || failure !== null || finish === null;
    // Every attempt is billed, each at its own price; a price that cannot be found must not leave
    // the row pending with its reservation held (billConsumed never throws).
    const billed = await services.ai.billConsumed(
      [...(call.failedAttempts ?? []), { provider: opened.provider, model: opened.model, usage: consumed }],
      chatRequest.model,
      admitted.requestedAt,
    );
    const summary = await services.processing.complete(admitted, {
      status: cut ? "failed" : "succeeded",
      usage: billed.usage,
      costMicros: billed.costMicros,
      model: billed.charged?.model ?? opened.model,
      provider: billed.charged?.provider ?? opened.provider,
      degraded: opened.degraded,
      result: text,
      responseSize: text.length,
      errorMessage: cut
        ? failure instanceof Error
          ? failure.message
          : "stream cut before it finished"
        : billed.pricingError,
    });

    if (stream.aborted) return;
    if (cut) {
      await write.error("The upstream stream ended before it finished", "stream_cut");
      return;
    }
    if (call.includeUsage) await write.usage(summary);
    await write.done();
  });
}
