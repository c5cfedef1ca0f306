/**
 * Issue 11, defect 5: an upstream that answers 200 with usage but with something unusable (invalid
 * structured content, or cut at the output budget) was paid for, whatever answers next. The usage
 * row's cost is what the platform paid its provider(s) for the request: each attempt that consumed
 * tokens, priced exactly at its own model's price, summed. Against a fake upstream: a real HTTP
 * server the test starts.
 */

import type { RunningServer } from "@wedsync/api/server";
import { aiModelPrices, costMicros, fromMicros, priceAt, type TokenUsage } from "@wedsync/core";
import type { Behavior, FakeOpenAI } from "@wedsync/fake-openai";
import OpenAI from "openai";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { expectError } from "./harness/errors";
import { type OpenAIServer, startOpenAIServer } from "./harness/openai-server";
import { createTenant, type Tenant } from "./harness/tenant";
import { countersOf, micros, usageRows } from "./harness/usage";

const TEXT = "Emma & Liam, 12 June 2027, Kew Gardens, 120 guests, emma@example.com";

/** What the upstream says it consumed: 1,500 tokens, as in the report (400 of the input cached). */
const UPSTREAM_USAGE = { prompt_tokens: 1_000, completion_tokens: 500, cached_tokens: 400 };
const CONSUMED: TokenUsage = { inputTokens: 1_000, outputTokens: 500, cachedInputTokens: 400 };
/** gpt-4o-mini: 600 x 0.15 + 400 x 0.075 + 500 x 0.60 per million = 420 micro-dollars. */
const UPSTREAM_COST = "0.000420";

const INVALID_JSON: Behavior = { kind: "ok", content: "Sure! Here are the fields: {", usage: UPSTREAM_USAGE };
const TRUNCATED: Behavior = { kind: "ok", finishReason: "length", usage: UPSTREAM_USAGE };

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

/** The exact price of `usage` for openai/gpt-4o-mini, from the price table (independent of the code under test). */
async function upstreamPrice(usage: TokenUsage, at = new Date()): Promise<string> {
  const prices = await server.services.db.select().from(aiModelPrices);
  return fromMicros(costMicros(usage, priceAt(prices, "openai", "gpt-4o-mini", at)!), 6);
}

const processText = (t: Tenant, clientId = t.clientIds[0]!, idempotencyKey?: string) =>
  t.as("member").then((member) =>
    member.clients.process.mutate({
      clientId,
      featureType: "field_extraction",
      input: { text: TEXT },
      ...(idempotencyKey ? { idempotencyKey } : {}),
    }),
  );

/** Every counter equals the sum of the usage rows it counts, and nothing stays reserved. */
async function expectCountersMatchRows(t: Tenant) {
  const rows = await usageRows(server, t.organizationId);
  const total = rows.reduce((n, r) => n + micros(r.costUsd), 0n);
  const { daily, monthly, orgDaily } = await countersOf(server, t.organizationId);
  expect(orgDaily).toHaveLength(1);
  expect(orgDaily[0]).toMatchObject({ reservedMicros: 0n, spentMicros: total });
  expect(monthly).toHaveLength(1);
  expect(monthly[0]).toMatchObject({ reservedMicros: 0n, spentMicros: total });
  for (const clientId of t.clientIds) {
    const own = rows.filter((r) => r.clientId === clientId).reduce((n, r) => n + micros(r.costUsd), 0n);
    const counter = daily.find((d) => d.scope === clientId);
    expect(counter?.spentMicros ?? 0n).toBe(own);
    if (counter) expect(counter.reservedMicros).toBe(0n);
  }
  expect(await server.services.tracker.checkCostLimit(t.organizationId)).toMatchObject({
    usedUsd: fromMicros(total, 6),
  });
  return { rows, total };
}

describe("clients.process: an unusable upstream answer, then the local engine", () => {
  it.each([
    ["invalid JSON content", INVALID_JSON],
    ["finish_reason length", TRUNCATED],
  ])("%s: billed at the upstream's exact price, degraded", async (_case, behavior) => {
    const t = await createTenant(server);
    fake.setBehavior(behavior);
    const res = await processText(t);

    expect(fake.requests).toHaveLength(1); // an unusable answer is not retried: the fallback answers
    expect(UPSTREAM_COST).toBe(await upstreamPrice(CONSUMED));
    // The row names who was paid, with the tokens paid for, so its cost is recomputable from the
    // price table; `degraded` says the free local engine gave the answer.
    expect(res.usage).toMatchObject({
      provider: "openai",
      model: "gpt-4o-mini",
      degraded: true,
      costUsd: UPSTREAM_COST,
      ...CONSUMED,
    });

    const { rows, total } = await expectCountersMatchRows(t);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      status: "succeeded",
      provider: "openai",
      model: "gpt-4o-mini",
      degraded: true,
      costUsd: UPSTREAM_COST,
      ...CONSUMED,
    });
    expect(total).toBe(420n);
  });

  it("retryable failures that consumed nothing add nothing; an idempotent replay charges nothing more", async () => {
    const t = await createTenant(server);
    fake.setBehavior([{ kind: "status", status: 503 }, INVALID_JSON]);
    const first = await processText(t, t.clientIds[0], "once");
    expect(fake.requests).toHaveLength(2);
    expect(first.usage).toMatchObject({ degraded: true, costUsd: UPSTREAM_COST, replayed: false });

    const again = await processText(t, t.clientIds[0], "once");
    expect(again.usage).toMatchObject({
      replayed: true,
      requestId: first.usage.requestId,
      costUsd: UPSTREAM_COST,
      degraded: true,
    });
    expect(fake.requests).toHaveLength(2);
    const { total } = await expectCountersMatchRows(t);
    expect(total).toBe(420n);
  });
});

