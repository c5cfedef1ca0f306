/**
 * The MCP server at /mcp, driven by the official SDK's own client over Streamable HTTP against the
 * real server (the OpenAI-compatible provider pointed at the fake upstream, so requests cost
 * something): the tools it lists, each tool's answer against the tRPC API's, a usage row per
 * processing call with channel "mcp", refusals as tool errors, and the key it requires.
 */
import { randomUUID } from "node:crypto";
import { request } from "node:http";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import type { RunningServer } from "@wedsync/api/server";
import { PROCESS_BODY_LIMIT_BYTES } from "@wedsync/core";
import { type FakeOpenAI, startFakeOpenAI } from "@wedsync/fake-openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer } from "./harness/server";
import { createTenant, TEST_PASSWORD, type Tenant } from "./harness/tenant";
import { byStatus, micros, usageRows } from "./harness/usage";

const INQUIRY = `Hi! We're Emma & Liam, getting married on 12 June 2027 at Kew Gardens, London.
About 120 guests, flower budget £2,500. Reach me at emma@example.com.`;

const TOOLS = [
  "estimate_cost",
  "get_client_config",
  "get_invoice",
  "get_job",
  "get_platform_config",
  "get_usage",
  "list_clients",
  "process_document",
  "update_client_config",
];

let fake: FakeOpenAI;
let server: RunningServer;
const open: Client[] = [];
beforeAll(async () => {
  fake = await startFakeOpenAI();
  server = await startTestServer({
    providers: {
      openai: { apiKey: "sk-test", baseURL: fake.url },
      timeoutMs: 5_000,
      retry: { maxAttempts: 1, initialDelayMs: 5, maxDelayMs: 20 },
      breaker: { failureThreshold: 1_000, halfOpenAfterMs: 60_000 },
    },
    // A queue of this file's own: on PostgreSQL other files' servers share the database.
    jobs: { queue: `mcp-test-${randomUUID().slice(0, 8)}`, pollSeconds: 0.5 },
  });
});
afterAll(async () => {
  await Promise.all(open.map((c) => c.close()));
  await server?.close();
  await fake?.close();
});

/** A tool's structured result: JSON, read by path in the assertions. */
// biome-ignore lint/suspicious/noExplicitAny: JSON whose shape each assertion states
type Structured = Record<string, any>;

/** The SDK's client, connected to /mcp with an API key (initialize and all). */
async function mcpClient(key: string): Promise<Client> {
  const client = new Client({ name: "wedsync-tests", version: "1.0.0" });
  await client.connect(
    new StreamableHTTPClientTransport(new URL(`${server.url}/mcp`), {
      requestInit: { headers: { authorization: `Bearer ${key}` } },
    }),
  );
  open.push(client);
  return client;
}

async function call(client: Client, name: string, args: Record<string, unknown> = {}) {
  return (await client.callTool({ name, arguments: args })) as CallToolResult;
}

/** A successful call's structured result (fails the test with the tool's error text otherwise). */
async function ok(client: Client, name: string, args: Record<string, unknown> = {}) {
  const res = await call(client, name, args);
  expect(res.isError ?? false, textOf(res)).toBe(false);
  expect(res.content[0]).toMatchObject({ type: "text" });
  // The same JSON as text, for clients that do not read structured content.
  expect(JSON.parse((res.content[1] as { text: string }).text)).toEqual(res.structuredContent);
  return res.structuredContent as Structured;
}

/** A refused call: a tool error whose text starts with the platform's code. */
async function refused(client: Client, name: string, args: Record<string, unknown>, code: string) {
  const res = await call(client, name, args);
  expect(res.isError, textOf(res)).toBe(true);
  const text = textOf(res);
  expect(text.startsWith(`${code}: `), text).toBe(true);
  expect(text).not.toMatch(/\n\s+at /); // never a stack
  return { text, structured: res.structuredContent as Structured | undefined };
}

function fieldsOf(refusal: { structured?: Structured | undefined }): string[] {
  return (refusal.structured?.fieldErrors ?? []).map((f: { field: string }) => f.field);
}

function textOf(res: CallToolResult): string {
  return res.content.map((c) => (c.type === "text" ? c.text : "")).join("\n");
}

/** What the tRPC client got (superjson: dates as Date), as JSON like MCP carries it. */
function asJson(value: unknown) {
  return JSON.parse(JSON.stringify(value));
}

