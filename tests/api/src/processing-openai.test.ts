/**
 * The processing pipeline with the OpenAI-compatible provider, against a fake upstream: a real
 * HTTP server the test starts, which answers normally, fails, or cuts streams on request.
 */

import type { RunningServer } from "@wedsync/api/server";
import { aiApiMetrics, aiModelPrices, costMicros, organizations, priceAt } from "@wedsync/core";
import type { FakeOpenAI } from "@wedsync/fake-openai";
import { and, eq } from "drizzle-orm";
import OpenAI from "openai";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { expectError } from "./harness/errors";
import { type OpenAIServer, startOpenAIServer } from "./harness/openai-server";
import { createTenant } from "./harness/tenant";
import { byStatus, countersOf, micros, usageRows } from "./harness/usage";

const TEXT = "Emma & Liam, 12 June 2027, Kew Gardens, 120 guests, emma@example.com";

let fake: FakeOpenAI;
let server: RunningServer;
let upstream: OpenAIServer;
beforeAll(async () => {
  upstream = await startOpenAIServer({
    timeoutMs: 2_000,
    retry: { maxAttempts: 3, initialDelayMs: 5, maxDelayMs: 20 },
    breaker: { failureThreshold: 1_000, halfOpenAfterMs: 60_000 },
  });
  ({ server, fake } = upstream);
});
afterAll(() => upstream?.close());
beforeEach(() => fake.reset());

async function recompute(rows: Awaited<ReturnType<typeof usageRows>>) {
  const prices = await server.services.db.select().from(aiModelPrices);
  let total = 0n;
  for (const r of rows) {
    if (r.status === "rejected") continue;
    const price = priceAt(
      prices,
      r.provider!,
      r.provider === "local" ? "local-rules" : r.model!,
      r.createdAt,
    )!;
    total += costMicros(
      { inputTokens: r.inputTokens, outputTokens: r.outputTokens, cachedInputTokens: r.cachedInputTokens },
      price,
    );
  }
  return total;
}

