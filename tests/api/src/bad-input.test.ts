/**
 * Every mutation fed what a careless or hostile caller might send: BAD_REQUEST naming the field,
 * never a 500, and nothing written.
 */

import { appRouter } from "@wedsync/api/router";
import type { RunningServer } from "@wedsync/api/server";
import { createWedsyncSessionClient, type WedsyncClient } from "@wedsync/client";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expectError, fieldsOf } from "./harness/errors";
import { snapshotOrganization } from "./harness/queries";
import { startTestServer } from "./harness/server";
import { createTenant, TEST_PASSWORD } from "./harness/tenant";

let server: RunningServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server?.close());

const long = (n: number) => "x".repeat(n);

type Case = [
  description: string,
  field: string,
  call: (c: WedsyncClient, clientId: string) => Promise<unknown>,
];

// Inputs are deliberately ill-typed: cast through `never` to get them past the typed client.
const update = (c: WedsyncClient, input: unknown) => c.platform.config.update.mutate(input as never);
const clientUpdate = (c: WedsyncClient, input: unknown) => c.clients.config.update.mutate(input as never);
const okPlatform = { featureType: "pdf_analysis", expectedVersion: 1 };
const okClient = (clientId: string) => ({ clientId, featureType: "field_extraction", expectedVersion: 0 });

