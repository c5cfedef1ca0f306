/**
 * platform.models: the models a platform configuration may name (those with a price), so the
 * supplier app can refuse an unpriced model before sending anything. The list and the check that
 * refuses a save (platform.config.update) must agree, with either provider chain.
 */
import type { RunningServer } from "@wedsync/api/server";
import { createWedsyncClient } from "@wedsync/client";
import { aiModelPrices } from "@wedsync/core";
import { lte } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expectError } from "./harness/errors";
import { type OpenAIServer, startOpenAIServer } from "./harness/openai-server";
import { startTestServer } from "./harness/server";
import { createTenant } from "./harness/tenant";

const OPENAI_MODELS = ["gpt-4.1", "gpt-4.1-mini", "gpt-4.1-nano", "gpt-4o", "gpt-4o-mini", "o4-mini"];

/**
 * The list holds every seeded name and only names with a price in force, in name order. On
 * PostgreSQL the price table is shared with other suites running at the same time, which add
 * prices of their own: exact equality with the seeded names would not hold there.
 */
async function expectPricedList(
  server: RunningServer,
  listed: string[],
  seeded: string[],
  providers?: string[],
) {
  expect(listed).toEqual(expect.arrayContaining(seeded));
  expect(listed).toEqual([...listed].sort((a, b) => a.localeCompare(b)));
  const rows = await server.services.db
    .select({ provider: aiModelPrices.provider, model: aiModelPrices.model })
    .from(aiModelPrices)
    .where(lte(aiModelPrices.effectiveFrom, new Date()));
  const priced = new Set(
    rows.filter((r) => !providers || providers.includes(r.provider)).map((r) => r.model),
  );
  expect(listed.filter((m) => !priced.has(m))).toEqual([]);
}

describe("platform.models with an OpenAI-compatible provider", () => {
  let upstream: OpenAIServer;
  let server: RunningServer;
  beforeAll(async () => {
    upstream = await startOpenAIServer({
      timeoutMs: 2_000,
      retry: { maxAttempts: 1, initialDelayMs: 5, maxDelayMs: 20 },
      breaker: { failureThreshold: 1_000, halfOpenAfterMs: 60_000 },
    });
    server = upstream.server;
  });
  afterAll(() => upstream?.close());

  it("lists the provider's priced models by name with their exact prices, and not the local engine's", async () => {
    const t = await createTenant(server);
    const { models } = await (await t.as("member")).platform.models.query();
    await expectPricedList(
      server,
      models.map((m) => m.model),
      OPENAI_MODELS,
      ["openai"],
    );
    expect(models.map((m) => m.model)).not.toContain("local-rules");
    expect(models.find((m) => m.model === "gpt-4o-mini")).toEqual({
      model: "gpt-4o-mini",
      provider: "openai",
      inputPerMillion: "0.150000",
      cachedInputPerMillion: "0.075000",
      outputPerMillion: "0.600000",
      effectiveFrom: new Date("2025-01-01T00:00:00Z"),
    });
  });

  it("agrees with platform.config.update: every listed model is accepted, an unlisted one refused", async () => {
    const t = await createTenant(server);
    const admin = await t.as("admin");
    const { models } = await admin.platform.models.query();
    let version = 1;
    for (const { model } of models) {
      const { config } = await admin.platform.config.update.mutate({
        featureType: "pdf_analysis",
        expectedVersion: version,
        patch: { model },
      });
      expect(config.model).toBe(model);
      version = config.version;
    }
    expect(models.map((m) => m.model)).not.toContain("local-rules");
    const e = await expectError(
      admin.platform.config.update.mutate({
        featureType: "pdf_analysis",
        expectedVersion: version,
        patch: { model: "local-rules" },
      }),
      "BAD_REQUEST",
    );
    expect(e.data?.fieldErrors.map((f) => f.field)).toEqual(["patch.model"]);
  });

  it("a new price is listed once loaded, a future one only from its date, and a price change shows the newest", async () => {
    const t = await createTenant(server);
    const member = await t.as("member");
    const model = `priced-${t.organizationId.slice(0, 8)}`;
    const future = `future-${t.organizationId.slice(0, 8)}`;
    await server.services.db.insert(aiModelPrices).values([
      {
        provider: "openai",
        model,
        inputPerMillion: "1.000000",
        cachedInputPerMillion: "0.500000",
        outputPerMillion: "4.000000",
        effectiveFrom: new Date("2025-01-01T00:00:00Z"),
      },
      {
        provider: "openai",
        model,
        inputPerMillion: "0.800000",
        cachedInputPerMillion: "0.400000",
        outputPerMillion: "3.200000",
        effectiveFrom: new Date("2025-06-01T00:00:00Z"),
      },
      {
        provider: "openai",
        model: future,
        inputPerMillion: "1.000000",
        cachedInputPerMillion: "0.500000",
        outputPerMillion: "4.000000",
        effectiveFrom: new Date("2999-01-01T00:00:00Z"),
      },
    ]);
    await server.services.prices.reload();
    const { models } = await member.platform.models.query();
    expect(models.filter((m) => m.model === model)).toEqual([
      expect.objectContaining({ inputPerMillion: "0.800000", outputPerMillion: "3.200000" }),
    ]);
    expect(models.map((m) => m.model)).not.toContain(future);
    // Not listed, and not accepted either.
    await expectError(
      (await t.as("admin")).platform.config.update.mutate({
        featureType: "field_extraction",
        expectedVersion: 1,
        patch: { model: future },
      }),
      "BAD_REQUEST",
    );
  });
});

describe("platform.models with the local rules engine", () => {
  let server: RunningServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(() => server?.close());

  it("lists every priced name, since the local engine answers (at its own price) for any of them", async () => {
    const t = await createTenant(server);
    const admin = await t.as("admin");
    const { models } = await admin.platform.models.query();
    // The local engine answers for any priced name, whoever prices it.
    await expectPricedList(
      server,
      models.map((m) => m.model),
      [...OPENAI_MODELS, "local-rules"],
    );
    const { config } = await admin.platform.config.update.mutate({
      featureType: "field_extraction",
      expectedVersion: 1,
      patch: { model: "local-rules" },
    });
    expect(config.model).toBe("local-rules");
  });

  it("members may read it; no session is UNAUTHORIZED; another organization is NOT_FOUND", async () => {
    const t = await createTenant(server);
    const other = await createTenant(server);
    const { models } = await (await t.as("member")).platform.models.query({
      organizationId: t.organizationId,
    });
    expect(models.length).toBeGreaterThan(0);
    await expectError(createWedsyncClient({ url: server.url }).platform.models.query(), "UNAUTHORIZED");
    await expectError(
      (await t.as("member")).platform.models.query({ organizationId: other.organizationId }),
      "NOT_FOUND",
    );
  });
});