describe("clients.process through the OpenAI-compatible provider", () => {
  it("asks for structured output, prices the upstream's usage exactly, and records it once", async () => {
    const t = await createTenant(server);
    fake.setBehavior({
      kind: "ok",
      usage: { prompt_tokens: 1_000, completion_tokens: 500, cached_tokens: 400 },
    });
    const member = await t.as("member");
    const res = await member.clients.process.mutate({
      clientId: t.clientIds[0]!,
      featureType: "field_extraction",
      input: { text: TEXT },
    });
    // gpt-4o-mini: 600 x 0.15 + 400 x 0.075 + 500 x 0.60 per million = 420 micro-dollars
    expect(res.usage).toMatchObject({
      provider: "openai",
      model: "gpt-4o-mini",
      inputTokens: 1_000,
      cachedInputTokens: 400,
      outputTokens: 500,
      costUsd: "0.000420",
      degraded: false,
    });
    expect(fake.requests).toHaveLength(1);
    const body = fake.requests[0]!.body as {
      response_format: { type: string; json_schema: { strict: boolean } };
      model: string;
    };
    expect(body.model).toBe("gpt-4o-mini");
    expect(body.response_format).toMatchObject({ type: "json_schema", json_schema: { strict: true } });
    const rows = await usageRows(server, t.organizationId);
    expect(rows.map((r) => [r.status, r.costUsd])).toEqual([["succeeded", "0.000420"]]);
    const { orgDaily, monthly } = await countersOf(server, t.organizationId);
    expect(orgDaily[0]).toMatchObject({ reservedMicros: 0n, spentMicros: 420n });
    expect(monthly[0]).toMatchObject({ reservedMicros: 0n, spentMicros: 420n });
  });

  it("retries a 500 and succeeds: three upstream requests, one usage row, not degraded", async () => {
    const t = await createTenant(server);
    fake.setBehavior([{ kind: "status", status: 500 }, { kind: "status", status: 500 }, { kind: "ok" }]);
    const res = await (await t.as("member")).clients.process.mutate({
      clientId: t.clientIds[0]!,
      featureType: "field_extraction",
      input: { text: TEXT },
    });
    expect(res.usage).toMatchObject({ provider: "openai", degraded: false });
    expect(fake.requests).toHaveLength(3);
    expect(byStatus(await usageRows(server, t.organizationId))).toEqual({ succeeded: 1 });
  });

  it("when the upstream keeps failing, the local engine answers, marked degraded and free", async () => {
    const t = await createTenant(server);
    fake.setBehavior({ kind: "status", status: 503 });
    const res = await (await t.as("member")).clients.process.mutate({
      clientId: t.clientIds[0]!,
      featureType: "field_extraction",
      input: { text: TEXT },
    });
    expect(res.usage).toMatchObject({ provider: "local", degraded: true, costUsd: "0.000000" });
    expect(fake.requests).toHaveLength(3);
    const rows = await usageRows(server, t.organizationId);
    expect(rows.map((r) => [r.status, r.provider, r.degraded])).toEqual([["succeeded", "local", true]]);
  });

  it("a client that prefers the local engine is never sent to the upstream; one that forbids fallback gets no degraded answer", async () => {
    const t = await createTenant(server, { clients: 2 });
    const [owner, member] = await Promise.all([t.as("owner"), t.as("member")]);
    const prefer = (clientId: string, processingPreferences: Record<string, unknown>) =>
      owner.clients.config.update.mutate({
        clientId,
        featureType: "field_extraction",
        expectedVersion: 0,
        processingPreferences,
      });
    await prefer(t.clientIds[0]!, { preferredProvider: "local" });
    await prefer(t.clientIds[1]!, { allowFallback: false });
    const process = (clientId: string) =>
      member.clients.process.mutate({ clientId, featureType: "field_extraction", input: { text: TEXT } });

    // Local by choice: not degraded, free, and the upstream never saw the client's text.
    const local = await process(t.clientIds[0]!);
    expect(local.usage).toMatchObject({ provider: "local", degraded: false, costUsd: "0.000000" });
    expect(fake.requests).toHaveLength(0);

    // No fallback: the upstream's failure is the answer (after its retries), recorded as failed.
    fake.setBehavior({ kind: "status", status: 503 });
    const e = await expectError(process(t.clientIds[1]!), "SERVICE_UNAVAILABLE");
    expect(e.message).toContain("provider is unavailable");
    expect(fake.requests).toHaveLength(3);
    const rows = await usageRows(server, t.organizationId);
    expect(rows.map((r) => [r.clientId, r.status, r.provider, r.degraded])).toEqual([
      [t.clientIds[0], "succeeded", "local", false],
      [t.clientIds[1], "failed", "openai", false],
    ]);
  });

  it("a 400 from the upstream is not retried and fails the request without charge", async () => {
    const t = await createTenant(server);
    fake.setBehavior({ kind: "status", status: 400 });
    const refused = await expectError(
      (await t.as("member")).clients.process.mutate({
        clientId: t.clientIds[0]!,
        featureType: "field_extraction",
        input: { text: TEXT },
      }),
      "BAD_REQUEST",
    );
    expect(refused.message).toContain("refused");
    expect(fake.requests).toHaveLength(1);
    const rows = await usageRows(server, t.organizationId);
    expect(rows.map((r) => [r.status, r.costUsd])).toEqual([["failed", "0.000000"]]);
    expect((await countersOf(server, t.organizationId)).orgDaily[0]).toMatchObject({
      reservedMicros: 0n,
      spentMicros: 0n,
    });
  });
});

describe("platform configuration with a priced provider", () => {
  it("a model without a price is refused, naming patch.model; a priced one is accepted", async () => {
    const t = await createTenant(server);
    const admin = await t.as("admin");
    const e = await expectError(
      admin.platform.config.update.mutate({
        featureType: "field_extraction",
        expectedVersion: 1,
        patch: { model: "gpt-imaginary" },
      }),
      "BAD_REQUEST",
    );
    expect(e.data?.fieldErrors).toEqual([
      { field: "patch.model", message: expect.stringContaining("openai/gpt-imaginary") },
    ]);
    const ok = await admin.platform.config.update.mutate({
      featureType: "field_extraction",
      expectedVersion: 1,
      patch: { model: "gpt-4.1" },
    });
    expect(ok.config).toMatchObject({ model: "gpt-4.1", version: 2 });
  });
});

