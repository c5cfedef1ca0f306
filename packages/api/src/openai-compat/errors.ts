import { AppError } from "@wedsync/core";
import type { Context } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { asDatabaseUnavailable } from "../infra/database";

const STATUS: Record<string, { status: ContentfulStatusCode; type: string }> = {
  BAD_REQUEST: { status: 400, type: "invalid_request_error" },
  UNAUTHORIZED: { status: 401, type: "authentication_error" },
  PAYMENT_REQUIRED: { status: 402, type: "insufficient_quota" },
  FORBIDDEN: { status: 403, type: "permission_error" },
  NOT_FOUND: { status: 404, type: "not_found_error" },
  CONFLICT: { status: 409, type: "conflict_error" },
  PAYLOAD_TOO_LARGE: { status: 413, type: "invalid_request_error" },
  PRECONDITION_FAILED: { status: 412, type: "invalid_request_error" },
  TOO_MANY_REQUESTS: { status: 429, type: "rate_limit_error" },
  SERVICE_UNAVAILABLE: { status: 503, type: "api_error" },
  // nginx's "client closed request": nobody reads it, but the request's metrics must not count a
  // caller's disconnect as the platform's failure.
  CLIENT_CLOSED_REQUEST: { status: 499 as ContentfulStatusCode, type: "api_error" },
};

/** Errors in OpenAI's shape, so OpenAI SDKs pointed at the platform understand them. */
export function openAIError(c: Context, thrown: unknown, requestId: string) {
  const err = asDatabaseUnavailable(thrown);
  if (err instanceof AppError && STATUS[err.code]) {
    const { status, type } = STATUS[err.code]!;
    const details = err.details as { reason?: string; retryAfterSeconds?: number | null } | undefined;
    if (details?.retryAfterSeconds) c.header("retry-after", String(details.retryAfterSeconds));
    return c.json(
      {
        error: {
          message: err.message,
          type,
          param: err.fieldErrors[0]?.field ?? null,
          code: details?.reason ?? err.code.toLowerCase(),
          request_id: requestId,
        },
      },
      status,
    );
  }
  return c.json(
    {
      error: {
        message: `Internal error; quote request id ${requestId}`,
        type: "api_error",
        param: null,
        code: "internal_error",
        request_id: requestId,
      },
    },
    500,
  );
}
