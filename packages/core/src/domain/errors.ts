/**
 * The one error type domain and service code throws. One table in the API
 * (packages/api/src/lib/app-errors.ts) says what each code is on each transport (tRPC, OpenAI's
 * error shape); nothing else maps them.
 */
export type AppErrorCode =
  | "BAD_REQUEST"
  | "UNAUTHORIZED"
  | "FORBIDDEN"
  | "NOT_FOUND"
  | "CONFLICT"
  | "TOO_MANY_REQUESTS"
  | "PAYLOAD_TOO_LARGE"
  | "PAYMENT_REQUIRED"
  | "PRECONDITION_FAILED"
  | "SERVICE_UNAVAILABLE"
  /** The caller went away before the answer (HTTP 499): not the platform's failure. */
  | "CLIENT_CLOSED_REQUEST"
  | "INTERNAL_SERVER_ERROR";

export interface FieldError {
  field: string;
  message: string;
}

export class AppError extends Error {
  readonly code: AppErrorCode;
  /** Per-field problems for BAD_REQUEST; safe to show to the caller. */
  readonly fieldErrors: FieldError[];
  /** Extra data for the caller, e.g. the current row on CONFLICT or retry-after on TOO_MANY_REQUESTS. */
  readonly details: Record<string, unknown> | undefined;

  constructor(
    code: AppErrorCode,
    message: string,
    opts: { fieldErrors?: FieldError[]; details?: Record<string, unknown>; cause?: unknown } = {},
  ) {
    super(message, { cause: opts.cause });
    this.name = "AppError";
    this.code = code;
    this.fieldErrors = opts.fieldErrors ?? [];
    this.details = opts.details;
  }
}
