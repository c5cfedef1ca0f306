import type { AppErrorCode } from "@wedsync/core";
import type { Context } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { APP_ERRORS, callerErrorOf, retryAfterSecondsOf } from "../lib/app-errors";

/**
 * The /v1 transport's one mapping: errors in OpenAI's shape, so OpenAI SDKs pointed at the
 * platform understand them. Status and type come from the table in lib/app-errors.ts; an
 * unexpected failure (or INTERNAL_SERVER_ERROR) shows only the request id.
 */
export function openAIError(c: Context, thrown: unknown, requestId: string) {
  const err = callerErrorOf(thrown);
  if (!err || err.code === "INTERNAL_SERVER_ERROR") {
    const message = `Internal error; quote request id ${requestId}`;
    return reply(c, "INTERNAL_SERVER_ERROR", { message, param: null, code: "internal_error" }, requestId);
  }
  const retryAfter = retryAfterSecondsOf(err);
  if (retryAfter !== null) c.header("retry-after", String(retryAfter));
  const reason = err.details?.reason;
  return reply(
    c,
    err.code,
    {
      message: err.message,
      param: err.fieldErrors[0]?.field ?? null,
      code: typeof reason === "string" ? reason : err.code.toLowerCase(),
    },
    requestId,
  );
}

function reply(
  c: Context,
  appCode: AppErrorCode,
  error: { message: string; param: string | null; code: string },
  requestId: string,
) {
  const { httpStatus, openAIType } = APP_ERRORS[appCode];
  return c.json(
    {
      error: {
        message: error.message,
        type: openAIType,
        param: error.param,
        code: error.code,
        request_id: requestId,
      },
    },
    httpStatus as ContentfulStatusCode,
  );
}
