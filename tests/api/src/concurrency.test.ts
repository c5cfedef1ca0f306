import type { RunningServer } from "@wedsync/api/server";
import { aiConfigAudit, aiPlatformConfigs } from "@wedsync/core";
import { and, count, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { overridesExceedingPlatform } from "./harness/queries";
import { startTestServer } from "./harness/server";
import { createTenant } from "./harness/tenant";

let server: RunningServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server?.close());

function outcomes(results: PromiseSettledResult<unknown>[]) {
  const codes = results.map((r) =>
    r.status === "fulfilled"
      ? "OK"
      : ((r.reason as { data?: { code?: string } }).data?.code ?? String(r.reason)),
  );
  return {
    ok: codes.filter((c) => c === "OK").length,
    conflict: codes.filter((c) => c === "CONFLICT").length,
    other: codes.filter((c) => c !== "OK" && c !== "CONFLICT"),
  };
}

describe("optimistic concurrency", () => {
  it("updates based on the same version: exactly one wins, the rest get CONFLICT", async () => {
    const t = await createTenant(server);
    const admins = await Promise.all(Array.from({ length: 10 }, () => t.as("admin")));
    const results = await Promise.allSettled(
      admins.map((a, i) =>
        a.platform.config.update.mutate({
          featureType: "pdf_analysis",
          expectedVersion: 1,
          patch: { maxRequestsPerDay: 100 + i },
        }),
      ),
    );
    expect(outcomes(results)).toEqual({ ok: 1, conflict: 9, other: [] });
    const winner = results.findIndex((r) => r.status === "fulfilled");
    const [row] = await server.services.db
      .select()
      .from(aiPlatformConfigs)
      .where(
        and(
          eq(aiPlatformConfigs.organizationId, t.organizationId),
          eq(aiPlatformConfigs.featureType, "pdf_analysis"),
        ),
      );
    expect(row).toMatchObject({ version: 2, maxRequestsPerDay: 100 + winner });
    const [audit] = await server.services.db
      .select({ n: count() })
      .from(aiConfigAudit)
      .where(eq(aiConfigAudit.organizationId, t.organizationId));
    expect(Number(audit?.n)).toBe(1);
  });

  it("first overrides for one client and feature created at once: exactly one wins", async () => {
    const t = await createTenant(server);
    const members = await Promise.all(Array.from({ length: 8 }, () => t.as("member")));
    const results = await Promise.allSettled(
      members.map((m, i) =>
        m.clients.config.update.mutate({
          clientId: t.clientIds[0]!,
          featureType: "field_extraction",
          expectedVersion: 0,
          overrides: { maxRequestsPerDay: 10 + i },
        }),
      ),
    );
    expect(outcomes(results)).toEqual({ ok: 1, conflict: 7, other: [] });
  });

  it("client overrides racing a platform tightening never end above the new limit", async () => {
    const t = await createTenant(server, { clients: 12 });
    const admin = await t.as("admin");
    const members = await Promise.all(t.clientIds.map(() => t.as("member")));
    const results = await Promise.allSettled([
      ...t.clientIds.map((clientId, i) =>
        members[i]!.clients.config.update.mutate({
          clientId,
          featureType: "field_extraction",
          expectedVersion: 0,
          overrides: { maxRequestsPerDay: 900, maxCostPerDay: "45.00" },
        }),
      ),
      admin.platform.config.update.mutate({
        featureType: "field_extraction",
        expectedVersion: 1,
        patch: { maxRequestsPerDay: 300, maxCostPerDay: "5.00" },
      }),
    ]);
    // Each client update either committed before the tightening (then was clamped) or after it (then was refused).
    expect(results.at(-1)?.status).toBe("fulfilled");
    for (const r of results.slice(0, -1)) {
      if (r.status === "rejected")
        expect((r.reason as { data?: { code?: string } }).data?.code).toBe("BAD_REQUEST");
    }
    const exceeding = await overridesExceedingPlatform(server, t.organizationId);
    expect(exceeding).toEqual([]);
  });
});
