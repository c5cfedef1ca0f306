import { NO_OVERRIDE, type PlatformLimits } from "@wedsync/core/domain";
import { describe, expect, it } from "vitest";
import { changeWords, describeBulkError, planBulk } from "./bulk";

const PLATFORM: PlatformLimits = {
  featureType: "field_extraction",
  isEnabled: true,
  maxRequestsPerDay: 1000,
  maxCostPerDay: "50.00",
  rateLimitPerMinute: 60,
  priorityLevel: 5,
  model: "gpt-4o-mini",
};

const TARGETS = [
  {
    id: "c1",
    coupleNames: "Chloé & Louis",
    feature: { version: 1, override: { ...NO_OVERRIDE, maxRequestsPerDay: 200, maxCostPerDay: "10.00" } },
  },
  {
    id: "c2",
    coupleNames: "Léa & Hugo",
    feature: { version: 1, override: { ...NO_OVERRIDE, isEnabled: false } },
  },
  { id: "c3", coupleNames: "Manon & Gabriel", feature: { version: 0, override: null } },
];

describe("planBulk", () => {
  it("lists, per client, every effective value that moves, from → to, and sends only what is set", () => {
    const plan = planBulk(TARGETS, PLATFORM, { kind: "caps", maxRequestsPerDay: 100 });
    expect(plan.map((p) => [p.name, p.expectedVersion, p.overrides])).toEqual([
      ["Chloé & Louis", 1, { maxRequestsPerDay: 100 }],
      ["Léa & Hugo", 1, { maxRequestsPerDay: 100 }],
      ["Manon & Gabriel", 0, { maxRequestsPerDay: 100 }],
    ]);
    expect(plan.map((p) => p.changes.map(changeWords))).toEqual([
      ["Requests a day: 200 (override) → 100 (override)"],
      ["Requests a day: 1,000 (inherited) → 100 (override)"],
      ["Requests a day: 1,000 (inherited) → 100 (override)"],
    ]);
  });

  it("reset to inherited lists each override that goes, and a client with none has no change", () => {
    const plan = planBulk(TARGETS, PLATFORM, { kind: "reset" });
    expect(plan.map((p) => p.changes.map(changeWords))).toEqual([
      [
        "Requests a day: 200 (override) → 1,000 (inherited)",
        "Spend a day: $10.00 (override) → $50.00 (inherited)",
      ],
      ["Switched on: Off (override) → On (inherited)"],
      [],
    ]);
  });
});

describe("describeBulkError", () => {
  const sent = TARGETS.map((t) => ({ clientId: t.id, name: t.coupleNames }));

  it("names the client of each refused value (changes.<i>) instead of its position", () => {
    const described = describeBulkError(
      {
        message:
          "changes.1.overrides.maxRequestsPerDay: 5000 exceeds the platform limit of 1000 requests a day",
        data: {
          code: "BAD_REQUEST",
          fieldErrors: [
            {
              field: "changes.1.overrides.maxRequestsPerDay",
              message: "5000 exceeds the platform limit of 1000 requests a day",
            },
            {
              field: "changes.2.overrides.isEnabled",
              message: "field_extraction is disabled at platform level; a client cannot enable it",
            },
          ],
        },
      },
      sent,
    );
    expect(described.problems).toEqual([
      "Léa & Hugo: Requests a day: 5000 exceeds the platform limit of 1000 requests a day",
      "Manon & Gabriel: Switched on: Field extraction is disabled at platform level; a client cannot enable it",
    ]);
    expect(described.summary).toContain("Nothing was saved");
  });

  it("names the clients someone else changed (CONFLICT) and a missing one (NOT_FOUND)", () => {
    const conflict = describeBulkError(
      {
        message: "Changed by someone else: c1 (now at version 2)",
        data: {
          code: "CONFLICT",
          details: { conflicts: [{ index: 0, clientId: "c1", currentVersion: 2, current: null }] },
        },
      },
      sent,
    );
    expect(conflict.problems).toEqual(["Chloé & Louis was changed by someone else (now at version 2)."]);
    const missing = describeBulkError(
      { message: "Client not found: c3", data: { code: "NOT_FOUND", details: { clientId: "c3" } } },
      sent,
    );
    expect(missing.problems).toEqual([
      "Manon & Gabriel no longer exists or belongs to another organization.",
    ]);
  });

  it("replaces ids in any other message with the clients' names", () => {
    const other = describeBulkError(
      { message: "Something about c2", data: { code: "INTERNAL_SERVER_ERROR" } },
      sent,
    );
    expect(other.summary).toBe("Something about Léa & Hugo");
  });
});
