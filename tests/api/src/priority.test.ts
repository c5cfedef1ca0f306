/**
 * Priority under provider saturation, through real HTTP: the OpenAI-compatible provider (a fake
 * upstream, a real HTTP server) limited to one call at a time, requests of organizations whose
 * feature has different `priorityLevel`s queued behind a call that hangs until the test lets it go.
 */

import type { RunningServer } from "@wedsync/api/server";
import type { FakeOpenAI } from "@wedsync/fake-openai";
import OpenAI from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expectError } from "./harness/errors";
import { type OpenAIServer, startOpenAIServer } from "./harness/openai-server";
import { createTenant, type Tenant } from "./harness/tenant";
import { usageRows } from "./harness/usage";

type Band = "high" | "normal" | "low";

/** The queue depth of a band, read from GET /metrics as an operator would. */
async function queueDepth(server: RunningServer, band: Band): Promise<number> {
  const text = await (await fetch(`${server.url}/metrics`)).text();
  const line = text
    .split("\n")
    .find((l) => l.startsWith(`wedsync_provider_queue_depth{provider="openai",band="${band}"}`));
  return line ? Number(line.split(" ").at(-1)) : 0;
}

/** Waits (polling, up to 15 s) until `check` holds; fails the test otherwise. */
async function until(what: string, check: () => boolean | Promise<boolean>) {
  const deadline = Date.now() + 15_000;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** A tenant whose field_extraction runs at `level`, and an OpenAI SDK on /v1 with its member key. */
async function tenantAt(server: RunningServer, level: number) {
  const t = await createTenant(server);
  if (level !== 1) {
    await (await t.as("owner")).platform.config.update.mutate({
      featureType: "field_extraction",
      expectedVersion: 1,
      patch: { priorityLevel: level },
    });
  }
  const { key } = await t.apiKey("member");
  const sdk = new OpenAI({ apiKey: key, baseURL: `${server.url}/v1`, maxRetries: 0 });
  return { t, sdk };
}

const chat = (sdk: OpenAI, content: string, signal?: AbortSignal) =>
  sdk.chat.completions.create({ model: "gpt-4o-mini", messages: [{ role: "user", content }] }, { signal });

/** The user message of each request the upstream received, in arrival order. */
const upstreamOrder = (fake: FakeOpenAI) =>
  fake.requests.map((r) => {
    const body = r.body as { messages: Array<{ content: string }> };
    return body.messages.at(-1)!.content;
  });

/** Starts a call the upstream never answers, holding the provider's only slot until aborted. */
async function block(fake: FakeOpenAI, sdk: OpenAI) {
  const before = fake.requestCount;
  const controller = new AbortController();
  const outcome = chat(sdk, "blocker", controller.signal).then(
    () => "answered",
    (e: unknown) => (e instanceof OpenAI.APIUserAbortError ? "aborted" : e),
  );
  await until("the blocker reached the upstream", () => fake.requestCount > before);
  return { release: () => controller.abort(), outcome };
}

describe("priority while the provider is saturated", () => {
  let upstream: OpenAIServer;
  let server: RunningServer;
  let fake: FakeOpenAI;
  beforeAll(async () => {
    upstream = await startOpenAIServer({
      timeoutMs: 60_000,
      retry: { maxAttempts: 1, initialDelayMs: 5, maxDelayMs: 10 },
      breaker: { failureThreshold: 1_000, halfOpenAfterMs: 60_000 },
      concurrency: { openai: 1 },
      queueMaxWaitMs: 30_000,
    });
    ({ server, fake } = upstream);
  });
  afterAll(() => upstream?.close());

  it("high-priority requests sent after low ones are answered first, FIFO within each; none is lost", async () => {
    fake.reset();
    fake.setBehavior([{ kind: "hang" }, { kind: "ok", delayMs: 20 }]);
    const low = await tenantAt(server, 9);
    const high = await tenantAt(server, 2);
    const blocker = await block(fake, low.sdk);

    // Queued one by one (each seen in the queue before the next is sent), low ones first.
    const answers: Array<Promise<unknown>> = [];
    for (const [band, tenant] of [
      ["low", low],
      ["high", high],
    ] as const) {
      for (let i = 1; i <= 3; i++) {
        answers.push(chat(tenant.sdk, `${band}-${i}`));
        await until(`${band}-${i} is queued`, async () => (await queueDepth(server, band)) === i);
      }
    }
    blocker.release();
    expect(await blocker.outcome).toBe("aborted");
    const results = await Promise.allSettled(answers);
    expect(results.map((r) => r.status)).toEqual(Array(6).fill("fulfilled"));

    expect(upstreamOrder(fake)).toEqual(["blocker", "high-1", "high-2", "high-3", "low-1", "low-2", "low-3"]);
    expect(await queueDepth(server, "low")).toBe(0);

    // Every request recorded once: the six answered, the cancelled blocker failed at no cost.
    const lowRows = await usageRows(server, low.t.organizationId);
    const highRows = await usageRows(server, high.t.organizationId);
    expect(highRows.map((r) => r.status)).toEqual(["succeeded", "succeeded", "succeeded"]);
    expect(lowRows.map((r) => r.status).sort()).toEqual(["failed", "succeeded", "succeeded", "succeeded"]);
    expect(lowRows.find((r) => r.status === "failed")?.costUsd).toBe("0.000000");
  });

  it("a caller that gives up leaves the queue at once and is not billed", async () => {
    fake.reset();
    fake.setBehavior([{ kind: "hang" }, { kind: "ok" }]);
    const tenant = await tenantAt(server, 1);
    const blocker = await block(fake, tenant.sdk);
    const controller = new AbortController();
    const gaveUp = chat(tenant.sdk, "gives up", controller.signal).catch((e: unknown) => e);
    await until("it is queued", async () => (await queueDepth(server, "high")) === 1);
    controller.abort();
    expect(await gaveUp).toBeInstanceOf(OpenAI.APIUserAbortError);
    await until("it left the queue", async () => (await queueDepth(server, "high")) === 0);
    // It never reached the upstream (only the blockers did).
    expect(upstreamOrder(fake).filter((c) => c === "gives up")).toEqual([]);
    blocker.release();
    await blocker.outcome;
    await until("both calls are recorded", async () => {
      const rows = await usageRows(server, tenant.t.organizationId);
      return rows.filter((r) => r.status === "pending").length === 0;
    });
    const rows = await usageRows(server, tenant.t.organizationId);
    expect(rows.map((r) => [r.status, r.costUsd])).toEqual([
      ["failed", "0.000000"],
      ["failed", "0.000000"],
    ]);
  });
});

describe("the wait bound", () => {
  let upstream: OpenAIServer;
  let server: RunningServer;
  let fake: FakeOpenAI;
  let tenant: { t: Tenant; sdk: OpenAI };
  beforeAll(async () => {
    upstream = await startOpenAIServer({
      timeoutMs: 60_000,
      retry: { maxAttempts: 1, initialDelayMs: 5, maxDelayMs: 10 },
      // One counted failure would open the circuit: a refusal must not count as one.
      breaker: { failureThreshold: 1, halfOpenAfterMs: 600_000 },
      concurrency: { openai: 1 },
      queueMaxWaitMs: 400,
    });
    ({ server, fake } = upstream);
    fake.setBehavior([{ kind: "hang" }, { kind: "ok" }]);
    tenant = await tenantAt(server, 1);
  });
  afterAll(() => upstream?.close());

  it("refuses a request still queued at the bound: SERVICE_UNAVAILABLE with Retry-After, nothing billed, no fallback", async () => {
    const blocker = await block(fake, tenant.sdk);

    // /v1: a 503 in OpenAI's shape, with Retry-After.
    const err = await chat(tenant.sdk, "refused on /v1").then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(OpenAI.APIError);
    const apiError = err as InstanceType<typeof OpenAI.APIError>;
    expect(apiError.status).toBe(503);
    expect(apiError.code).toBe("provider_saturated");
    expect(apiError.message).toMatch(/The AI provider is saturated; try again in \d+ s/);
    expect(Number(apiError.headers?.get("retry-after"))).toBeGreaterThanOrEqual(1);

    // clients.process over /trpc: the same refusal, the same code.
    const member = await tenant.t.as("member");
    const e = await expectError(
      member.clients.process.mutate({
        clientId: tenant.t.clientIds[0]!,
        featureType: "field_extraction",
        input: { text: "Emma & Liam, 12 June 2027" },
      }),
      "SERVICE_UNAVAILABLE",
    );
    expect(e.message).toMatch(/saturated; try again in \d+ s/);

    // Neither reached the upstream, fell back to the local engine, or counted against the breaker.
    expect(fake.requestCount).toBe(1);
    const openai = server.services.ai.checkServiceHealth().find((h) => h.name === "openai")!;
    expect(openai).toMatchObject({ circuit: "closed", consecutiveFailures: 0, totalFailures: 0 });

    const rows = await usageRows(server, tenant.t.organizationId);
    const refused = rows.filter((r) => r.errorMessage?.includes("saturated"));
    expect(refused).toHaveLength(2);
    for (const r of refused) {
      expect(r).toMatchObject({ status: "failed", costUsd: "0.000000", inputTokens: 0, outputTokens: 0 });
      expect(r.provider).not.toBe("local");
    }

    const metrics = await (await fetch(`${server.url}/metrics`)).text();
    expect(metrics).toContain('wedsync_provider_queue_refusals_total{provider="openai",band="high"} 2');
    expect(metrics).toMatch(/wedsync_provider_queue_wait_seconds_count\{provider="openai",band="high"\} \d+/);
    expect(metrics).toContain('wedsync_provider_in_flight{provider="openai",of="limit"} 1');

    blocker.release();
    expect(await blocker.outcome).toBe("aborted");
  });
});
