import { AppError } from "@wedsync/core";
import type { Context, Hono } from "hono";
import { streamSSE } from "hono/streaming";
import type { AttemptUsage, ChatRequest } from "../providers/types";
import type { Services } from "../services";
import { asCallerError, failedOutcome } from "../services/processing-service";
import { relayChatStream } from "./chat-stream";
import { openAIError } from "./errors";
import { type ChatBody, readChatCall } from "./request";
import { chunkWriter, completionBody } from "./responses";

type Env = { Variables: { requestId: string } };

/**
 * POST /v1/chat/completions with an organization API key: the same admission, tracking,
 * resilience and billing as clients.process, so any OpenAI SDK can point its baseURL here.
 */
export function mountChatCompletions(app: Hono<Env>, services: Services) {
  app.post("/v1/chat/completions", async (c) => {
    const requestId = c.get("requestId");
    try {
      const { key, featureType, clientId, idempotencyKey, body } = await readChatCall(c, services);
      const messages = body.messages;
      const admission = await services.processing.admit(
        {
          organizationId: key.organizationId,
          clientId,
          featureType,
          requestSize: JSON.stringify(body).length,
          idempotencyKey,
          idempotentBody: { clientId, featureType, body },
          channel: "openai",
          actor: { actorUserId: null, actorApiKeyId: key.apiKeyId },
        },
        async () => ({ prepared: undefined, estimateText: messages.map((m) => m.content).join("\n") }),
      );
      // Awaited here, so a replay's refusal (the first request still running: 409) is answered
      // by the catch below in OpenAI's shape, not by hono's plain-text 500.
      if (admission.kind === "replay") return await replay(c, services, admission.requestId, body);

      const { admitted } = admission;
      const chatRequest: ChatRequest = {
        messages,
        model: admitted.config.effective.model,
        maxOutputTokens: Math.min(
          body.max_completion_tokens ?? body.max_tokens ?? admitted.maxOutputTokens,
          admitted.maxOutputTokens,
        ),
        temperature: body.temperature,
        featureType,
        // A person is waiting on /v1: interactive, at the feature's priority (queued when the provider is full).
        priority: { level: admitted.config.effective.priorityLevel, background: false },
      };
      c.header("x-request-id", requestId);
      c.header("x-wedsync-request-id", admitted.requestId);
      const controller = new AbortController();
      // What each provider attempt consumed: billed like clients.process, also when the call fails.
      const attempts: AttemptUsage[] = [];
      const fail = async (err: unknown) => {
        const consumed = await services.ai.billConsumed(attempts, chatRequest.model, admitted.requestedAt);
        await services.processing.complete(admitted, failedOutcome(err, consumed));
        return asCallerError(err, controller.signal);
      };

      if (body.stream) {
        // The stream is opened (with retries and fallback) before the first byte is sent.
        let opened: Awaited<ReturnType<typeof services.ai.chatStream>>;
        try {
          opened = await services.ai.chatStream(chatRequest, controller.signal, attempts);
        } catch (err) {
          throw await fail(err);
        }
        c.header("x-wedsync-degraded", String(opened.degraded));
        return relayChatStream(c, services, {
          admitted,
          chatRequest,
          opened,
          controller,
          includeUsage: body.stream_options?.include_usage ?? false,
          failedAttempts: attempts,
        });
      }

      c.req.raw.signal.addEventListener("abort", () => controller.abort());
      let result: Awaited<ReturnType<typeof services.ai.chat>>;
      try {
        result = await services.ai.chat(chatRequest, admitted.requestedAt, controller.signal, attempts);
      } catch (err) {
        throw await fail(err);
      }
      const usage = await services.processing.complete(admitted, {
        status: "succeeded",
        usage: result.usage,
        costMicros: result.costMicros,
        model: result.billedModel,
        provider: result.billedProvider,
        degraded: result.degraded,
        result: result.content,
        responseSize: result.content.length,
        errorMessage: null,
      });
      c.header("x-wedsync-cost-usd", usage.costUsd);
      c.header("x-wedsync-degraded", String(result.degraded));
      return c.json(
        completionBody(admitted.requestId, result.model, result.content, result.finishReason, usage),
      );
    } catch (err) {
      if (!(err instanceof AppError)) services.logger.error({ err, requestId }, "chat completion failed");
      // The platform's own trouble (limiter or provider down after retries): operators need the cause.
      else if (err.code === "SERVICE_UNAVAILABLE")
        services.logger.warn({ err: err.cause ?? err, requestId }, err.message);
      return openAIError(c, err, requestId);
    }
  });
}

/** The stored answer to an earlier call with the same Idempotency-Key, in the shape asked for. */
async function replay(c: Context, services: Services, requestId: string, body: ChatBody) {
  const { result, usage } = await services.processing.replay(requestId);
  c.header("x-wedsync-request-id", usage.requestId);
  c.header("x-wedsync-cost-usd", usage.costUsd);
  c.header("x-wedsync-degraded", String(usage.degraded));
  c.header("x-wedsync-replayed", "true");
  // The stored answer exactly as it was sent (the tracker decodes the stored result once).
  const content = typeof result === "string" ? result : result == null ? "" : JSON.stringify(result);
  if (!body.stream) return c.json(completionBody(usage.requestId, usage.model ?? "", content, "stop", usage));
  return streamSSE(c, async (stream) => {
    const write = chunkWriter(stream, usage.requestId, usage.model ?? "", new Date());
    await write.delta(content, "stop");
    if (body.stream_options?.include_usage) await write.usage(usage);
    await write.done();
  });
}
