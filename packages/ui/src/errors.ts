import type { TRPCClientErrorLike } from "@trpc/client";
import type { AppRouter } from "@wedsync/api";

/** An error from a tRPC call: `data` is the API's formatted error, absent when the request never got an answer. */
export type ApiError = TRPCClientErrorLike<AppRouter>;

interface ErrorData {
  code?: unknown;
  httpStatus?: unknown;
}

function dataOf(err: unknown): ErrorData | undefined {
  if (typeof err !== "object" || err === null || !("data" in err)) return undefined;
  const data = (err as { data?: unknown }).data;
  return typeof data === "object" && data !== null ? (data as ErrorData) : undefined;
}

export function errorCode(err: unknown): string | undefined {
  const code = dataOf(err)?.code;
  return typeof code === "string" ? code : undefined;
}

export const isUnauthorized = (err: unknown) => errorCode(err) === "UNAUTHORIZED";

/** 4xx answers will not change on retry. */
export function isClientError(err: unknown): boolean {
  const status = dataOf(err)?.httpStatus;
  return typeof status === "number" && status >= 400 && status < 500;
}

/** What to tell the person: the server's message, or a plain word when the server could not be reached. */
export function errorMessage(err: ApiError): string {
  if (!err.data) return "Could not reach the server. Check your connection and try again.";
  return err.message;
}

/** The server's message for one input field, if it sent one. */
export function fieldError(err: ApiError | null, field: string): string | undefined {
  return err?.data?.fieldErrors.find((f) => f.field === field)?.message;
}

/** What the person can do next, per tRPC error code: shown under the server's message. */
const HINTS: Record<string, string> = {
  BAD_REQUEST: "Check the highlighted values and try again.",
  UNAUTHORIZED: "Your session has ended. Sign in again.",
  FORBIDDEN: "Your role does not allow this. Ask an owner or admin of the organization.",
  NOT_FOUND: "It may have been removed, or belong to another organization. Go back and choose again.",
  CONFLICT: "Someone else changed this a moment ago. Review their change, then apply yours again.",
  TOO_MANY_REQUESTS: "Too many requests in a short time. Wait a few seconds and try again.",
  PAYLOAD_TOO_LARGE: "The input is too large. Send a smaller file or text.",
  SERVICE_UNAVAILABLE: "The service is briefly unavailable. Try again in a few seconds.",
  INTERNAL_SERVER_ERROR:
    "Something failed on our side. Try again; if it keeps failing, quote the request id.",
};

export function errorHint(code: string | undefined): string | undefined {
  return code ? HINTS[code] : "Check your connection and try again.";
}

/** The request id the server gave this error (quote it to support). */
export function requestIdOf(error: ApiError): string | null {
  const data = error.data as { requestId?: string | null } | undefined;
  return data?.requestId ?? null;
}
