import { AppError, estimateTokens, FEATURE_TYPES, type FeatureType } from "@wedsync/core";
import type { Hono } from "hono";
import { streamSSE } from "hono/streaming";
import { z } from "zod";
import type { ApiKeyPrincipal } from "../auth/principal";
import type { ChatMessage, ChatRequest } from "../providers/types";
import type { Services } from "../services";
import { asCallerError, failedOutcome } from "../services/processing-service";
import { openAIError } from "./errors";

const MAX_PROMPT_CHARS = 200_000;

const contentSchema = z.union([
  z.string(),
  z
    .array(z.object({ type: z.literal("text"), text: z.string() }))
    .transform((parts) => parts.map((p) => p.text).join("")),
]);

const bodySchema = z.object({
  model: z.string().max(100).optional(),
  messages: z
    .array(
      z.object({
        // Tool calls are not supported (a tool message needs a tool_call_id the platform does not relay).
        role: z.enum(["system", "user", "assistant", "developer"]),
        content: contentSchema,
      }),
    )
    .min(1)
    .max(200)
    .refine((ms) => ms.reduce((n, m) => n + m.content.length, 0) <= MAX_PROMPT_CHARS, {
      message: `at most ${MAX_PROMPT_CHARS} characters of content in all`,
    }),
  max_tokens: z.number().int().min(1).max(32_000).optional(),
  max_completion_tokens: z.number().int().min(1).max(32_000).optional(),
  temperature: z.number().min(0).max(2).optional(),
  stream: z.boolean().optional(),
  stream_options: z.object({ include_usage: z.boolean().optional() }).optional(),
});

type Env = { Variables: { requestId: string } };

/**
 * POST /v1/chat/completions with an organization API key: the same admission, tracking,
 * resilience and billing as client.process, so any OpenAI SDK can point its baseURL here.
 * Feature: `x-wedsync-feature` (default: the key's default feature); client: `x-wedsync-client`.
 */
