import { TRPCError } from "@trpc/server";
import { getHTTPStatusCodeFromError } from "@trpc/server/http";
import { AppError, type AppErrorCode } from "@wedsync/core";
import { asDatabaseUnavailable } from "../infra/database";

/** The `type` of an error in OpenAI's shape: what OpenAI's SDKs tell their error classes apart by. */
export type OpenAIErrorType =
  | "invalid_request_error"
  | "authentication_error"
  | "insufficient_quota"
  | "permission_error"
  | "not_found_error"
  | "conflict_error"
  | "rate_limit_error"
  | "api_error";

/**
 * Every AppErrorCode, once: what each transport answers with. AppErrorCode names are tRPC's error
 * codes (`new TRPCError({ code })` below compiles only while they are), so /trpc answers with the
 * code itself and tRPC's own HTTP status for it; /v1 answers with the same HTTP status and
 * OpenAI's error type. Neither transport maps a code anywhere else.
 */
const OPENAI_TYPES: Record<AppErrorCode, OpenAIErrorType> = {
  BAD_REQUEST: "invalid_request_error",
  UNAUTHORIZED: "authentication_error",
  PAYMENT_REQUIRED: "insufficient_quota",
  FORBIDDEN: "permission_error",
  NOT_FOUND: "not_found_error",
  CONFLICT: "conflict_error",
  PRECONDITION_FAILED: "invalid_request_error",
  PAYLOAD_TOO_LARGE: "invalid_request_error",
  TOO_MANY_REQUESTS: "rate_limit_error",
  SERVICE_UNAVAILABLE: "api_error",
  // nginx's "client closed request": nobody reads it, but the request's metrics must not count a
  // caller's disconnect as the platform's failure.
  CLIENT_CLOSED_REQUEST: "api_error",
  // Its message is never shown: both transports answer "Internal error; quote request id …".
  INTERNAL_SERVER_ERROR: "api_error",
};

export interface AppErrorMapping {
  /** tRPC's HTTP status for the code, which /v1 answers with too. */
  httpStatus: number;
  openAIType: OpenAIErrorType;
}

export const APP_ERRORS: Readonly<Record<AppErrorCode, AppErrorMapping>> = Object.fromEntries(
  (Object.entries(OPENAI_TYPES) as Array<[AppErrorCode, OpenAIErrorType]>).map(([code, openAIType]) => [
    code,
    { httpStatus: getHTTPStatusCodeFromError(new TRPCError({ code })), openAIType },
  ]),
) as Record<AppErrorCode, AppErrorMapping>;

/**
 * What a thrown value means to the caller, on either transport: the AppError it is, an
 * unreachable database as SERVICE_UNAVAILABLE with Retry-After (the platform's passing trouble,
 * never a 500), or null for an unexpected failure (a 500 that shows only the request id).
 */
export function callerErrorOf(thrown: unknown): AppError | null {
  const err = asDatabaseUnavailable(thrown);
  return err instanceof AppError ? err : null;
}

/** The whole seconds an error's `details.retryAfterSeconds` asks the caller to wait, or null. */
export function retryAfterSecondsOf(err: AppError): number | null {
  const seconds = err.details?.retryAfterSeconds;
  return typeof seconds === "number" && seconds > 0 ? Math.ceil(seconds) : null;
}
