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
