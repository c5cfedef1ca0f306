/**
 * Idempotent retries over real HTTP, on both surfaces (issue 11, defects 2 and 3): a retry sent
 * while the first request is still running is the documented 409 with a Retry-After header (on
 * /v1 in OpenAI's error shape, not a plain-text 500); once the first has finished, a retry is
 * its answer again, byte for byte, streamed or not, billed once.
 */

import { randomUUID } from "node:crypto";
import type { RunningServer } from "@wedsync/api/server";
import { createWedsyncClient } from "@wedsync/client";
import type { FakeOpenAI } from "@wedsync/fake-openai";
import OpenAI from "openai";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { expectError } from "./harness/errors";
import { type OpenAIServer, startOpenAIServer } from "./harness/openai-server";
import { startTestServer } from "./harness/server";
import { createTenant, type Tenant } from "./harness/tenant";
import { countersOf, micros, usageRows } from "./harness/usage";

const INQUIRY = `Hi! We're Emma & Liam and we're getting married on 12 June 2027 at Kew Gardens, London.
We're expecting around 120 guests and our budget for flowers is £2,500. Reach me at emma@example.com.`;

/** Long enough that a retry reliably arrives while the first request is still at the upstream. */
const SLOW_MS = 1_500;

let local: RunningServer; // no OPENAI_API_KEY: the local rules engine answers, with JSON text
let upstream: OpenAIServer; // a fake OpenAI upstream (a real HTTP server) the tests drive
let server: RunningServer;
let fake: FakeOpenAI;
beforeAll(async () => {
  [local, upstream] = await Promise.all([
    startTestServer(),
    startOpenAIServer({
      timeoutMs: 10_000,
      retry: { maxAttempts: 1, initialDelayMs: 5, maxDelayMs: 20 },
      breaker: { failureThreshold: 1_000, halfOpenAfterMs: 60_000 },
    }),
  ]);
  ({ server, fake } = upstream);
});
afterAll(async () => {
  await Promise.all([local?.close(), upstream?.close()]);
});
beforeEach(() => fake.reset());

interface ChatBody {
  messages: Array<{ role: "user"; content: string }>;
  stream?: boolean;
}

/** POST /v1/chat/completions with an API key and an Idempotency-Key, as any HTTP client sends it. */
function chat(on: RunningServer, key: string, idempotencyKey: string, body: ChatBody) {
  return fetch(`${on.url}/v1/chat/completions`, {
    method: "POST",
    headers: {
      authorization: `Bearer ${key}`,
      "content-type": "application/json",
      "idempotency-key": idempotencyKey,
    },
    body: JSON.stringify(body),
  });
}

/** The answer's content: the message of a completion, or the deltas of a stream concatenated. */
async function contentOf(res: Response): Promise<{ id: string; content: string }> {
  expect(res.status).toBe(200);
  if (!res.headers.get("content-type")?.startsWith("text/event-stream")) {
    const body = (await res.json()) as { id: string; choices: Array<{ message: { content: string } }> };
    return { id: body.id, content: body.choices[0]!.message.content };
  }
  const text = await res.text();
  let id = "";
  let content = "";
  let done = false;
  for (const line of text.split("\n")) {
    if (!line.startsWith("data:")) continue;
    const data = line.slice(5).trim();
    if (data === "[DONE]") {
      done = true;
      continue;
    }
    const chunk = JSON.parse(data) as { id: string; choices: Array<{ delta: { content?: string } }> };
    id = chunk.id;
    content += chunk.choices[0]?.delta.content ?? "";
  }
  expect(done).toBe(true);
  return { id, content };
}

