import { describe, expect, it } from "vitest";
import { type AuditLike, actionWords, actorWords, auditDiff, rollbackChanges } from "./audit";

const fieldExtraction = {
  featureType: "field_extraction",
  isEnabled: true,
  maxRequestsPerDay: 1000,
  maxCostPerDay: "50.00",
  priorityLevel: 1,
  rateLimitPerMinute: 60,
  model: "gpt-4o-mini",
};

function anEntry(over: Partial<AuditLike> = {}): AuditLike {
  return {
    entityKind: "platform_config",
    action: "update",
    clientName: null,
    before: fieldExtraction,
    after: { ...fieldExtraction, maxCostPerDay: "25.00", model: "gpt-4o" },
    ...over,
  };
}

describe("audit words", () => {
  it("diffs an entry setting by setting, in words", () => {
    expect(auditDiff(anEntry())).toEqual([
      { field: "maxCostPerDay", label: "Daily cost cap", before: "$50.00 a day", after: "$25.00 a day" },
      { field: "model", label: "Model", before: "gpt-4o-mini", after: "gpt-4o" },
    ]);
  });

  it("flattens a client's overrides, null said as inherited", () => {
    const entry = anEntry({
      entityKind: "client_config",
      action: "cascade_clamp",
      before: {
        featureType: "pdf_analysis",
        clientId: "c",
        overrides: { maxRequestsPerDay: 500, isEnabled: null },
      },
      after: {
        featureType: "pdf_analysis",
        clientId: "c",
        overrides: { maxRequestsPerDay: 200, isEnabled: null },
      },
    });
    expect(auditDiff(entry).map((l) => `${l.label}: ${l.before} → ${l.after}`)).toEqual([
      "Daily request cap: 500 requests a day → 200 requests a day",
    ]);
    expect(actionWords(entry)).toBe(
      "lowered a client's PDF analysis override to fit the organization's new limits",
    );
  });

  it("lists only what a first setup set, without a before", () => {
    const entry = anEntry({
      entityKind: "client_config",
      action: "create",
      before: null,
      after: {
        featureType: "field_extraction",
        clientId: "c",
        overrides: {
          isEnabled: null,
          maxRequestsPerDay: 200,
          maxCostPerDay: "10.00",
          rateLimitPerMinute: null,
        },
        customPrompts: {},
      },
    });
    expect(auditDiff(entry)).toEqual([
      { field: "maxRequestsPerDay", label: "Daily request cap", before: null, after: "200 requests a day" },
      { field: "maxCostPerDay", label: "Daily cost cap", before: null, after: "$10.00 a day" },
    ]);
    expect(actionWords(entry)).toBe("set a client's own Field extraction settings");
  });

  it("says who: you, a person or an API key by name, WedSync itself", () => {
    const nobody = { actorName: null, apiKeyName: null };
    expect(actorWords({ ...nobody, actorUserId: "me", actorApiKeyId: null, actorName: "Eve" }, "me")).toBe(
      "You",
    );
    expect(
      actorWords({ ...nobody, actorUserId: "u2", actorApiKeyId: null, actorName: "Sam Admin" }, "me"),
    ).toBe("Sam Admin");
    expect(actorWords({ ...nobody, actorUserId: "u3", actorApiKeyId: null }, "me")).toBe(
      "A former team member",
    );
    expect(
      actorWords({ ...nobody, actorUserId: null, actorApiKeyId: "k1", apiKeyName: "Zapier" }, "me"),
    ).toBe("API key “Zapier”");
    expect(actorWords({ ...nobody, actorUserId: null, actorApiKeyId: null }, "me")).toBe("WedSync");
  });

  it("names the client a client-level entry is about", () => {
    const entry = anEntry({ entityKind: "client_config", action: "update", clientName: "Chloé & Louis" });
    expect(actionWords(entry)).toBe("changed Chloé & Louis's Field extraction settings");
  });

  it("says what an emergency throttle did, and its settings in words", () => {
    const set = anEntry({
      entityKind: "throttle",
      action: "create",
      before: null,
      after: {
        scope: "feature",
        featureType: "pdf_analysis",
        mode: "cap",
        perMinute: 30,
        reason: "Provider incident",
        expiresAt: "2026-05-01T18:00:00.000Z",
        liftedAt: null,
      },
    });
    expect(actionWords(set)).toBe(
      "limited AI requests to 30 a minute for PDF analysis on every organization",
    );
    expect(auditDiff(set).map((l) => `${l.label}: ${l.after}`)).toEqual([
      "Applies to: One feature, every organization",
      "Throttle: AI requests limited",
      "Requests allowed: 30 requests a minute",
      "Reason: Provider incident",
      "Ends: 1 May 2026, 18:00 UTC",
    ]);
    const paused = { scope: "platform", mode: "refuse", perMinute: null, reason: "r", expiresAt: null };
    expect(actionWords({ ...set, after: { ...paused, liftedAt: null } })).toBe(
      "paused AI requests for the whole platform",
    );
    const lifted = anEntry({
      entityKind: "throttle",
      action: "update",
      before: { ...paused, liftedAt: null },
      after: { ...paused, liftedAt: "2026-05-01T19:00:00.000Z" },
    });
    expect(actionWords(lifted)).toBe("lifted the emergency throttle on the whole platform");
    expect(auditDiff(lifted)).toEqual([
      { field: "liftedAt", label: "Lifted", before: "not lifted", after: "1 May 2026, 19:00 UTC" },
    ]);
  });

  it("a rollback changes only what differs from the stored settings", () => {
    const current = { ...fieldExtraction, maxCostPerDay: "40.00", model: "gpt-4o" };
    expect(rollbackChanges(current, anEntry())).toEqual([
      { field: "maxCostPerDay", label: "Daily cost cap", before: "$40.00 a day", after: "$25.00 a day" },
    ]);
    expect(rollbackChanges({ ...current, maxCostPerDay: "25.00" }, anEntry())).toEqual([]);
  });
});