describe("MCP server: tools", () => {
  let t: Tenant;
  let admin: Client;
  let adminKey: Awaited<ReturnType<Tenant["apiKey"]>>;
  beforeAll(async () => {
    t = await createTenant(server, { clients: 3 });
    adminKey = await t.apiKey("admin");
    admin = await mcpClient(adminKey.key);
  });

  it("lists the nine tools, each with a description and an object input schema", async () => {
    const { tools } = await admin.listTools();
    expect(tools.map((tool) => tool.name).sort()).toEqual(TOOLS);
    for (const tool of tools) {
      expect(tool.description!.length, tool.name).toBeGreaterThan(60);
      expect(tool.inputSchema.type).toBe("object");
    }
    const process = tools.find((tool) => tool.name === "process_document")!;
    expect(process.inputSchema.required).toEqual(["clientId", "featureType"]);
    expect(process.inputSchema.properties).toMatchObject({
      clientId: { type: "string", format: "uuid" },
      featureType: { enum: ["pdf_analysis", "field_extraction", "smart_mapping"] },
      pdfBase64: { type: "string" },
      text: { type: "string" },
    });
    expect(process.annotations).toMatchObject({ readOnlyHint: false });
    expect(tools.find((tool) => tool.name === "get_usage")!.annotations).toMatchObject({
      readOnlyHint: true,
    });
    expect(admin.getServerVersion()?.name).toBe("wedsync-ai-platform");
    expect(admin.getInstructions()).toContain("process_document");
  });

  it("the reading tools answer exactly what the tRPC procedures answer", async () => {
    const owner = await t.as("owner");
    const platform = await ok(admin, "get_platform_config");
    expect(platform).toEqual(asJson(await owner.platform.config.get.query()));
    expect(platform.features).toHaveLength(3);

    const page = await ok(admin, "list_clients", { limit: 2 });
    expect(page).toEqual(asJson(await owner.clients.list.query({ limit: 2 })));
    expect(page.clients).toHaveLength(2);
    expect(page.total).toBe(3);
    const rest = await ok(admin, "list_clients", { limit: 2, cursor: page.nextCursor });
    expect(rest.clients).toHaveLength(1);

    const config = await ok(admin, "get_client_config", { clientId: t.clientIds[1] });
    expect(config).toEqual(asJson(await owner.clients.config.get.query({ clientId: t.clientIds[1]! })));
    expect(config.client.id).toBe(t.clientIds[1]);
  });

  it("update_client_config overrides within the platform's limits, audited as the key; stale versions conflict", async () => {
    const owner = await t.as("owner");
    const clientId = t.clientIds[2]!;
    const res = await call(admin, "update_client_config", {
      clientId,
      featureType: "field_extraction",
      expectedVersion: 0,
      overrides: { maxRequestsPerDay: 7, maxCostPerDay: "1.5" },
      featureSettings: { confidenceThreshold: 0.7 },
    });
    expect(res.isError ?? false, textOf(res)).toBe(false);
    expect(textOf(res)).toContain("version 1");
    const cfg = await owner.clients.config.get.query({ clientId });
    const feature = cfg.features.find((f) => f.featureType === "field_extraction")!;
    expect(feature).toMatchObject({
      version: 1,
      effective: { maxRequestsPerDay: 7, maxCostPerDay: "1.50" },
      override: { featureSettings: { confidenceThreshold: 0.7 } },
    });
    const audit = await owner.platform.audit.list.query({ entityId: feature.override!.id });
    expect(audit.entries[0]).toMatchObject({ action: "create", actorApiKeyId: adminKey.id });

    // Above the platform's cap: the procedure's own check, its field named; nothing changed.
    const platformCap = feature.platform.maxRequestsPerDay;
    const over = await refused(
      admin,
      "update_client_config",
      {
        clientId,
        featureType: "field_extraction",
        expectedVersion: 1,
        overrides: { maxRequestsPerDay: platformCap + 1 },
      },
      "BAD_REQUEST",
    );
    expect(fieldsOf(over)).toContain("overrides.maxRequestsPerDay");
    expect(over.text).toContain("overrides.maxRequestsPerDay");

    const stale = await refused(
      admin,
      "update_client_config",
      { clientId, featureType: "field_extraction", expectedVersion: 0, overrides: { maxRequestsPerDay: 3 } },
      "CONFLICT",
    );
    expect(stale.structured!.details.currentVersion).toBe(1);
    const after = await owner.clients.config.get.query({ clientId });
    expect(after.features.find((f) => f.featureType === "field_extraction")).toMatchObject({
      version: 1,
      effective: { maxRequestsPerDay: 7 },
    });
  });

  it("process_document runs through admission and billing: one usage row, channel mcp; the same key replays", async () => {
    const args = {
      clientId: t.clientIds[0],
      featureType: "field_extraction",
      text: INQUIRY,
      idempotencyKey: "mcp-once",
    };
    const estimate = await ok(admin, "estimate_cost", {
      clientId: args.clientId,
      featureType: args.featureType,
      text: INQUIRY,
    });
    // Estimating runs nothing and records nothing.
    expect(await usageRows(server, t.organizationId)).toHaveLength(0);

    const first = await ok(admin, "process_document", args);
    expect(first.usage).toMatchObject({ replayed: false, provider: "openai" });
    expect(first.result).toHaveProperty("fields");
    let rows = await usageRows(server, t.organizationId);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      requestId: first.usage.requestId,
      status: "succeeded",
      clientId: args.clientId,
      costUsd: first.usage.costUsd,
      metadata: expect.objectContaining({ channel: "mcp", actorApiKeyId: adminKey.id }),
    });
    expect(micros(first.usage.costUsd)).toBeGreaterThan(0n);

    // The estimate is the reservation's worst case: never below the charge, at the client's model.
    expect(estimate).toMatchObject({ model: rows[0]!.model, enabled: true, maxOutputTokens: 1024 });
    expect(micros(estimate.maxCostUsd)).toBeGreaterThanOrEqual(micros(first.usage.costUsd));

    const again = await ok(admin, "process_document", args);
    expect(again.usage).toMatchObject({ replayed: true, requestId: first.usage.requestId });
    expect(again.result).toEqual(first.result);
    // The same key over /trpc is the same request too: idempotency does not depend on the surface.
    const viaTrpc = await adminKey.client.clients.process.mutate({
      clientId: t.clientIds[0]!,
      featureType: "field_extraction",
      input: { text: INQUIRY },
      idempotencyKey: "mcp-once",
    });
    expect(viaTrpc.usage).toMatchObject({ replayed: true, requestId: first.usage.requestId });
    rows = await usageRows(server, t.organizationId);
    expect(rows).toHaveLength(1);

    // A different document with the same key is a conflict, not a second charge.
    await refused(admin, "process_document", { ...args, text: "Another enquiry entirely" }, "CONFLICT");
    // And the same call over /trpc without a key is recorded as channel trpc.
    await adminKey.client.clients.process.mutate({
      clientId: t.clientIds[0]!,
      featureType: "field_extraction",
      input: { text: INQUIRY },
    });
    rows = await usageRows(server, t.organizationId);
    expect(rows.map((r) => r.metadata.channel)).toEqual(["mcp", "trpc"]);
  });

  it("smart_mapping and pdf_analysis take their own arguments", async () => {
    const mapped = await ok(admin, "process_document", {
      clientId: t.clientIds[1],
      featureType: "smart_mapping",
      sourceFields: [{ name: "bride_name", value: "Emma" }],
      targetLabels: ["Partner 1"],
    });
    expect(mapped.result).toHaveProperty("mappings");
    // pdf_analysis reads a PDF, not text: the argument is named, nothing runs.
    const before = (await usageRows(server, t.organizationId)).length;
    const wrong = await refused(
      admin,
      "process_document",
      { clientId: t.clientIds[1], featureType: "pdf_analysis", text: INQUIRY },
      "BAD_REQUEST",
    );
    expect(fieldsOf(wrong)).toEqual(["text", "pdfBase64"]);
    expect(wrong.text).toContain("pdfBase64: required for pdf_analysis");
    expect(wrong.text).toContain("text: not used by pdf_analysis");
    // Bytes that are no PDF: the platform's own refusal, its field under the tool's name.
    const notPdf = await refused(
      admin,
      "process_document",
      {
        clientId: t.clientIds[1],
        featureType: "pdf_analysis",
        pdfBase64: Buffer.from("hello").toString("base64"),
      },
      "BAD_REQUEST",
    );
    expect(fieldsOf(notPdf)).toEqual(["pdfBase64"]);
    expect((await usageRows(server, t.organizationId)).length).toBe(before);
  });

  it("a heavy document goes to a background job: get_job follows it to the result, billed once as mcp", async () => {
    const t2 = await createTenant(server);
    const key = await t2.apiKey("member");
    const member = await mcpClient(key.key);
    // Past the size above which clients.process hands text to a job (BACKGROUND_TEXT_CHARS).
    const long = `${INQUIRY}\n${"We would love peonies and garden roses. ".repeat(1_500)}`;
    const queued = await ok(member, "process_document", {
      clientId: t2.clientIds[0],
      featureType: "field_extraction",
      text: long,
    });
    expect(queued.jobId).toMatch(/^[0-9a-f-]{36}$/);
    let job: Structured;
    const until = Date.now() + 30_000;
    for (;;) {
      job = await ok(member, "get_job", { jobId: queued.jobId });
      if (["succeeded", "failed", "cancelled"].includes(job.status) || Date.now() > until) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    expect(job.status).toBe("succeeded");
    expect(job).toEqual(asJson(await key.client.jobs.get.query({ jobId: queued.jobId })));
    expect(job.result.result).toHaveProperty("fields");
    const rows = await usageRows(server, t2.organizationId);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      requestId: job.requestId,
      status: "succeeded",
      costUsd: job.result.usage.costUsd,
      metadata: expect.objectContaining({ channel: "mcp", actorApiKeyId: key.id }),
    });
    // Another organization's job is not found.
    await refused(admin, "get_job", { jobId: queued.jobId }, "NOT_FOUND");
  });

  it("get_usage and get_invoice answer what usage.byFeature and billing.invoices answer", async () => {
    const owner = await t.as("owner");
    const usage = await ok(admin, "get_usage");
    const today = usage.today as string;
    expect(usage.period).toEqual({ from: `${today.slice(0, 7)}-01`, to: today });
    expect(usage).toEqual(asJson(await owner.usage.byFeature.query({ ...usage.period, by: "day" })));
    const extraction = usage.features.find(
      (f: { featureType: string }) => f.featureType === "field_extraction",
    );
    expect(extraction.requests).toBe(2);

    const draft = await ok(admin, "get_invoice", { from: today, to: today });
    const viaTrpc = await owner.billing.invoices.preview.query({ from: today, to: today });
    expect(draft.issued).toBe(false);
    expect(draft.invoice.totalUsd).toBe(viaTrpc.invoice.totals.total);
    expect(draft.invoice.lines.reduce((n: number, l: { requests: number }) => n + l.requests, 0)).toBe(3);
    expect(await ok(admin, "get_invoice")).toEqual({ invoices: [] });
    const half = await refused(admin, "get_invoice", { from: today }, "BAD_REQUEST");
    expect(half.text).toContain("to: send both from and to, or neither");
  });
});