describe("caps under concurrency", () => {
  it("against a cost cap, spend never exceeds it, and every reservation is settled", async () => {
    const t = await createTenant(server);
    fake.setBehavior({
      kind: "ok",
      usage: { prompt_tokens: 2_000, completion_tokens: 1_000, cached_tokens: 0 },
    });
    const admin = await t.as("admin");
    // Each request really costs 2000 x 0.15 + 1000 x 0.6 = 900 micro-dollars; the cap is 10,000.
    await admin.platform.config.update.mutate({
      featureType: "field_extraction",
      expectedVersion: 1,
      patch: { maxCostPerDay: "0.01", rateLimitPerMinute: 100_000 },
    });
    const results = await Promise.allSettled(
      Array.from({ length: 200 }, () =>
        admin.clients.process.mutate({
          clientId: t.clientIds[0]!,
          featureType: "field_extraction",
          input: { text: TEXT },
        }),
      ),
    );
    const admitted = results.filter((r) => r.status === "fulfilled").length;
    expect(admitted).toBeGreaterThan(0);
    const rows = await usageRows(server, t.organizationId);
    const spent = rows.reduce((n, r) => n + micros(r.costUsd), 0n);
    expect(spent).toBeLessThanOrEqual(10_000n);
    expect(spent).toBe(BigInt(admitted) * 900n);
    expect(spent).toBe(await recompute(rows));
    expect(
      rows.filter((r) => r.status === "rejected").every((r) => r.rejectionReason === "daily_cost_cap"),
    ).toBe(true);
    const { orgDaily } = await countersOf(server, t.organizationId);
    expect(orgDaily[0]).toMatchObject({ reservedMicros: 0n, spentMicros: spent });
    // $100 monthly limit: a few cents of spend is well inside it.
    expect(await server.services.tracker.checkCostLimit(t.organizationId)).toMatchObject({
      status: "ok",
      limitUsd: "100.00",
    });
  });

  it("the monthly credit limit: PAYMENT_REQUIRED once spend would pass it", async () => {
    const t = await createTenant(server);
    await server.services.db
      .update(organizations)
      .set({ monthlyCreditLimit: "0.00" })
      .where(eq(organizations.id, t.organizationId));
    const e = await expectError(
      (await t.as("member")).clients.process.mutate({
        clientId: t.clientIds[0]!,
        featureType: "field_extraction",
        input: { text: TEXT },
      }),
      "PAYMENT_REQUIRED",
    );
    expect(e.data?.details).toMatchObject({ reason: "credit_limit" });
    expect(fake.requests).toHaveLength(0);
    const rows = await usageRows(server, t.organizationId);
    expect(rows.map((r) => [r.status, r.rejectionReason])).toEqual([["rejected", "credit_limit"]]);
    expect(await server.services.tracker.checkCostLimit(t.organizationId)).toMatchObject({
      status: "exceeded",
      usedUsd: "0.000000",
    });
    // The rejection rolled back the day's reservation with it: nothing counted, nothing reserved.
    const { daily, monthly } = await countersOf(server, t.organizationId);
    expect(daily).toEqual([]);
    expect(monthly).toEqual([]);
  });

  it("a failed request frees its idempotency key: the retry reaches the upstream again", async () => {
    const t = await createTenant(server);
    const member = await t.as("member");
    const input = {
      clientId: t.clientIds[0]!,
      featureType: "field_extraction" as const,
      input: { text: TEXT },
      idempotencyKey: "retry-me",
    };
    fake.setBehavior([{ kind: "status", status: 400 }, { kind: "ok" }]);
    await expectError(member.clients.process.mutate(input), "BAD_REQUEST");
    const ok = await member.clients.process.mutate(input);
    expect(ok.usage).toMatchObject({ replayed: false, provider: "openai" });
    expect(fake.requests).toHaveLength(2);
    expect(byStatus(await usageRows(server, t.organizationId))).toEqual({ failed: 1, succeeded: 1 });
  });

  it("idempotent retries reach the upstream once", async () => {
    const t = await createTenant(server);
    const member = await t.as("member");
    const input = {
      clientId: t.clientIds[0]!,
      featureType: "field_extraction" as const,
      input: { text: TEXT },
      idempotencyKey: "abc",
    };
    const a = await member.clients.process.mutate(input);
    const b = await member.clients.process.mutate(input);
    expect(b.usage).toMatchObject({ replayed: true, requestId: a.usage.requestId });
    expect(fake.requests).toHaveLength(1);
  });
});

