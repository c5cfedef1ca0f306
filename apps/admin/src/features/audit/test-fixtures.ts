import superjson from "superjson";
import { vi } from "vitest";
import type { AdminAuditEntry } from "./words";

export const EVERMORE = "33333333-3333-4333-8333-333333333333";
export const STAFF = "99999999-9999-4999-8999-999999999999";

const fieldExtraction = {
  featureType: "field_extraction",
  isEnabled: true,
  maxRequestsPerDay: 1000,
  maxCostPerDay: "50.00",
  priorityLevel: 1,
  rateLimitPerMinute: 60,
  model: "gpt-4o-mini",
};

/** An entry as admin.audit.list answers it: the Evermore owner lowered Field extraction's cost cap. */
export function anEntry(over: Partial<AdminAuditEntry> = {}): AdminAuditEntry {
  return {
    id: 41,
    createdAt: new Date("2026-05-01T14:30:00Z"),
    organizationId: EVERMORE,
    organizationName: "Evermore Wedding Planners",
    entityKind: "platform_config",
    entityId: "00000000-0000-4000-8000-000000000001",
    action: "update",
    version: 3,
    clientId: null,
    clientName: null,
    actorUserId: "u-owner",
    actorApiKeyId: null,
    before: fieldExtraction,
    after: { ...fieldExtraction, maxCostPerDay: "25.00" },
    featureType: "field_extraction",
    actor: { kind: "user", id: "u-owner", name: "Olivia Owner", isPlatformStaff: false },
    changes: [],
    ...over,
  } as AdminAuditEntry;
}

/** The organization's configuration as platform.config.get answers it, Field extraction at `version`. */
export function configOf(feature: Record<string, unknown> = {}) {
  return {
    organization: {
      id: EVERMORE,
      name: "Evermore Wedding Planners",
      tier: "enterprise",
      timezone: "Europe/Paris",
    },
    features: [
      {
        id: "00000000-0000-4000-8000-000000000001",
        organizationId: EVERMORE,
        ...fieldExtraction,
        maxCostPerDay: "40.00",
        version: 5,
        updatedAt: new Date("2026-05-02T10:00:00Z"),
        availableOnTier: true,
        requiredTier: "free",
        ...feature,
      },
    ],
  };
}

/**
 * Answers `procedure` with a tRPC error (e.g. CONFLICT with details) from now on, and every other
 * procedure as the stub installed before (renderAdmin's). Returns the procedures' inputs as sent.
 */
export function failNext(
  procedure: string,
  error: { code: string; httpStatus: number; message: string; details?: unknown },
) {
  const previous = globalThis.fetch;
  const sent: unknown[] = [];
  vi.stubGlobal(
    "fetch",
    vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
      const url = new URL(String(input), "http://localhost");
      const procedures = url.pathname.replace(/^\/trpc\//, "").split(",");
      if (!procedures.includes(procedure)) return previous(input, init);
      sent.push(init?.body ? JSON.parse(String(init.body)) : null);
      const body = procedures.map(() => ({
        error: superjson.serialize({
          message: error.message,
          code: -32000,
          data: {
            code: error.code,
            httpStatus: error.httpStatus,
            details: error.details,
            fieldErrors: [],
            requestId: "req-1",
          },
        }),
      }));
      return new Response(JSON.stringify(body), { headers: { "content-type": "application/json" } });
    }),
  );
  return sent;
}