describe("MCP server: refusals", () => {
  it("a daily request cap reached is TOO_MANY_REQUESTS with its reason; the refusal is recorded as mcp, not billed", async () => {
    const t = await createTenant(server);
    const owner = await t.as("owner");
    const config = await owner.platform.config.get.query();
    const extraction = config.features.find((f) => f.featureType === "field_extraction")!;
    await owner.platform.config.update.mutate({
      featureType: "field_extraction",
      expectedVersion: extraction.version,
      patch: { maxRequestsPerDay: 1 },
    });
    const member = await mcpClient((await t.apiKey("member")).key);
    const args = { clientId: t.clientIds[0], featureType: "field_extraction", text: INQUIRY };
    await ok(member, "process_document", args);
    const capped = await refused(member, "process_document", args, "TOO_MANY_REQUESTS");
    expect(capped.text).toContain("daily request cap");
    expect(capped.structured).toMatchObject({
      code: "TOO_MANY_REQUESTS",
      details: { reason: "daily_request_cap" },
    });
    expect(capped.structured!.details.retryAfterSeconds).toBeGreaterThan(0);
    const rows = await usageRows(server, t.organizationId);
    expect(byStatus(rows)).toEqual({ succeeded: 1, rejected: 1 });
    expect(rows.every((r) => r.metadata.channel === "mcp")).toBe(true);
    expect(rows.find((r) => r.status === "rejected")).toMatchObject({
      rejectionReason: "daily_request_cap",
      costUsd: null,
    });
  });

  it("a member key may read and process but not change configuration or read invoices", async () => {
    const t = await createTenant(server);
    const member = await mcpClient((await t.apiKey("member")).key);
    await ok(member, "get_client_config", { clientId: t.clientIds[0] });
    const update = await refused(
      member,
      "update_client_config",
      {
        clientId: t.clientIds[0],
        featureType: "field_extraction",
        expectedVersion: 0,
        overrides: { maxRequestsPerDay: 5 },
      },
      "FORBIDDEN",
    );
    expect(update.text).toContain("admin API key");
    const owner = await t.as("owner");
    const cfg = await owner.clients.config.get.query({ clientId: t.clientIds[0]! });
    expect(cfg.features.every((f) => f.override === null)).toBe(true);
    // Billing is for owners and admins: the procedure's own role check.
    const invoice = await refused(member, "get_invoice", {}, "FORBIDDEN");
    expect(invoice.text).toContain("admin role");
  });

  it("another organization's client is NOT_FOUND, for reading, changing and processing; nothing recorded", async () => {
    const [a, b] = await Promise.all([createTenant(server), createTenant(server)]);
    const admin = await mcpClient((await a.apiKey("admin")).key);
    const foreign = b.clientIds[0];
    await refused(admin, "get_client_config", { clientId: foreign }, "NOT_FOUND");
    await refused(
      admin,
      "update_client_config",
      {
        clientId: foreign,
        featureType: "field_extraction",
        expectedVersion: 0,
        overrides: { isEnabled: false },
      },
      "NOT_FOUND",
    );
    await refused(
      admin,
      "process_document",
      { clientId: foreign, featureType: "field_extraction", text: INQUIRY },
      "NOT_FOUND",
    );
    await refused(
      admin,
      "estimate_cost",
      { clientId: foreign, featureType: "field_extraction", text: INQUIRY },
      "NOT_FOUND",
    );
    expect(await usageRows(server, a.organizationId)).toHaveLength(0);
    expect(await usageRows(server, b.organizationId)).toHaveLength(0);
  });

  it("input that fails a tool's schema is BAD_REQUEST naming each field; nothing runs", async () => {
    const t = await createTenant(server);
    const admin = await mcpClient((await t.apiKey("admin")).key);
    const badId = await refused(admin, "get_client_config", { clientId: "not-a-uuid" }, "BAD_REQUEST");
    expect(badId.text).toBe("BAD_REQUEST: Invalid input: clientId: Invalid UUID");
    expect(badId.structured).toMatchObject({ fieldErrors: [{ field: "clientId", message: "Invalid UUID" }] });
    const missing = await refused(
      admin,
      "process_document",
      { clientId: t.clientIds[0], featureType: "field_extraction" },
      "BAD_REQUEST",
    );
    expect(missing.text).toContain("text: required for field_extraction");
    const several = await refused(
      admin,
      "update_client_config",
      {
        clientId: t.clientIds[0],
        featureType: "catering",
        expectedVersion: -1,
        overrides: { maxCostPerDay: "lots" },
      },
      "BAD_REQUEST",
    );
    expect(fieldsOf(several)).toEqual(["featureType", "expectedVersion", "overrides.maxCostPerDay"]);
    expect(fieldsOf(await refused(admin, "list_clients", { limit: 0 }, "BAD_REQUEST"))).toEqual(["limit"]);
    expect(
      fieldsOf(await refused(admin, "get_usage", { from: "2026-02-30", to: "x" }, "BAD_REQUEST")),
    ).toEqual(["from", "to"]);
    expect(await usageRows(server, t.organizationId)).toHaveLength(0);
    // A tool that does not exist is the protocol's error, not a tool's.
    await expect(admin.callTool({ name: "delete_everything", arguments: {} })).rejects.toThrow(/not found/);
  });
});