describe("clients.process without a fallback (allowFallback: false)", () => {
  it.each([
    ["invalid JSON content", INVALID_JSON],
    ["finish_reason length", TRUNCATED],
  ])(
    "%s: the request fails, and its failed row costs what the upstream consumed",
    async (_case, behavior) => {
      const t = await createTenant(server);
      await (await t.as("owner")).clients.config.update.mutate({
        clientId: t.clientIds[0]!,
        featureType: "field_extraction",
        expectedVersion: 0,
        processingPreferences: { allowFallback: false },
      });
      fake.setBehavior(behavior);
      await expectError(processText(t), "SERVICE_UNAVAILABLE");
      expect(fake.requests).toHaveLength(1);

      const { rows, total } = await expectCountersMatchRows(t);
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({
        status: "failed",
        provider: "openai",
        model: "gpt-4o-mini",
        degraded: false,
        costUsd: UPSTREAM_COST,
        inputTokens: CONSUMED.inputTokens,
        outputTokens: CONSUMED.outputTokens,
        cachedInputTokens: CONSUMED.cachedInputTokens,
      });
      expect(total).toBe(420n);
    },
  );
});

describe("/v1/chat/completions and clients.process agree", () => {
  it("the same upstream answer (200, usage, finish_reason length) costs the same on both surfaces", async () => {
    const t = await createTenant(server);
    const { key } = await t.apiKey("member");
    const openai = new OpenAI({ apiKey: key, baseURL: `${server.url}/v1`, maxRetries: 0 });

    // /v1 relays a truncated answer as it is (finish_reason "length"), billed for its tokens.
    fake.setBehavior({ ...TRUNCATED, content: "A long story, cut sh" } as Behavior);
    const chat = await openai.chat.completions
      .create({ model: "x", messages: [{ role: "user", content: "tell me a long story" }] })
      .withResponse();
    expect(chat.data.choices[0]?.finish_reason).toBe("length");
    expect(chat.data.usage).toMatchObject({ prompt_tokens: 1_000, completion_tokens: 500 });
    expect(chat.response.headers.get("x-wedsync-cost-usd")).toBe(UPSTREAM_COST);

    // Streamed, the same.
    fake.setBehavior({ ...TRUNCATED, content: "A long story, cut sh" } as Behavior);
    const stream = await openai.chat.completions.create({
      model: "x",
      messages: [{ role: "user", content: "tell me a long story" }],
      stream: true,
      stream_options: { include_usage: true },
    });
    let finish: string | null | undefined;
    for await (const chunk of stream) finish = chunk.choices[0]?.finish_reason ?? finish;
    expect(finish).toBe("length");

    // clients.process cannot use a truncated result: the local engine answers, and the upstream
    // is billed all the same, at the same price.
    fake.setBehavior(TRUNCATED);
    const processed = await processText(t);
    expect(processed.usage).toMatchObject({ degraded: true, costUsd: UPSTREAM_COST });

    const { rows, total } = await expectCountersMatchRows(t);
    expect(
      rows.map((r) => [r.metadata && (r.metadata as { channel?: string }).channel, r.status, r.costUsd]),
    ).toEqual([
      ["openai", "succeeded", UPSTREAM_COST],
      ["openai", "succeeded", UPSTREAM_COST],
      ["trpc", "succeeded", UPSTREAM_COST],
    ]);
    expect(total).toBe(3n * 420n);
  });
});

describe("the day's and the month's counters", () => {
  it("equal the sum of the usage rows over a mix of paid fallbacks, paid failures and plain answers", async () => {
    const t = await createTenant(server, { clients: 2 });
    await (await t.as("owner")).clients.config.update.mutate({
      clientId: t.clientIds[1]!,
      featureType: "field_extraction",
      expectedVersion: 0,
      processingPreferences: { allowFallback: false },
    });
    const plain: Behavior = { kind: "ok", usage: { prompt_tokens: 2_000, completion_tokens: 1_000 } };
    const outcomes: string[] = [];
    const run = async (clientId: string, behavior: Behavior | Behavior[]) => {
      fake.setBehavior(behavior);
      try {
        const r = await processText(t, clientId);
        outcomes.push(`${r.usage.provider}:${r.usage.costUsd}`);
      } catch {
        outcomes.push("failed");
      }
    };
    const [a, b] = [t.clientIds[0]!, t.clientIds[1]!];
    await run(a, INVALID_JSON); // 420, degraded
    await run(a, TRUNCATED); // 420, degraded
    await run(a, plain); // 2,000 x 0.15 + 1,000 x 0.6 = 900
    await run(a, { kind: "status", status: 503 }); // nothing consumed: the local engine, free
    await run(b, TRUNCATED); // 420, failed
    await run(b, [{ kind: "status", status: 500 }, INVALID_JSON]); // 420, failed
    await run(b, plain); // 900
    expect(outcomes).toEqual([
      `openai:${UPSTREAM_COST}`,
      `openai:${UPSTREAM_COST}`,
      "openai:0.000900",
      "local:0.000000",
      "failed",
      "failed",
      "openai:0.000900",
    ]);
    const { rows, total } = await expectCountersMatchRows(t);
    expect(rows).toHaveLength(7);
    expect(total).toBe(4n * 420n + 2n * 900n);
  });
});
