import type { ApiError } from "@wedsync/ui/errors";

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