describe("MCP server: a client that goes away", () => {
  it("disconnecting mid-call cancels the provider call: the request ends failed, not answered later", async () => {
    const t = await createTenant(server);
    const client = await mcpClient((await t.apiKey("member")).key);
    fake.setBehavior({ kind: "hang" });
    try {
      const before = fake.requestCount;
      const pending = client
        .callTool({
          name: "process_document",
          arguments: { clientId: t.clientIds[0], featureType: "field_extraction", text: INQUIRY },
        })
        .catch((err: unknown) => err);
      while (fake.requestCount === before) await new Promise((r) => setTimeout(r, 20));
      await client.close();
      await pending;
      // Without the cancel the upstream would time out and the local engine answer (succeeded).
      let rows = await usageRows(server, t.organizationId);
      while (rows[0]?.status === "pending") {
        await new Promise((r) => setTimeout(r, 50));
        rows = await usageRows(server, t.organizationId);
      }
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({
        status: "failed",
        metadata: expect.objectContaining({ channel: "mcp" }),
      });
    } finally {
      fake.reset();
    }
  });
});

describe("MCP server: authorization", () => {
  const initialize = {
    jsonrpc: "2.0",
    id: 1,
    method: "initialize",
    params: { protocolVersion: "2025-06-18", capabilities: {}, clientInfo: { name: "raw", version: "1" } },
  };
  const post = (headers: Record<string, string>) =>
    fetch(`${server.url}/mcp`, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        accept: "application/json, text/event-stream",
        ...headers,
      },
      body: JSON.stringify(initialize),
    });

  it("no key, a bad key or a session cookie alone: 401 with a JSON-RPC error and WWW-Authenticate", async () => {
    const t = await createTenant(server);
    const session = await fetch(`${server.url}/trpc/auth.login`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ json: { email: t.emails.owner, password: TEST_PASSWORD } }),
    });
    const cookie = session.headers.getSetCookie()[0]!.split(";")[0]!;
    expect(cookie).toMatch(/^wedsync_session=/);
    for (const [headers, challenge] of [
      [{}, "Bearer"],
      [
        { authorization: "Bearer wsk_abcdefgh_0123456789abcdefghijklmnopqrstuv" },
        'Bearer error="invalid_token"',
      ],
      [{ cookie }, "Bearer"],
    ] as const) {
      const res = await post(headers);
      expect(res.status).toBe(401);
      expect(res.headers.get("www-authenticate")).toBe(challenge);
      const body = (await res.json()) as {
        jsonrpc: string;
        id: null;
        error: { code: number; message: string };
      };
      expect(body).toMatchObject({ jsonrpc: "2.0", id: null, error: { code: -32000 } });
      expect(body.error.message).toMatch(/^UNAUTHORIZED: /);
    }
    // The SDK's client is refused at connect.
    const client = new Client({ name: "wedsync-tests", version: "1.0.0" });
    await expect(
      client.connect(
        new StreamableHTTPClientTransport(new URL(`${server.url}/mcp`), {
          requestInit: { headers: { authorization: "Bearer nope" } },
        }),
      ),
    ).rejects.toMatchObject({ code: 401, message: expect.stringContaining("UNAUTHORIZED") });
  });

  it("a revoked key stops working at the next call; GET is 405 (stateless: no stream to open)", async () => {
    const t = await createTenant(server);
    const key = await t.apiKey("admin");
    const res = await post({ authorization: `Bearer ${key.key}` });
    expect(res.status).toBe(200);
    expect(res.headers.get("mcp-session-id")).toBeNull();
    const get = await fetch(`${server.url}/mcp`, { headers: { authorization: `Bearer ${key.key}` } });
    expect(get.status).toBe(405);
    const owner = await t.as("owner");
    await owner.apiKeys.revoke.mutate({ id: key.id });
    expect((await post({ authorization: `Bearer ${key.key}` })).status).toBe(401);
  });

  it("a body over clients.process's limit is refused from its Content-Length with 413, before it is read", async () => {
    const t = await createTenant(server);
    const key = await t.apiKey("admin");
    const { status, body } = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = request(`${server.url}/mcp`, {
        method: "POST",
        headers: {
          authorization: `Bearer ${key.key}`,
          "content-type": "application/json",
          accept: "application/json, text/event-stream",
          "content-length": String(PROCESS_BODY_LIMIT_BYTES + 1),
        },
      });
      req.on("response", (res) => {
        let text = "";
        res.setEncoding("utf8");
        res.on("data", (chunk: string) => {
          text += chunk;
        });
        res.on("end", () => {
          resolve({ status: res.statusCode!, body: text });
          // The rest of the declared body is never sent.
          req.destroy();
        });
      });
      req.on("error", reject);
      req.write("{");
    });
    expect(status).toBe(413);
    expect(JSON.parse(body)).toMatchObject({ jsonrpc: "2.0", error: { code: -32000 } });
  });
});
