import { AppError, FEATURE_TYPES, type FeatureType } from "@wedsync/core";
import type { Context } from "hono";
import { z } from "zod";
import type { ApiKeyPrincipal } from "../auth/principal";
import type { Services } from "../services";

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

export type ChatBody = z.infer<typeof bodySchema>;

export interface ChatCall {
  key: ApiKeyPrincipal;
  featureType: FeatureType;
  clientId: string | null;
  idempotencyKey: string | null;
  body: ChatBody;
}

/**
 * Everything a chat completion call says, checked: the API key (Authorization: Bearer), the
 * feature (`x-wedsync-feature`, default the key's), the client (`x-wedsync-client`), the
 * Idempotency-Key and the body. Each problem is a BAD_REQUEST naming its header or field.
 */
export async function readChatCall(c: Context, services: Services): Promise<ChatCall> {
  const key = await authenticateKey(services, c.req.header("authorization"));
  return {
    key,
    featureType: featureOf(c.req.header("x-wedsync-feature"), key),
    clientId: clientOf(c.req.header("x-wedsync-client")),
    idempotencyKey: idempotencyKeyOf(c.req.header("idempotency-key")),
    body: await parseBody(c.req.raw),
  };
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

async function parseBody(req: Request): Promise<ChatBody> {
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
