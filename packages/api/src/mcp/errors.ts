/**
 * A refused or failed tool call as an MCP tool error (`isError: true`), not a JSON-RPC error: the
 * assistant reads it and can act on it (fix the input, wait, ask for an admin key). The text
 * starts with the platform's code, as tRPC and /v1 report it; never a stack.
 */
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { TRPCError } from "@trpc/server";
import type { AppErrorCode, FieldError } from "@wedsync/core";
import { ZodError } from "zod";
import { callerErrorOf } from "../lib/app-errors";
import type { Context } from "../trpc";
import { toJsonValue } from "./results";

export interface ToolFailure {
  code: AppErrorCode;
  message: string;
  fieldErrors: FieldError[];
  /** What the platform adds for the caller (retryAfterSeconds, reason, the current row on CONFLICT). */
  details: unknown;
  requestId: string;
}

/**
 * What a thrown value means to the assistant. `fieldOf` renames a procedure's input path to the
 * tool's argument (process_document's `text` is clients.process's `input.text`).
 */
export function toolFailureOf(thrown: unknown, ctx: Context, fieldOf: (path: string) => string): ToolFailure {
  const cause = thrown instanceof TRPCError ? thrown.cause : thrown;
  const requestId = ctx.requestId;
  if (cause instanceof ZodError) {
    const fieldErrors = cause.issues.map((i) => ({
      field: fieldOf(i.path.map(String).join(".")) || "(input)",
      message: i.message,
    }));
    return {
      code: "BAD_REQUEST",
      message: `Invalid input: ${fieldErrors.map((f) => `${f.field}: ${f.message}`).join("; ")}`,
      fieldErrors,
      details: null,
      requestId,
    };
  }
  const known = callerErrorOf(cause);
  if (known && known.code !== "INTERNAL_SERVER_ERROR") {
    return {
      code: known.code,
      message: known.message,
      fieldErrors: known.fieldErrors.map((f) => ({ ...f, field: fieldOf(f.field) })),
      details: toJsonValue(known.details ?? null),
      requestId,
    };
  }
  // tRPC's own refusals carry no AppError (e.g. a procedure that is not there); anything else is
  // the platform's fault: logged with its stack here, shown only as the request id.
  if (thrown instanceof TRPCError && thrown.code !== "INTERNAL_SERVER_ERROR" && !(cause instanceof Error)) {
    return {
      code: thrown.code as AppErrorCode,
      message: thrown.message,
      fieldErrors: [],
      details: null,
      requestId,
    };
  }
  ctx.services.logger.error({ err: cause ?? thrown, requestId }, "MCP tool call failed");
  return {
    code: "INTERNAL_SERVER_ERROR",
    message: `Internal error; quote request id ${requestId} when reporting it`,
    fieldErrors: [],
    details: null,
    requestId,
  };
}

export function toolError(failure: ToolFailure): CallToolResult {
  const fields = failure.fieldErrors.length
    ? ` (${failure.fieldErrors.map((f) => `${f.field}: ${f.message}`).join("; ")})`
    : "";
  const text =
    failure.code === "BAD_REQUEST" && failure.message.startsWith("Invalid input:")
      ? `${failure.code}: ${failure.message}`
      : `${failure.code}: ${failure.message}${fields}`;
  return {
    isError: true,
    content: [{ type: "text", text }],
    structuredContent: { ...failure },
  };
}