const CASES: Case[] = [
  [
    "unknown feature",
    "featureType",
    (c) => update(c, { ...okPlatform, featureType: "mind_reading", patch: { priorityLevel: 2 } }),
  ],
  [
    "version as a string",
    "expectedVersion",
    (c) => update(c, { ...okPlatform, expectedVersion: "1", patch: { priorityLevel: 2 } }),
  ],
  [
    "negative daily requests",
    "patch.maxRequestsPerDay",
    (c) => update(c, { ...okPlatform, patch: { maxRequestsPerDay: -1 } }),
  ],
  [
    "fractional daily requests",
    "patch.maxRequestsPerDay",
    (c) => update(c, { ...okPlatform, patch: { maxRequestsPerDay: 1.5 } }),
  ],
  [
    "huge daily requests",
    "patch.maxRequestsPerDay",
    (c) => update(c, { ...okPlatform, patch: { maxRequestsPerDay: 1e12 } }),
  ],
  [
    "negative cost cap",
    "patch.maxCostPerDay",
    (c) => update(c, { ...okPlatform, patch: { maxCostPerDay: "-5.00" } }),
  ],
  [
    "cost cap with 3 decimals",
    "patch.maxCostPerDay",
    (c) => update(c, { ...okPlatform, patch: { maxCostPerDay: "1.234" } }),
  ],
  [
    "cost cap that is not a number",
    "patch.maxCostPerDay",
    (c) => update(c, { ...okPlatform, patch: { maxCostPerDay: "lots" } }),
  ],
  [
    "priority out of range",
    "patch.priorityLevel",
    (c) => update(c, { ...okPlatform, patch: { priorityLevel: 0 } }),
  ],
  [
    "rate limit as boolean",
    "patch.rateLimitPerMinute",
    (c) => update(c, { ...okPlatform, patch: { rateLimitPerMinute: true } }),
  ],
  ["oversized model name", "patch.model", (c) => update(c, { ...okPlatform, patch: { model: long(101) } })],
  [
    "model name with spaces",
    "patch.model",
    (c) => update(c, { ...okPlatform, patch: { model: "gpt 4; drop table" } }),
  ],
  ["empty patch", "patch", (c) => update(c, { ...okPlatform, patch: {} })],
  [
    "unknown patch field",
    "patch",
    (c) => update(c, { ...okPlatform, patch: { priorityLevel: 2, isAdmin: true } }),
  ],
  [
    "malformed organization id",
    "organizationId",
    (c) => update(c, { ...okPlatform, organizationId: "org-1", patch: { priorityLevel: 2 } }),
  ],
  [
    "rollback audit id negative",
    "auditId",
    (c) => c.platform.config.rollback.mutate({ auditId: -1, expectedVersion: 1 }),
  ],
  [
    "rollback audit id as text",
    "auditId",
    (c) => c.platform.config.rollback.mutate({ auditId: "abc", expectedVersion: 1 } as never),
  ],
  ["toggle with no toggles", "toggles", (c) => c.platform.features.toggle.mutate({ toggles: [] })],
  [
    "toggle naming a feature twice",
    "toggles",
    (c) =>
      c.platform.features.toggle.mutate({
        toggles: [
          { featureType: "pdf_analysis", isEnabled: true },
          { featureType: "pdf_analysis", isEnabled: false },
        ],
      }),
  ],
  [
    "toggle with isEnabled as text",
    "toggles.0.isEnabled",
    (c) =>
      c.platform.features.toggle.mutate({
        toggles: [{ featureType: "pdf_analysis", isEnabled: "yes" }],
      } as never),
  ],
  [
    "toggle with a malformed org id",
    "organizationIds.0",
    (c) =>
      c.platform.features.toggle.mutate({
        organizationIds: ["x"],
        toggles: [{ featureType: "pdf_analysis", isEnabled: true }],
      }),
  ],
  [
    "malformed client id",
    "clientId",
    (c) => clientUpdate(c, { ...okClient("123"), overrides: { maxRequestsPerDay: 1 } }),
  ],
  [
    "negative client version",
    "expectedVersion",
    (c, id) => clientUpdate(c, { ...okClient(id), expectedVersion: -1 }),
  ],
  [
    "negative client override",
    "overrides.maxRequestsPerDay",
    (c, id) => clientUpdate(c, { ...okClient(id), overrides: { maxRequestsPerDay: -10 } }),
  ],
  [
    "client cost override with 3 decimals",
    "overrides.maxCostPerDay",
    (c, id) => clientUpdate(c, { ...okClient(id), overrides: { maxCostPerDay: "0.001" } }),
  ],
  [
    "unknown override field",
    "overrides",
    (c, id) => clientUpdate(c, { ...okClient(id), overrides: { priorityLevel: 9 } }),
  ],
  [
    "oversized custom prompt",
    "customPrompts.instructions",
    (c, id) => clientUpdate(c, { ...okClient(id), customPrompts: { instructions: long(2001) } }),
  ],
  [
    "confidence above 1",
    "featureSettings.confidenceThreshold",
    (c, id) => clientUpdate(c, { ...okClient(id), featureSettings: { confidenceThreshold: 2 } }),
  ],
  [
    "too many excluded fields",
    "featureSettings.excludedFields",
    (c, id) => clientUpdate(c, { ...okClient(id), featureSettings: { excludedFields: Array(51).fill("a") } }),
  ],
  [
    "currency not ISO",
    "processingPreferences.currency",
    (c, id) => clientUpdate(c, { ...okClient(id), processingPreferences: { currency: "pounds" } }),
  ],
  [
    "unknown settings key",
    "processingPreferences",
    (c, id) => clientUpdate(c, { ...okClient(id), processingPreferences: { shell: "rm -rf /" } }),
  ],
  ["empty API key name", "name", (c) => c.apiKeys.create.mutate({ name: "" })],
  ["oversized API key name", "name", (c) => c.apiKeys.create.mutate({ name: long(101) })],
  ["API key with owner role", "role", (c) => c.apiKeys.create.mutate({ name: "k", role: "owner" } as never)],
  [
    "API key with unknown default feature",
    "defaultFeature",
    (c) => c.apiKeys.create.mutate({ name: "k", defaultFeature: "x" } as never),
  ],
  ["revoke with malformed id", "id", (c) => c.apiKeys.revoke.mutate({ id: "abc" })],
  [
    "login with a malformed email",
    "email",
    (c) => c.auth.login.mutate({ email: "not-an-email", password: "x" }),
  ],
  [
    "login with an oversized password",
    "password",
    (c) => c.auth.login.mutate({ email: "a@b.test", password: long(201) }),
  ],
  ["audit page too large", "limit", (c) => c.platform.audit.list.query({ limit: 1000 })],
  ["client search too long", "search", (c) => c.clients.list.query({ search: long(101) })],
];

describe("bad input", () => {
  it.each(CASES)("%s → BAD_REQUEST naming %s, nothing written", async (_d, field, call) => {
    const t = await createTenant(server);
    const owner = await t.as("owner");
    const before = await snapshotOrganization(server, t.organizationId);
    const e = await expectError(call(owner, t.clientIds[0]!), "BAD_REQUEST");
    expect(fieldsOf(e)).toContain(field);
    expect(e.message).toContain(field);
    expect(await snapshotOrganization(server, t.organizationId)).toEqual(before);
    expect(await owner.apiKeys.list.query()).toEqual([]);
  });
});