/** Until the first request's pending usage row exists: from then on a retry is a duplicate of it. */
async function untilAdmitted(on: RunningServer, organizationId: string) {
  for (let i = 0; i < 200; i++) {
    const rows = await usageRows(on, organizationId);
    if (rows.length > 0) {
      expect(rows.map((r) => r.status)).toEqual(["pending"]);
      return;
    }
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error("the first request was never admitted");
}

/** Exactly one usage row, succeeded, and the day and month charged its cost once. */
async function expectBilledOnce(on: RunningServer, t: Tenant) {
  const rows = await usageRows(on, t.organizationId);
  expect(rows.map((r) => r.status)).toEqual(["succeeded"]);
  const cost = micros(rows[0]!.costUsd);
  const { orgDaily, monthly } = await countersOf(on, t.organizationId);
  expect(orgDaily).toHaveLength(1);
  expect(orgDaily[0]).toMatchObject({ requests: 1, reservedMicros: 0n, spentMicros: cost });
  expect(monthly[0]).toMatchObject({ reservedMicros: 0n, spentMicros: cost });
  return rows[0]!;
}

/** A typed client that keeps every HTTP response it receives (tRPC's client hides the headers). */
function recordingClient(on: RunningServer, key: string) {
  const responses: Response[] = [];
  const client = createWedsyncClient({
    url: on.url,
    apiKey: key,
    fetch: async (input, init) => {
      const res = await fetch(input, init);
      responses.push(res);
      return res;
    },
  });
  return { client, responses };
}

describe("a retry while the first request is still running", () => {
  for (const stream of [false, true]) {
    it(`/v1${stream ? " (stream: true)" : ""}: 409 in OpenAI's shape with Retry-After; after the first finishes, its answer, billed once`, async () => {
      const t = await createTenant(server);
      const { key } = await t.apiKey("member");
      fake.setBehavior({ kind: "ok", delayMs: SLOW_MS, content: "The answer, once." });
      const body: ChatBody = { messages: [{ role: "user", content: INQUIRY }], stream };
      const idempotencyKey = `k-${randomUUID()}`;

      const first = chat(server, key, idempotencyKey, body);
      await untilAdmitted(server, t.organizationId);
      const retry = await chat(server, key, idempotencyKey, body);
      expect(retry.status).toBe(409);
      expect(retry.headers.get("content-type")).toMatch(/^application\/json/);
      expect(retry.headers.get("retry-after")).toBe("1");
      const rows = await usageRows(server, t.organizationId);
      expect(await retry.json()).toEqual({
        error: {
          type: "conflict_error",
          code: "conflict",
          message: "A request with this idempotency key is still being processed; retry shortly",
          param: null,
          request_id: expect.any(String),
        },
      });
      expect(rows.map((r) => r.status)).toEqual(["pending"]);

      const original = await contentOf(await first);
      expect(original.content).toBe("The answer, once.");
      const replay = await chat(server, key, idempotencyKey, body);
      expect(replay.headers.get("x-wedsync-replayed")).toBe("true");
      expect(await contentOf(replay)).toEqual(original);
      expect(fake.requests).toHaveLength(1);
      await expectBilledOnce(server, t);
    });
  }

  it("/v1 through the OpenAI SDK: an APIError 409 with code and retry-after; with retries on, the SDK waits and gets the answer", async () => {
    const t = await createTenant(server);
    const { key } = await t.apiKey("member");
    fake.setBehavior({ kind: "ok", delayMs: SLOW_MS, content: "Patience pays." });
    const request = { model: "x", messages: [{ role: "user" as const, content: INQUIRY }] };
    const options = { headers: { "idempotency-key": `k-${randomUUID()}` } };
    const sdk = (maxRetries: number) => new OpenAI({ apiKey: key, baseURL: `${server.url}/v1`, maxRetries });

    const first = sdk(0).chat.completions.create(request, options);
    await untilAdmitted(server, t.organizationId);
    const err = await sdk(0)
      .chat.completions.create(request, options)
      .then(
        () => null,
        (e: unknown) => e,
      );
    expect(err).toBeInstanceOf(OpenAI.APIError);
    const apiError = err as InstanceType<typeof OpenAI.APIError>;
    expect(apiError).toMatchObject({ status: 409, type: "conflict_error", code: "conflict" });
    expect(apiError.headers?.get("retry-after")).toBe("1");

    // The SDK retries a 409 on its own after the Retry-After; by then the first has finished.
    const retried = await sdk(5).chat.completions.create(request, options);
    const original = await first;
    expect(retried.id).toBe(original.id);
    expect(retried.choices[0]?.message.content).toBe("Patience pays.");
    expect(fake.requests).toHaveLength(1);
    await expectBilledOnce(server, t);
  });

  it("clients.process: CONFLICT with data.details.retryAfterSeconds and a Retry-After header; then the stored result, billed once", async () => {
    const t = await createTenant(server);
    const { key } = await t.apiKey("member");
    fake.setBehavior({ kind: "ok", delayMs: SLOW_MS });
    const input = {
      clientId: t.clientIds[0]!,
      featureType: "field_extraction" as const,
      input: { text: INQUIRY },
      idempotencyKey: `k-${randomUUID()}`,
    };
    const first = recordingClient(server, key).client.clients.process.mutate(input);
    await untilAdmitted(server, t.organizationId);

    const retrying = recordingClient(server, key);
    const e = await expectError(retrying.client.clients.process.mutate(input), "CONFLICT");
    expect(e.message).toBe("A request with this idempotency key is still being processed; retry shortly");
    expect(e.data?.httpStatus).toBe(409);
    expect(e.data?.details).toMatchObject({ retryAfterSeconds: 1 });
    expect(retrying.responses.map((r) => [r.status, r.headers.get("retry-after")])).toEqual([[409, "1"]]);

    const original = await first;
    expect(original.usage.replayed).toBe(false);
    const replayed = await retrying.client.clients.process.mutate(input);
    expect(replayed.result).toEqual(original.result);
    expect(replayed.usage).toMatchObject({
      replayed: true,
      requestId: original.usage.requestId,
      costUsd: original.usage.costUsd,
    });
    // A success says nothing about retrying.
    expect(retrying.responses[1]?.headers.get("retry-after")).toBeNull();
    expect(fake.requests).toHaveLength(1);
    const row = await expectBilledOnce(server, t);
    expect(row.costUsd).toBe(original.usage.costUsd);
  });

  it("clients.process in a tRPC batch: Retry-After only when every call of the batch failed with one", async () => {
    const t = await createTenant(server);
    const { key } = await t.apiKey("member");
    fake.setBehavior({ kind: "ok", delayMs: SLOW_MS });
    const input = (idempotencyKey: string) => ({
      clientId: t.clientIds[0]!,
      featureType: "field_extraction" as const,
      input: { text: INQUIRY },
      idempotencyKey,
    });
    const busy = input(`k-${randomUUID()}`);
    const first = recordingClient(server, key).client.clients.process.mutate(busy);
    await untilAdmitted(server, t.organizationId);

    // Two retries of the running request, sent in one batch (the same tick): both CONFLICT.
    const both = recordingClient(server, key);
    const twice = await Promise.allSettled([
      both.client.clients.process.mutate(busy),
      both.client.clients.process.mutate(busy),
    ]);
    expect(twice.map((r) => r.status)).toEqual(["rejected", "rejected"]);
    expect(both.responses.map((r) => [r.status, r.headers.get("retry-after")])).toEqual([[409, "1"]]);

    // A retry and a new request in one batch: one answer is a success, so no Retry-After.
    const mixed = recordingClient(server, key);
    const settled = await Promise.allSettled([
      mixed.client.clients.process.mutate(busy),
      mixed.client.clients.process.mutate(input(`k-${randomUUID()}`)),
    ]);
    expect(settled.map((r) => r.status)).toEqual(["rejected", "fulfilled"]);
    expect(mixed.responses).toHaveLength(1);
    expect(mixed.responses[0]!.headers.get("retry-after")).toBeNull();
    await first;
  });
});

describe("a replay is the original answer, byte for byte", () => {
  for (const stream of [false, true]) {
    it(`/v1 with the local engine's JSON text${stream ? ", streamed" : ""}`, async () => {
      const t = await createTenant(local);
      const { key } = await t.apiKey("member");
      const body: ChatBody = { messages: [{ role: "user", content: INQUIRY }], stream };
      const idempotencyKey = `k-${randomUUID()}`;

      const original = await contentOf(await chat(local, key, idempotencyKey, body));
      // The local engine answers JSON text: the case that came back as "[object Object]".
      expect(typeof JSON.parse(original.content)).toBe("object");
      const replay = await chat(local, key, idempotencyKey, body);
      expect(replay.headers.get("x-wedsync-replayed")).toBe("true");
      const again = await contentOf(replay);
      expect(again.content).toBe(original.content);
      expect(again.id).toBe(original.id);
      await expectBilledOnce(local, t);
    });
  }

  const answers: Array<[string, string]> = [
    ["plain text", 'Plain text, with "quotes", a tab\t, an é and 🎉.\nSecond line.'],
    // Stored as a string, not as jsonb: neither its spacing nor its key order may change.
    ["JSON text with its own spacing and key order", '{ "zeta": 1.50,  "alpha": [1, 2.0],\n "a": "b" }'],
    ["text that is a JSON number", "123"],
    ["text that is a JSON string", '"quoted"'],
  ];
  for (const [name, content] of answers) {
    for (const stream of [false, true]) {
      it(`/v1 with the upstream's ${name}${stream ? ", streamed" : ""}`, async () => {
        const t = await createTenant(server);
        const { key } = await t.apiKey("member");
        fake.setBehavior({ kind: "ok", content });
        const body: ChatBody = { messages: [{ role: "user", content: INQUIRY }], stream };
        const idempotencyKey = `k-${randomUUID()}`;

        const original = await contentOf(await chat(server, key, idempotencyKey, body));
        expect(original.content).toBe(content);
        const again = await contentOf(await chat(server, key, idempotencyKey, body));
        expect(again).toEqual(original);
        expect(fake.requests).toHaveLength(1);
        await expectBilledOnce(server, t);
      });
    }
  }

  it("clients.process: the structured result, the same on a replay", async () => {
    const t = await createTenant(local);
    const { client } = await t.apiKey("member");
    const input = {
      clientId: t.clientIds[0]!,
      featureType: "field_extraction" as const,
      input: { text: INQUIRY },
      idempotencyKey: `k-${randomUUID()}`,
    };
    const original = await client.clients.process.mutate(input);
    expect(typeof original.result).toBe("object");
    const replayed = await client.clients.process.mutate(input);
    expect(replayed.result).toEqual(original.result);
    expect(replayed.usage).toMatchObject({ replayed: true, requestId: original.usage.requestId });
    expect(replayed.needsReview).toEqual(original.needsReview);
    await expectBilledOnce(local, t);
  });
});
