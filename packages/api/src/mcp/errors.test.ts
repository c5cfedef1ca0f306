import { TRPCError } from "@trpc/server";
import { AppError } from "@wedsync/core";
import { describe, expect, it, vi } from "vitest";
import { z } from "zod";
import type { Context } from "../trpc";
import { toolError, toolFailureOf } from "./errors";
import { toJsonValue } from "./results";

function contextWithLog() {
  const error = vi.fn();
  const ctx = { requestId: "req-1", services: { logger: { error } } } as unknown as Context;
  return { ctx, error };
}
const asTool = (path: string) => path.replace(/^input\./, "");

describe("MCP tool errors", () => {
  it("a procedure's AppError keeps its code, message and details; its fields take the tool's names", () => {
    const { ctx, error } = contextWithLog();
    const cause = new AppError("PAYLOAD_TOO_LARGE", "The PDF is over 10 MB", {
      fieldErrors: [{ field: "input.pdfBase64", message: "at most 10 MB" }],
      details: { limitBytes: 10n, at: new Date("2027-06-12T10:00:00Z") },
    });
    const failure = toolFailureOf(new TRPCError({ code: "PAYLOAD_TOO_LARGE", cause }), ctx, asTool);
    expect(failure).toEqual({
      code: "PAYLOAD_TOO_LARGE",
      message: "The PDF is over 10 MB",
      fieldErrors: [{ field: "pdfBase64", message: "at most 10 MB" }],
      details: { limitBytes: "10", at: "2027-06-12T10:00:00.000Z" },
      requestId: "req-1",
    });
    const result = toolError(failure);
    expect(result.isError).toBe(true);
    expect(result.content).toEqual([
      { type: "text", text: "PAYLOAD_TOO_LARGE: The PDF is over 10 MB (pdfBase64: at most 10 MB)" },
    ]);
    expect(error).not.toHaveBeenCalled();
  });

  it("input the schema refuses is BAD_REQUEST naming every field", () => {
    const { ctx } = contextWithLog();
    const parsed = z
      .object({ clientId: z.uuid(), limit: z.number().min(1) })
      .safeParse({ clientId: "x", limit: 0 });
    const failure = toolFailureOf(parsed.error, ctx, asTool);
    expect(failure.code).toBe("BAD_REQUEST");
    expect(failure.fieldErrors.map((f) => f.field)).toEqual(["clientId", "limit"]);
    expect(toolError(failure).content[0]).toEqual({
      type: "text",
      text: `BAD_REQUEST: ${failure.message}`,
    });
    expect(failure.message).toMatch(/^Invalid input: clientId: .+; limit: .+$/);
  });

  it("an unexpected failure shows only the request id, and is logged with its cause", () => {
    const { ctx, error } = contextWithLog();
    const boom = new Error("relation ai_usage_logs does not exist at /srv/secret/path.ts:12");
    for (const thrown of [boom, new TRPCError({ code: "INTERNAL_SERVER_ERROR", cause: boom })]) {
      const failure = toolFailureOf(thrown, ctx, asTool);
      expect(failure).toMatchObject({
        code: "INTERNAL_SERVER_ERROR",
        message: "Internal error; quote request id req-1 when reporting it",
      });
      expect(JSON.stringify(toolError(failure))).not.toContain("secret");
    }
    expect(error).toHaveBeenCalledTimes(2);
    expect(error.mock.calls[0]![0]).toMatchObject({ err: boom, requestId: "req-1" });
  });
});

describe("toJsonValue", () => {
  it("dates become ISO strings, bigints decimal strings, maps objects; undefined fields are left out", () => {
    expect(
      toJsonValue({
        at: new Date(0),
        micros: 12_345_678_901_234_567_890n,
        nested: [{ a: undefined, b: null, c: new Map([["k", 1n]]) }],
      }),
    ).toEqual({
      at: "1970-01-01T00:00:00.000Z",
      micros: "12345678901234567890",
      nested: [{ b: null, c: { k: "1" } }],
    });
  });
});