export function mountChatCompletions(app: Hono<Env>, services: Services) {
  app.post("/v1/chat/completions", async (c) => {
    const requestId = c.get("requestId");
    try {
      const key = await authenticateKey(services, c.req.header("authorization"));
      const featureType = featureOf(c.req.header("x-wedsync-feature"), key);
      const clientId = clientOf(c.req.header("x-wedsync-client"));
      const body = await parseBody(c.req.raw);
      const messages: ChatMessage[] = body.messages;
      const idempotencyKey = idempotencyKeyOf(c.req.header("idempotency-key"));

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
      if (admission.kind === "replay") {
        const replay = await services.processing.replay(admission.requestId);
        const answer = completionBody(
          replay.usage.requestId,
          replay.usage.model ?? "",
          String(replay.result ?? ""),
          "stop",
          replay.usage,
        );
        c.header("x-wedsync-request-id", replay.usage.requestId);
        c.header("x-wedsync-cost-usd", replay.usage.costUsd);
        c.header("x-wedsync-replayed", "true");
        if (!body.stream) return c.json(answer);
        // Asked for a stream: the stored answer as one chunk, so stream parsers are not surprised.
        return streamSSE(c, async (stream) => {
          const chunk = {
            ...answer,
            object: "chat.completion.chunk",
            choices: [
              { index: 0, delta: { content: answer.choices[0]!.message.content }, finish_reason: "stop" },
            ],
          };
          const { usage: _u, ...withoutUsage } = chunk;
          await stream.writeSSE({ data: JSON.stringify(withoutUsage) });
          if (body.stream_options?.include_usage) {
            await stream.writeSSE({
              data: JSON.stringify({ ...withoutUsage, choices: [], usage: answer.usage }),
            });
          }
          await stream.writeSSE({ data: "[DONE]" });
        });
      }
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
      };
      c.header("x-request-id", requestId);
      c.header("x-wedsync-request-id", admitted.requestId);

      if (!body.stream) {
        const controller = new AbortController();
        c.req.raw.signal.addEventListener("abort", () => controller.abort());
        let result: Awaited<ReturnType<typeof services.ai.chat>>;
        try {
          result = await services.ai.chat(chatRequest, admitted.requestedAt, controller.signal);
        } catch (err) {
          await services.processing.complete(admitted, failedOutcome(err));
          throw asCallerError(err);
        }
        const usage = await services.processing.complete(admitted, {
          status: "succeeded",
          usage: result.usage,
          costMicros: result.costMicros,
          model: result.model,
          provider: result.provider,
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
      }

      // Streaming: the stream is opened (with retries and fallback) before the first byte is sent.
      const controller = new AbortController();
      let opened: Awaited<ReturnType<typeof services.ai.chatStream>>;
      try {
        opened = await services.ai.chatStream(chatRequest, controller.signal);
      } catch (err) {
        await services.processing.complete(admitted, failedOutcome(err));
        throw asCallerError(err);
      }
      const includeUsage = body.stream_options?.include_usage ?? false;
      return streamSSE(c, async (stream) => {
        let text = "";
        let usage: import("@wedsync/core").TokenUsage | null = null;
        let finish: "stop" | "length" | null = null;
        let failure: unknown = null;
        stream.onAbort(() => controller.abort());
        const id = `chatcmpl-${admitted.requestId}`;
        const created = Math.floor(admitted.requestedAt.getTime() / 1000);
        try {
          for await (const chunk of opened.chunks) {
            if (chunk.usage) usage = chunk.usage;
            if (chunk.finishReason) finish = chunk.finishReason;
            if (chunk.delta || chunk.finishReason) {
              text += chunk.delta;
              await stream.writeSSE({
                data: JSON.stringify({
                  id,
                  object: "chat.completion.chunk",
                  created,
                  model: opened.model,
                  choices: [
                    {
                      index: 0,
                      delta: chunk.delta ? { content: chunk.delta } : {},
                      finish_reason: chunk.finishReason,
                    },
                  ],
                }),
              });
            }
            if (stream.aborted) break;
          }
        } catch (err) {
          failure = err;
        }
        // What was consumed is billed even when the caller cut the stream: the provider's own
        // count when it sent one, otherwise an estimate from what was streamed.
        const consumed = usage ?? {
          inputTokens: estimateTokens(messages.map((m) => m.content).join("\n")),
          outputTokens: estimateTokens(text),
          cachedInputTokens: 0,
        };
        const cut = stream.aborted || failure !== null || finish === null;
        // A price that cannot be found must not leave the row pending with its reservation held.
        let pricingError: string | null = null;
        const costMicros = await services.ai
          .priceOf(opened.provider, [opened.model, chatRequest.model], consumed, admitted.requestedAt)
          .catch((err: unknown) => {
            pricingError = err instanceof Error ? err.message : String(err);
            return 0n;
          });
        const summary = await services.processing.complete(admitted, {
          status: cut ? "failed" : "succeeded",
          usage: consumed,
          costMicros,
          model: opened.model,
          provider: opened.provider,
          degraded: opened.degraded,
          result: text,
          responseSize: text.length,
          errorMessage: cut
            ? failure instanceof Error
              ? failure.message
              : "stream cut before it finished"
            : pricingError,
        });
        if (stream.aborted) return;
        if (cut) {
          // OpenAI's way to fail a stream that has started: an error event, which SDKs raise.
          await stream.writeSSE({
            data: JSON.stringify({
              error: {
                message: "The upstream stream ended before it finished",
                type: "api_error",
                code: "stream_cut",
              },
            }),
          });
          return;
        }
        if (includeUsage) {
          await stream.writeSSE({
            data: JSON.stringify({
              id,
              object: "chat.completion.chunk",
              created,
              model: opened.model,
              choices: [],
              usage: openAIUsage(summary),
            }),
          });
        }
        await stream.writeSSE({ data: "[DONE]" });
      });
    } catch (err) {
      if (!(err instanceof AppError)) services.logger.error({ err, requestId }, "chat completion failed");
      return openAIError(c, err, requestId);
    }
  });
}

function idempotencyKeyOf(header: string | undefined): string | null {
  const key = header?.trim();
  if (!key) return null;
  if (key.length > 200) {
    throw new AppError("BAD_REQUEST", "Idempotency-Key must be at most 200 characters", {
      fieldErrors: [{ field: "idempotency-key", message: "at most 200 characters" }],
    });
  }
  return key;
}

async function authenticateKey(
  services: Services,
  authorization: string | undefined,
): Promise<ApiKeyPrincipal> {
  const key = authorization?.startsWith("Bearer ")
    ? await services.auth.resolveApiKey(authorization.slice(7).trim())
    : null;
  if (!key)
    throw new AppError("UNAUTHORIZED", "Send an organization API key as Authorization: Bearer wsk_...");
  return key;
}

function featureOf(header: string | undefined, key: ApiKeyPrincipal): FeatureType {
  const feature = header ?? key.defaultFeature ?? "field_extraction";
  if (!(FEATURE_TYPES as readonly string[]).includes(feature)) {
    throw new AppError("BAD_REQUEST", `x-wedsync-feature must be one of ${FEATURE_TYPES.join(", ")}`, {
      fieldErrors: [{ field: "x-wedsync-feature", message: "unknown feature" }],
    });
  }
  return feature as FeatureType;
}

function clientOf(header: string | undefined): string | null {
  if (!header) return null;
  if (!z.uuid().safeParse(header).success) {
    throw new AppError("BAD_REQUEST", "x-wedsync-client must be a client id (uuid)", {
      fieldErrors: [{ field: "x-wedsync-client", message: "not a uuid" }],
    });
  }
  return header;
}

async function parseBody(req: Request) {
  let json: unknown;
  try {
    json = await req.json();
  } catch {
    throw new AppError("BAD_REQUEST", "The body must be JSON", {
      fieldErrors: [{ field: "body", message: "invalid JSON" }],
    });
  }
  const parsed = bodySchema.safeParse(json);
  if (!parsed.success) {
    const fieldErrors = parsed.error.issues.map((i) => ({
      field: i.path.join(".") || "body",
      message: i.message,
    }));
    throw new AppError("BAD_REQUEST", fieldErrors.map((f) => `${f.field}: ${f.message}`).join("; "), {
      fieldErrors,
    });
  }
  return parsed.data;
}

function openAIUsage(u: { inputTokens: number; outputTokens: number; cachedInputTokens: number }) {
  return {
    prompt_tokens: u.inputTokens,
    completion_tokens: u.outputTokens,
    total_tokens: u.inputTokens + u.outputTokens,
    prompt_tokens_details: { cached_tokens: u.cachedInputTokens },
  };
}

function completionBody(
  requestId: string,
  model: string,
  content: string,
  finishReason: "stop" | "length",
  usage: { inputTokens: number; outputTokens: number; cachedInputTokens: number },
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
