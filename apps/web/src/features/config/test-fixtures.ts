import type { AuditRow, PlatformFeature, PricedModel } from "./types";

/** A feature's platform configuration as the API answers it, with the demo defaults. */
export function aFeature(overrides: Partial<PlatformFeature> = {}): PlatformFeature {
  return {
    id: "00000000-0000-4000-8000-000000000001",
    organizationId: "00000000-0000-4000-8000-0000000000aa",
    featureType: "field_extraction",
    isEnabled: true,
    maxRequestsPerDay: 1000,
    maxCostPerDay: "50.00",
    priorityLevel: 1,
    rateLimitPerMinute: 60,
    model: "gpt-4o-mini",
    version: 2,
    updatedAt: new Date("2026-05-01T10:00:00Z"),
    availableOnTier: true,
    requiredTier: "free",
    ...overrides,
  };
}

const price = (model: string, input: string, output: string): PricedModel => ({
  model,
  provider: "openai",
  inputPerMillion: input,
  cachedInputPerMillion: "0.000000",
  outputPerMillion: output,
  effectiveFrom: new Date("2025-01-01T00:00:00Z"),
});

export const PRICED: PricedModel[] = [
  price("gpt-4o", "2.500000", "10.000000"),
  price("gpt-4o-mini", "0.150000", "0.600000"),
];

export function anAuditRow(overrides: Partial<AuditRow> = {}): AuditRow {
  return {
    id: 41,
    entityKind: "platform_config",
    entityId: "00000000-0000-4000-8000-000000000001",
    organizationId: "00000000-0000-4000-8000-0000000000aa",
    clientId: null,
    actorUserId: "user-1",
    actorApiKeyId: null,
    actorName: "Golden Owner",
    apiKeyName: null,
    clientName: null,
    action: "update",
    before: {
      featureType: "field_extraction",
      isEnabled: true,
      maxRequestsPerDay: 1000,
      maxCostPerDay: "50.00",
      priorityLevel: 1,
      rateLimitPerMinute: 60,
      model: "gpt-4o-mini",
    },
    after: {
      featureType: "field_extraction",
      isEnabled: true,
      maxRequestsPerDay: 1000,
      maxCostPerDay: "25.00",
      priorityLevel: 1,
      rateLimitPerMinute: 60,
      model: "gpt-4o",
    },
    version: 3,
    createdAt: new Date("2026-05-01T14:30:00Z"),
    ...overrides,
  };
}

/** The error a CONFLICT answer becomes on the client: its code and the stored configuration. */
export function conflictError(current: PlatformFeature) {
  return Object.assign(new Error("This configuration was changed by someone else"), {
    data: { code: "CONFLICT", httpStatus: 409, details: { current }, requestId: "req-1", fieldErrors: [] },
  });
}
