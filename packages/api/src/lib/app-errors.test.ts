import { TRPC_ERROR_CODES_BY_KEY } from "@trpc/server/rpc";
import { AppError } from "@wedsync/core";
import { describe, expect, it } from "vitest";
import { APP_ERRORS, callerErrorOf, retryAfterSecondsOf } from "./app-errors";

describe("the AppError table", () => {
  it("gives each code tRPC's HTTP status and OpenAI's type", () => {
    expect(
      Object.fromEntries(Object.entries(APP_ERRORS).map(([code, m]) => [code, [m.httpStatus, m.openAIType]])),
    ).toEqual({
      BAD_REQUEST: [400, "invalid_request_error"],
      UNAUTHORIZED: [401, "authentication_error"],
      PAYMENT_REQUIRED: [402, "insufficient_quota"],
      FORBIDDEN: [403, "permission_error"],
      NOT_FOUND: [404, "not_found_error"],
      CONFLICT: [409, "conflict_error"],
      PRECONDITION_FAILED: [412, "invalid_request_error"],
      PAYLOAD_TOO_LARGE: [413, "invalid_request_error"],
      TOO_MANY_REQUESTS: [429, "rate_limit_error"],
      SERVICE_UNAVAILABLE: [503, "api_error"],
      CLIENT_CLOSED_REQUEST: [499, "api_error"],
      INTERNAL_SERVER_ERROR: [500, "api_error"],
    });
  });

  it("holds only tRPC's own codes", () => {
    for (const code of Object.keys(APP_ERRORS)) expect(TRPC_ERROR_CODES_BY_KEY).toHaveProperty(code);
  });
});

describe("callerErrorOf", () => {
  it("an AppError is itself; an unreachable database is SERVICE_UNAVAILABLE with Retry-After", () => {
    const conflict = new AppError("CONFLICT", "stale");
    expect(callerErrorOf(conflict)).toBe(conflict);
    const refused = Object.assign(new Error("connect ECONNREFUSED"), { code: "ECONNREFUSED" });
    const mapped = callerErrorOf(new Error("Failed query", { cause: refused }));
    expect(mapped).toMatchObject({
      code: "SERVICE_UNAVAILABLE",
      details: { reason: "database_unavailable", retryAfterSeconds: 2 },
    });
    expect(retryAfterSecondsOf(mapped!)).toBe(2);
  });

  it("anything else is an unexpected failure", () => {
    expect(callerErrorOf(new TypeError("x is undefined"))).toBeNull();
    expect(callerErrorOf("a string")).toBeNull();
  });
});

describe("retryAfterSecondsOf", () => {
  it.each([
    [1, 1],
    [1.2, 2],
    [0, null],
    [-3, null],
    [null, null],
    ["5", null],
  ])("retryAfterSeconds %s → %s", (seconds, expected) => {
    expect(
      retryAfterSecondsOf(
        new AppError("TOO_MANY_REQUESTS", "slow down", { details: { retryAfterSeconds: seconds } }),
      ),
    ).toBe(expected);
  });

  it("none without details", () => {
    expect(retryAfterSecondsOf(new AppError("TOO_MANY_REQUESTS", "slow down"))).toBeNull();
  });
});
