import { TRPCClientError } from "@trpc/client";
import type { AppRouter } from "@wedsync/client";
import { expect } from "vitest";

export type ClientError = TRPCClientError<AppRouter>;

/** Runs `call`, expects it to fail, and returns the typed error for further assertions. */
export async function expectError(call: Promise<unknown>, code: string): Promise<ClientError> {
  try {
    await call;
  } catch (err) {
    expect(err).toBeInstanceOf(TRPCClientError);
    const e = err as ClientError;
    expect({ code: e.data?.code, message: e.message }).toMatchObject({ code });
    expect(e.data?.requestId).toMatch(/[0-9a-f-]{8,}/);
    return e;
  }
  throw new Error(`expected ${code}, but the call succeeded`);
}

/** The names of the fields a BAD_REQUEST complained about. */
export function fieldsOf(e: ClientError): string[] {
  return (e.data?.fieldErrors ?? []).map((f) => f.field);
}