describe("POST /v1/chat/completions", () => {
  it("works with the OpenAI SDK, non-streaming, billed like clients.process", async () => {
    const t = await createTenant(server);
    const { key } = await t.apiKey("member");
    fake.setBehavior({
      kind: "ok",
      content: "Hello from upstream",
      usage: { prompt_tokens: 100, completion_tokens: 10, cached_tokens: 0 },
    });
    const openai = new OpenAI({ apiKey: key, baseURL: `${server.url}/v1`, maxRetries: 0 });
    const res = await openai.chat.completions.create({
      model: "ignored",
      messages: [{ role: "user", content: "Hi" }],
    });
    expect(res.choices[0]?.message.content).toBe("Hello from upstream");
    expect(res.usage).toMatchObject({ prompt_tokens: 100, completion_tokens: 10 });
    const rows = await usageRows(server, t.organizationId);
    // 100 x 0.15 + 10 x 0.6 = 21 micro-dollars
    expect(rows.map((r) => [r.status, r.featureType, r.costUsd, r.clientId])).toEqual([
      ["succeeded", "field_extraction", "0.000021", null],
    ]);
  });

  it("streams, with the cost from the final usage chunk", async () => {
    const t = await createTenant(server);
    const { key } = await t.apiKey("member");
    fake.setBehavior({
      kind: "ok",
      content: "one two three four five six",
      usage: { prompt_tokens: 50, completion_tokens: 20, cached_tokens: 0 },
    });
    const openai = new OpenAI({ apiKey: key, baseURL: `${server.url}/v1`, maxRetries: 0 });
    const stream = await openai.chat.completions.create({
      model: "x",
      messages: [{ role: "user", content: "count" }],
      stream: true,
      stream_options: { include_usage: true },
    });
    let text = "";
    let usage: OpenAI.CompletionUsage | undefined;
    for await (const chunk of stream) {
      text += chunk.choices[0]?.delta.content ?? "";
      if (chunk.usage) usage = chunk.usage;
    }
    expect(text).toBe("one two three four five six");
    expect(usage).toMatchObject({ prompt_tokens: 50, completion_tokens: 20 });
    const rows = await usageRows(server, t.organizationId);
    // 50 x 0.15 + 20 x 0.6 = 19.5 -> 20 micro-dollars (rounded once)
    expect(rows.map((r) => [r.status, r.costUsd])).toEqual([["succeeded", "0.000020"]]);
  });

  it("a stream the upstream cuts is still logged with what was consumed", async () => {
    const t = await createTenant(server);
    const { key } = await t.apiKey("member");
    fake.setBehavior({ kind: "cut", afterChunks: 2 });
    const openai = new OpenAI({ apiKey: key, baseURL: `${server.url}/v1`, maxRetries: 0 });
    const stream = await openai.chat.completions.create({
      model: "x",
      messages: [{ role: "user", content: "tell me a long story" }],
      stream: true,
    });
    let received = 0;
    await expect(
      (async () => {
        for await (const chunk of stream) if (chunk.choices[0]?.delta.content) received++;
      })(),
    ).rejects.toThrow();
    expect(received).toBeGreaterThan(0);
    const rows = await usageRows(server, t.organizationId);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ status: "failed" });
    expect(rows[0]!.outputTokens).toBeGreaterThan(0);
    expect(micros(rows[0]!.costUsd)).toBeGreaterThan(0n);
    expect((await countersOf(server, t.organizationId)).orgDaily[0]).toMatchObject({ reservedMicros: 0n });
  });

  it("a stream the caller cuts is logged with what was consumed, and its reservation settled", async () => {
    const t = await createTenant(server);
    const { key } = await t.apiKey("member");
    fake.setBehavior({ kind: "ok", content: "a ".repeat(200), chunkDelayMs: 20 });
    const controller = new AbortController();
    const res = await fetch(`${server.url}/v1/chat/completions`, {
      method: "POST",
      headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
      body: JSON.stringify({ messages: [{ role: "user", content: "go on" }], stream: true }),
      signal: controller.signal,
    });
    const reader = res.body!.getReader();
    await reader.read(); // the first chunk arrived: now hang up
    controller.abort();
    // The server notices, stops the upstream and completes the row.
    let rows = await usageRows(server, t.organizationId);
    for (let i = 0; i < 50 && rows[0]?.status === "pending"; i++) {
      await new Promise((r) => setTimeout(r, 50));
      rows = await usageRows(server, t.organizationId);
    }
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ status: "failed", errorMessage: expect.stringMatching(/cut|abort/) });
    expect(rows[0]!.outputTokens).toBeGreaterThan(0);
    expect(rows[0]!.outputTokens).toBeLessThan(100); // far less than the whole answer
    expect((await countersOf(server, t.organizationId)).orgDaily[0]).toMatchObject({ reservedMicros: 0n });
  });

  it("a call the caller abandons is recorded as failed and counted as the caller's (499), not a server error", async () => {
    const t = await createTenant(server);
    const { key } = await t.apiKey("member");
    fake.setBehavior({ kind: "ok", delayMs: 1_000 });
    const controller = new AbortController();
    const call = fetch(`${server.url}/v1/chat/completions`, {
      method: "POST",
      headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
      body: JSON.stringify({ messages: [{ role: "user", content: "take your time" }] }),
      signal: controller.signal,
    });
    // Hang up while the upstream is still thinking.
    for (let i = 0; i < 50 && (await usageRows(server, t.organizationId)).length === 0; i++)
      await new Promise((r) => setTimeout(r, 20));
    controller.abort();
    await expect(call).rejects.toThrow();
    let rows = await usageRows(server, t.organizationId);
    for (let i = 0; i < 50 && rows[0]?.status === "pending"; i++) {
      await new Promise((r) => setTimeout(r, 50));
      rows = await usageRows(server, t.organizationId);
    }
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ status: "failed" });
    expect((await countersOf(server, t.organizationId)).orgDaily[0]).toMatchObject({ reservedMicros: 0n });
    // The API metrics: a client error, so the SLA's success rate is not charged with it.
    await new Promise((r) => setTimeout(r, 100)); // the response is tracked when the handler returns
    await server.services.performance.flush();
    const [metric] = await server.services.db
      .select()
      .from(aiApiMetrics)
      .where(
        and(
          eq(aiApiMetrics.organizationId, t.organizationId),
          eq(aiApiMetrics.endpoint, "POST /v1/chat/completions"),
        ),
      );
    expect(metric).toMatchObject({ requests: 1, clientErrors: 1, serverErrors: 0 });
  });

  it("an idempotent retry of a stream gets the stored answer as a stream; an empty key is no key", async () => {
    const t = await createTenant(server);
    const { key } = await t.apiKey("member");
    fake.setBehavior({ kind: "ok", content: "stored answer" });
    const openai = new OpenAI({ apiKey: key, baseURL: `${server.url}/v1`, maxRetries: 0 });
    const ask = async (idempotencyKey: string) => {
      const stream = await openai.chat.completions.create(
        { model: "x", messages: [{ role: "user", content: "hi" }], stream: true },
        { headers: { "idempotency-key": idempotencyKey } },
      );
      let text = "";
      for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? "";
      return text;
    };
    expect(await ask("k1")).toBe("stored answer");
    expect(await ask("k1")).toBe("stored answer");
    expect(fake.requests).toHaveLength(1);
    await ask("");
    await ask("");
    expect(fake.requests).toHaveLength(3);
  });

  it("answers errors in OpenAI's shape", async () => {
    const noKey = await fetch(`${server.url}/v1/chat/completions`, { method: "POST", body: "{}" });
    expect(noKey.status).toBe(401);
    expect(await noKey.json()).toMatchObject({ error: { type: "authentication_error" } });

    const t = await createTenant(server);
    const { key } = await t.apiKey("member");
    const openai = new OpenAI({ apiKey: key, baseURL: `${server.url}/v1`, maxRetries: 0 });
    await expect(openai.chat.completions.create({ model: "x", messages: [] })).rejects.toMatchObject({
      status: 400,
    });
    const bad = await fetch(`${server.url}/v1/chat/completions`, {
      method: "POST",
      headers: { authorization: `Bearer ${key}`, "x-wedsync-feature": "mind_reading" },
      body: JSON.stringify({ messages: [{ role: "user", content: "hi" }] }),
    });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ error: { param: "x-wedsync-feature" } });
    const models = await fetch(`${server.url}/v1/models`, { headers: { authorization: `Bearer ${key}` } });
    expect(models.status).toBe(404);
    expect(await models.json()).toMatchObject({ error: { type: "not_found_error" } });
    expect(await usageRows(server, t.organizationId)).toEqual([]);
  });

  it("a body over 2 MB is refused with 413, whether its length is declared or it comes in chunks", async () => {
    const t = await createTenant(server);
    const { key } = await t.apiKey("member");
    const content = "x".repeat(3 * 1024 * 1024);
    const body = JSON.stringify({ messages: [{ role: "user", content }] });
    const headers = { authorization: `Bearer ${key}`, "content-type": "application/json" };
    const declared = await fetch(`${server.url}/v1/chat/completions`, { method: "POST", headers, body });
    expect(declared.status).toBe(413);
    expect(await declared.json()).toMatchObject({ error: { code: "payload_too_large" } });

    // No Content-Length: the body is counted as it streams in.
    const bytes = new TextEncoder().encode(body);
    const chunked = await fetch(`${server.url}/v1/chat/completions`, {
      method: "POST",
      headers,
      body: new ReadableStream({
        start(controller) {
          for (let i = 0; i < bytes.length; i += 256 * 1024)
            controller.enqueue(bytes.slice(i, i + 256 * 1024));
          controller.close();
        },
      }),
      duplex: "half",
    } as RequestInit);
    expect(chunked.status).toBe(413);
    expect(await chunked.json()).toMatchObject({ error: { code: "payload_too_large" } });
    expect(fake.requests).toHaveLength(0);
    expect(await usageRows(server, t.organizationId)).toEqual([]);
  });
});