describe("HTTP edges", () => {
  it("/healthz reports the database reachable and migrations applied", async () => {
    const res = await fetch(`${server.url}/healthz`);
    expect(res.status).toBe(200);
    const body = (await res.json()) as {
      status: string;
      migrations: { applied: number; expected: number };
      providers: unknown[];
    };
    expect(body).toMatchObject({ status: "ok", database: "reachable" });
    expect(body.migrations.applied).toBe(body.migrations.expected);
    expect(body.migrations.applied).toBeGreaterThanOrEqual(3);
    expect(body.providers).toEqual([
      { name: "local", role: "primary", circuit: "closed", consecutiveFailures: 0 },
    ]);
  });

  it("an unknown procedure is NOT_FOUND, with a request id", async () => {
    const res = await fetch(`${server.url}/trpc/platform.config.delete`);
    expect(res.status).toBe(404);
    const body = (await res.json()) as { error: { json: { data: { code: string; requestId: string } } } };
    expect(body.error.json.data.code).toBe("NOT_FOUND");
    expect(body.error.json.data.requestId).toBe(res.headers.get("x-request-id"));
  });

  it("malformed JSON is a 400, not a 500", async () => {
    const res = await fetch(`${server.url}/trpc/auth.login`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: "{not json",
    });
    expect(res.status).toBe(400);
  });

  it("a body over the limit is refused with 413 without being read whole", async () => {
    const huge = new Uint8Array(5 * 1024 * 1024).fill(120);
    const res = await fetch(`${server.url}/trpc/auth.login`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: huge,
    });
    expect(res.status).toBe(413);
    const body = (await res.json()) as { error: { json: { data: { code: string; requestId: string } } } };
    expect(body.error.json.data).toMatchObject({
      code: "PAYLOAD_TOO_LARGE",
      requestId: res.headers.get("x-request-id"),
    });
  });

  it("every error carries the request id from the response header", async () => {
    const res = await fetch(`${server.url}/trpc/platform.config.get`);
    expect(res.status).toBe(401);
    const body = (await res.json()) as { error: { json: { data: { requestId: string } } } };
    expect(body.error.json.data.requestId).toBe(res.headers.get("x-request-id"));
  });
});

describe("fuzz", () => {
  it("arbitrary JSON sent to every procedure never yields a 5xx", async () => {
    const t = await createTenant(server);
    const jar = { cookie: "" };
    await createWedsyncSessionClient({ url: server.url, jar }).auth.login.mutate({
      email: t.emails.owner,
      password: TEST_PASSWORD,
    });
    const procedures = Object.entries(
      appRouter._def.procedures as unknown as Record<string, { _def: { type: string } }>,
    ).filter(([name]) => name !== "auth.logout");
    const before = await snapshotOrganization(server, t.organizationId);
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...procedures),
        fc.oneof(fc.jsonValue(), fc.string()),
        async ([name, proc], body) => {
          const raw = typeof body === "string" ? body : JSON.stringify({ json: body });
          const res =
            proc._def.type === "query"
              ? await fetch(`${server.url}/trpc/${name}?input=${encodeURIComponent(raw)}`, {
                  headers: { cookie: jar.cookie },
                })
              : await fetch(`${server.url}/trpc/${name}`, {
                  method: "POST",
                  headers: { cookie: jar.cookie, "content-type": "application/json" },
                  body: raw,
                });
          expect(res.status, `${name} ${raw.slice(0, 200)}`).toBeLessThan(500);
        },
      ),
      { numRuns: 300 },
    );
    // Random input rarely forms a valid change; whatever did change went through the audited path:
    // every version step of every config row has exactly one audit row.
    const after = await snapshotOrganization(server, t.organizationId);
    const versionSteps =
      after.platform.reduce((n, p) => n + p.version - 1, 0) +
      after.overrides.reduce((n, o) => n + o.version, 0);
    expect(before.auditRows).toBe(0);
    expect(after.auditRows).toBe(versionSteps);
  });
});
