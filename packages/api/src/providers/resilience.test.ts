import { AppError } from "@wedsync/core";
import { type FakeOpenAI, startFakeOpenAI } from "@wedsync/fake-openai";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { OpenAICompatibleProvider } from "./openai-provider";
import { formatProviderHealth } from "./provider-health";
import { createResilientProvider, type ResilienceEvent, type ResilienceOptions } from "./resilience";
import {
  type AIProvider,
  type AttemptUsage,
  type ChatChunk,
  type ChatRequest,
  type ChatResult,
  type ChatStream,
  ProviderError,
  type ProviderRequest,
  type ProviderResult,
} from "./types";

let fake: FakeOpenAI;
const never = () => new AbortController().signal;

/** Wakes the tests waiting for requests to reach the fake upstream (see `received`). */
const arrivals = new Set<() => void>();

beforeAll(async () => {
  fake = await startFakeOpenAI();
  // The fake records each request as it arrives: hear of it then, instead of sleeping.
  const push = fake.requests.push.bind(fake.requests);
  fake.requests.push = (...items) => {
    const n = push(...items);
    for (const wake of [...arrivals]) wake();
    return n;
  };
});
afterAll(() => fake.close());
beforeEach(() => fake.reset());
afterEach(() => {
  vi.useRealTimers();
});

/**
 * Fake setTimeout, clearTimeout and Date: the retry delays, the attempt timeouts and the
 * breaker's clock (cockatiel's) and the fake upstream's delays move only when a test advances
 * them; the HTTP round trips to the fake upstream stay real I/O.
 */
function useFakeClock() {
  vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "Date"] });
}

/** Resolves once the fake upstream has received `n` requests since the last reset. */
function received(n: number): Promise<void> {
  return new Promise((resolve) => {
    const check = () => {
      if (fake.requests.length < n) return;
      arrivals.delete(check);
      resolve();
    };
    arrivals.add(check);
    check();
  });
}

/** One turn of the (real) event loop: whatever a fired timer set off synchronously has run. */
const turn = () => new Promise<void>((resolve) => setImmediate(resolve));

const EMPTY_FIELDS = {
  fields: {
    coupleNames: null,
    weddingDate: null,
    ceremonyVenue: null,
    receptionVenue: null,
    guestCount: null,
    email: null,
    phone: null,
    budget: null,
    ceremonyTime: null,
    theme: null,
  },
};

/** A fallback that always answers (or fails the way it is told to). */
class StubProvider implements AIProvider {
  calls = 0;
  constructor(
    readonly name = "local",
    private readonly fail?: () => Error,
  ) {}
  async process(_req: ProviderRequest): Promise<ProviderResult> {
    this.calls++;
    if (this.fail) throw this.fail();
    return {
      output: EMPTY_FIELDS,
      usage: { inputTokens: 1, outputTokens: 1, cachedInputTokens: 0 },
      model: "local-rules",
      provider: this.name,
    };
  }
  async chat(_req: ChatRequest): Promise<ChatResult> {
    this.calls++;
    if (this.fail) throw this.fail();
    return {
      content: "stub",
      finishReason: "stop",
      usage: { inputTokens: 1, outputTokens: 1, cachedInputTokens: 0 },
      model: "local-rules",
      provider: this.name,
    };
  }
  async chatStream(_req: ChatRequest): Promise<ChatStream> {
    this.calls++;
    if (this.fail) throw this.fail();
    async function* chunks(): AsyncGenerator<ChatChunk> {
      yield { delta: "stub", finishReason: null, usage: null };
      yield {
        delta: "",
        finishReason: "stop",
        usage: { inputTokens: 1, outputTokens: 1, cachedInputTokens: 0 },
      };
    }
    return { model: "local-rules", provider: this.name, chunks: chunks() };
  }
}

const req: ProviderRequest = {
  input: { featureType: "field_extraction", text: "Emma & Liam, 20 June 2026" },
  model: "gpt-4o-mini",
  customInstructions: null,
  maxOutputTokens: 500,
};
const chatReq: ChatRequest = {
  messages: [{ role: "user", content: "Say hello." }],
  model: "gpt-4o-mini",
  maxOutputTokens: 64,
  featureType: "field_extraction",
};

function setup(
  overrides: {
    retry?: Partial<ResilienceOptions["retry"]>;
    breaker?: Partial<ResilienceOptions["breaker"]>;
    timeoutMs?: number;
    primary?: AIProvider;
    fallback?: StubProvider;
  } = {},
) {
  const events: ResilienceEvent[] = [];
  const listeners = new Set<() => void>();
  const primary =
    overrides.primary ??
    new OpenAICompatibleProvider({ apiKey: "sk-test", baseURL: fake.url, timeoutMs: 5_000 });
  const fallback = overrides.fallback ?? new StubProvider();
  const resilient = createResilientProvider({
    providers: [primary, fallback],
    timeoutMs: overrides.timeoutMs ?? 2_000,
    retry: { maxAttempts: 3, initialDelayMs: 5, maxDelayMs: 20, ...overrides.retry },
    breaker: { failureThreshold: 3, halfOpenAfterMs: 200, ...overrides.breaker },
    onEvent: (e) => {
      events.push(e);
      for (const listener of [...listeners]) listener();
    },
  });
  /** The `n`th event of this type (1-based), once it has been emitted. */
  const nth = <K extends ResilienceEvent["type"]>(type: K, n = 1) =>
    new Promise<Extract<ResilienceEvent, { type: K }>>((resolve) => {
      const check = () => {
        const hit = events.filter((e): e is Extract<ResilienceEvent, { type: K }> => e.type === type)[n - 1];
        if (!hit) return;
        listeners.delete(check);
        resolve(hit);
      };
      listeners.add(check);
      check();
    });
  return { resilient, fallback, events, nth };
}

async function rejection(p: Promise<unknown>): Promise<unknown> {
  return p.then(
    () => {
      throw new Error("expected a rejection");
    },
    (err: unknown) => err,
  );
}

/** Between consecutive upstream requests, by Date.now() (the fake clock's, where a test uses it). */
const gaps = () => fake.requests.slice(1).map((r, i) => r.time - fake.requests[i]!.time);

describe("retries", () => {
  it("500, 500, ok -> three upstream requests, success, not degraded", async () => {
    const { resilient, fallback, events } = setup();
    fake.setBehavior([{ kind: "status", status: 500 }, { kind: "status", status: 500 }, { kind: "ok" }]);
    const result = await resilient.process(req, never());
    expect(fake.requests).toHaveLength(3);
    expect(result.degraded).toBe(false);
    expect(result.provider).toBe("openai");
    expect(fallback.calls).toBe(0);
    expect(events.filter((e) => e.type === "retry").map((e) => (e.type === "retry" ? e.attempt : 0))).toEqual(
      [1, 2],
    );
  });

  it("429 with Retry-After: 1 -> no retry before 1 s, the retry at 1 s", async () => {
    useFakeClock();
    const { resilient, nth } = setup();
    fake.setBehavior([{ kind: "status", status: 429, retryAfterSeconds: 1 }, { kind: "ok" }]);
    const call = resilient.process(req, never());
    const retry = await nth("retry");
    expect(retry.delayMs).toBeGreaterThanOrEqual(1_000);
    await vi.advanceTimersByTimeAsync(999);
    await turn();
    expect(resilient.health()[0]?.totalAttempts).toBe(1); // nothing before 1 s
    await vi.advanceTimersByTimeAsync(retry.delayMs - 999);
    await received(2);
    const result = await call;
    expect(result.degraded).toBe(false);
    expect(fake.requests).toHaveLength(2);
    expect(resilient.health()[0]?.totalAttempts).toBe(2);
    expect(gaps()[0]).toBeGreaterThanOrEqual(1_000);
  });

  // With the clock faked, a call that waited for the Retry-After would never settle (the test
  // would time out): these settle while no time passes.
  it("a Retry-After beyond the budget is not waited for: straight to the fallback", async () => {
    useFakeClock();
    const { resilient, fallback, events } = setup({ retry: { budgetMs: 500 } });
    fake.setBehavior({ kind: "status", status: 429, retryAfterSeconds: 5 });
    const started = Date.now();
    const result = await resilient.process(req, never());
    expect(Date.now() - started).toBe(0);
    expect(events.filter((e) => e.type === "retry")).toEqual([]);
    expect(fake.requests).toHaveLength(1);
    expect(result).toMatchObject({ degraded: true, provider: "local" });
    expect(fallback.calls).toBe(1);
  });

  it("a Retry-After beyond maxRetryAfterMs is not waited for either", async () => {
    useFakeClock();
    const { resilient, events } = setup({ retry: { maxRetryAfterMs: 300 } });
    fake.setBehavior({ kind: "status", status: 503, retryAfterSeconds: 2 });
    const started = Date.now();
    const result = await resilient.process(req, never());
    expect(Date.now() - started).toBe(0);
    expect(events.filter((e) => e.type === "retry")).toEqual([]);
    expect(fake.requests).toHaveLength(1);
    expect(result.degraded).toBe(true);
  });

  it("400 -> exactly one request, the error rethrown, no fallback", async () => {
    const { resilient, fallback, events } = setup();
    fake.setBehavior({ kind: "status", status: 400 });
    const e = await rejection(resilient.process(req, never()));
    expect(e).toBeInstanceOf(ProviderError);
    expect((e as ProviderError).opts).toMatchObject({ retryable: false, status: 400 });
    expect(fake.requests).toHaveLength(1);
    expect(fallback.calls).toBe(0);
    expect(events).toEqual([]);
    // Not the provider's fault: the breaker does not count it.
    expect(resilient.health()[0]).toMatchObject({
      circuit: "closed",
      consecutiveFailures: 0,
      totalFailures: 0,
    });
  });

  it("a BAD_REQUEST AppError from a provider is rethrown, not retried, no fallback", async () => {
    const primary = new StubProvider("local", () => new AppError("BAD_REQUEST", "no text"));
    const fallback = new StubProvider("other");
    const { resilient } = setup({ primary, fallback });
    const e = await rejection(resilient.process(req, never()));
    expect(e).toBeInstanceOf(AppError);
    expect(primary.calls).toBe(1);
    expect(fallback.calls).toBe(0);
  });

  it("always 500 -> maxAttempts requests, then the fallback's result, degraded", async () => {
    const { resilient, fallback, events } = setup();
    fake.setBehavior({ kind: "status", status: 500 });
    const result = await resilient.process(req, never());
    expect(fake.requests).toHaveLength(3);
    expect(result).toMatchObject({ degraded: true, provider: "local", output: EMPTY_FIELDS });
    expect(fallback.calls).toBe(1);
    expect(events.at(-1)).toMatchObject({ type: "fallback", from: "openai", to: "local", reason: "failed" });
  });

  it("an invalid result is not retried but falls back", async () => {
    const { resilient, fallback } = setup();
    fake.setBehavior({ kind: "ok", content: "not json" });
    const result = await resilient.process(req, never());
    expect(fake.requests).toHaveLength(1);
    expect(result.degraded).toBe(true);
    expect(fallback.calls).toBe(1);
  });

  it("a hanging upstream times out per attempt, then falls back", async () => {
    useFakeClock();
    const { resilient, fallback, events, nth } = setup({
      timeoutMs: 100,
      retry: { maxAttempts: 2, random: () => 0.99 }, // a known backoff: floor(0.99 x 5) = 4 ms
    });
    fake.setBehavior({ kind: "hang" });
    const started = Date.now();
    const call = resilient.process(req, never());
    await received(1);
    await vi.advanceTimersByTimeAsync(99);
    await turn();
    expect(events).toEqual([]); // the first attempt still waits at 99 ms
    await vi.advanceTimersByTimeAsync(1);
    const retry = await nth("retry"); // timed out at 100 ms, retried
    expect(retry.delayMs).toBe(4);
    await vi.advanceTimersByTimeAsync(retry.delayMs);
    await received(2);
    await vi.advanceTimersByTimeAsync(99);
    await turn();
    expect(fallback.calls).toBe(0); // the second attempt still waits at 99 ms
    await vi.advanceTimersByTimeAsync(1);
    const result = await call;
    expect(fake.requests).toHaveLength(2);
    // Two attempts of exactly timeoutMs each, the backoff between them, and not a moment more.
    expect(Date.now() - started).toBe(200 + retry.delayMs);
    expect(result.degraded).toBe(true);
    expect(fallback.calls).toBe(1);
    expect(resilient.health()[0]?.lastErrorMessage).toBe("openai timed out after 100 ms");
  });

  it("connection resets are retried", async () => {
    const { resilient } = setup();
    fake.setBehavior([{ kind: "reset" }, { kind: "ok" }]);
    const result = await resilient.process(req, never());
    expect(fake.requests).toHaveLength(2);
    expect(result.degraded).toBe(false);
  });

  it("backoff delays grow exponentially (jitter pinned near its top)", async () => {
    useFakeClock();
    const { resilient, events, nth } = setup({
      retry: { maxAttempts: 4, initialDelayMs: 60, maxDelayMs: 1_000, random: () => 0.99 },
    });
    fake.setBehavior({ kind: "status", status: 500 });
    const call = resilient.process(req, never());
    for (const [i, expected] of [59, 118, 237].entries()) {
      const retry = await nth("retry", i + 1);
      expect(retry.delayMs).toBe(expected);
      await vi.advanceTimersByTimeAsync(retry.delayMs - 1);
      await turn();
      expect(resilient.health()[0]?.totalAttempts).toBe(i + 1); // not a moment early
      await vi.advanceTimersByTimeAsync(1);
      await received(i + 2);
    }
    await call;
    const delays = events.flatMap((e) => (e.type === "retry" ? [e.delayMs] : []));
    expect(delays).toEqual([59, 118, 237]);
    // Each retry reached the upstream exactly its delay after the attempt before it.
    const g = gaps();
    expect(g).toEqual(delays);
    expect(g[1]!).toBeGreaterThan(g[0]!);
    expect(g[2]!).toBeGreaterThan(g[1]!);
  });

  it("backoff with full jitter stays within [0, initial × 2^n), capped at maxDelay", async () => {
    const { resilient, events } = setup({ retry: { maxAttempts: 6, initialDelayMs: 10, maxDelayMs: 50 } });
    fake.setBehavior({ kind: "status", status: 500 });
    for (let i = 0; i < 3; i++) await resilient.process(req, never());
    const retries = events.flatMap((e) => (e.type === "retry" ? [e] : []));
    expect(retries).toHaveLength(15);
    for (const r of retries) {
      expect(r.delayMs).toBeGreaterThanOrEqual(0);
      expect(r.delayMs).toBeLessThan(Math.min(50, 10 * 2 ** (r.attempt - 1)));
    }
  });

  it("the caller's abort stops a call waiting for a retry", async () => {
    useFakeClock();
    const { resilient, fallback, nth } = setup();
    fake.setBehavior({ kind: "status", status: 429, retryAfterSeconds: 3 });
    const ctrl = new AbortController();
    const started = Date.now();
    const call = rejection(resilient.process(req, ctrl.signal));
    const retry = await nth("retry");
    expect(retry.delayMs).toBeGreaterThanOrEqual(3_000); // waiting for the retry now
    ctrl.abort();
    // It ends at once: the clock is fake and has not moved, so the 3 s wait was not sat out.
    const e = await call;
    expect(Date.now() - started).toBe(0);
    expect((e as ProviderError).message).toBe("request aborted");
    expect(fake.requests).toHaveLength(1);
    expect(fallback.calls).toBe(0);
  });
});

describe("circuit breaker", () => {
  it("opens after failureThreshold failed calls, skips the primary, then a half-open trial closes it", async () => {
    useFakeClock();
    const { resilient, fallback, events } = setup({
      retry: { maxAttempts: 1 },
      breaker: { failureThreshold: 2, halfOpenAfterMs: 300 },
    });
    fake.setBehavior({ kind: "status", status: 500 });

    expect((await resilient.process(req, never())).degraded).toBe(true);
    expect(resilient.health()[0]).toMatchObject({ circuit: "closed", consecutiveFailures: 1 });
    expect((await resilient.process(req, never())).degraded).toBe(true);
    expect(fake.requests).toHaveLength(2);
    expect(resilient.health()[0]).toMatchObject({ circuit: "open", consecutiveFailures: 2 });

    // Open: the next call never reaches the upstream.
    const skipped = await resilient.process(req, never());
    expect(skipped).toMatchObject({ degraded: true, provider: "local" });
    expect(fake.requests).toHaveLength(2);
    expect(fallback.calls).toBe(3);
    expect(resilient.health()[0]?.shortCircuited).toBe(1);
    expect(events).toContainEqual(expect.objectContaining({ type: "fallback", reason: "circuit_open" }));

    // After halfOpenAfterMs one trial goes through; it succeeds and the circuit closes.
    await vi.advanceTimersByTimeAsync(300);
    fake.setBehavior({ kind: "ok" });
    const trial = await resilient.process(req, never());
    expect(trial).toMatchObject({ degraded: false, provider: "openai" });
    expect(fake.requests).toHaveLength(3);
    const h = resilient.health()[0]!;
    expect(h).toMatchObject({
      name: "openai",
      role: "primary",
      circuit: "closed",
      consecutiveFailures: 0,
      totalCalls: 3,
      totalFailures: 2,
      totalAttempts: 3,
      shortCircuited: 1,
    });
    expect(h.lastErrorMessage).toMatch(/^upstream error \(500/);
    expect(h.lastErrorAt).toBeInstanceOf(Date);
    expect(h.openedAt).toBeInstanceOf(Date);
    expect(
      events.filter((e) => e.type === "circuit").map((e) => (e.type === "circuit" ? e.state : "")),
    ).toEqual(["open", "half-open", "closed"]);
  });

  it("a failed half-open trial opens the circuit again", async () => {
    useFakeClock();
    const { resilient } = setup({
      retry: { maxAttempts: 1 },
      breaker: { failureThreshold: 1, halfOpenAfterMs: 150 },
    });
    fake.setBehavior({ kind: "status", status: 503 });
    await resilient.process(req, never());
    expect(resilient.health()[0]?.circuit).toBe("open");
    await vi.advanceTimersByTimeAsync(150);
    await resilient.process(req, never()); // the trial: one request, fails
    expect(fake.requests).toHaveLength(2);
    expect(resilient.health()[0]?.circuit).toBe("open");
    await resilient.process(req, never()); // open again: skipped
    expect(fake.requests).toHaveLength(2);
  });

  it("while a half-open trial is in flight, other calls go to the fallback instead of queueing", async () => {
    useFakeClock();
    const { resilient } = setup({
      retry: { maxAttempts: 1 },
      breaker: { failureThreshold: 1, halfOpenAfterMs: 100 },
    });
    fake.setBehavior({ kind: "status", status: 500 });
    await resilient.process(req, never());
    await vi.advanceTimersByTimeAsync(100);
    // The fake upstream's delay runs on the fake clock too: the trial is held there until it moves.
    fake.setBehavior({ kind: "ok", delayMs: 300 });
    const trial = resilient.process(req, never());
    await received(2);
    expect(resilient.health()[0]?.circuit).toBe("half-open");
    // Answered while the trial is still held: it did not queue behind it.
    const other = await resilient.process(req, never());
    expect(other.degraded).toBe(true);
    expect(fake.requests).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(300);
    expect((await trial).degraded).toBe(false);
    expect(resilient.health()[0]?.circuit).toBe("closed");
  });

  it("health() and its formatter reflect every provider", async () => {
    const { resilient } = setup({ retry: { maxAttempts: 2 }, breaker: { failureThreshold: 1 } });
    fake.setBehavior({ kind: "status", status: 500 });
    await resilient.process(req, never());
    const health = resilient.health();
    expect(health).toHaveLength(2);
    expect(health[0]).toMatchObject({ name: "openai", circuit: "open", totalAttempts: 2, totalFailures: 1 });
    expect(health[1]).toMatchObject({
      name: "local",
      role: "fallback",
      circuit: "closed",
      totalCalls: 1,
      lastErrorMessage: null,
    });
    const text = formatProviderHealth(health);
    expect(text).toContain("openai (primary): open, 1 consecutive failure, last error");
    expect(text).toContain("local (fallback): closed; calls 1");
  });

  it("when every circuit is open the call fails with a 503 ProviderError", async () => {
    const failing = new StubProvider("local", () => new ProviderError("down", { retryable: true }));
    const { resilient } = setup({
      fallback: failing,
      retry: { maxAttempts: 1 },
      breaker: { failureThreshold: 1, halfOpenAfterMs: 10_000 },
    });
    fake.setBehavior({ kind: "status", status: 500 });
    const first = await rejection(resilient.process(req, never()));
    expect((first as ProviderError).message).toBe("down");
    const e = await rejection(resilient.process(req, never()));
    expect((e as ProviderError).opts).toMatchObject({ retryable: true, status: 503 });
    expect(fake.requests).toHaveLength(1);
  });
});

async function collect(chunks: AsyncIterable<ChatChunk>, into: ChatChunk[] = []): Promise<ChatChunk[]> {
  for await (const c of chunks) into.push(c);
  return into;
}

describe("chat and streaming", () => {
  it("chat: 500 then ok -> retried, not degraded", async () => {
    const { resilient } = setup();
    fake.setBehavior([{ kind: "status", status: 500 }, { kind: "ok" }]);
    const result = await resilient.chat(chatReq, never());
    expect(result).toMatchObject({ degraded: false, content: "Hello from the fake OpenAI upstream." });
    expect(fake.requests).toHaveLength(2);
  });

  it("chatStream: 500 then ok -> the stream opens from the retry", async () => {
    const { resilient, fallback } = setup();
    fake.setBehavior([{ kind: "status", status: 500 }, { kind: "ok" }]);
    const stream = await resilient.chatStream(chatReq, never());
    expect(stream.degraded).toBe(false);
    expect(stream.provider).toBe("openai");
    const chunks = await collect(stream.chunks);
    expect(chunks.map((c) => c.delta).join("")).toBe("Hello from the fake OpenAI upstream.");
    expect(chunks.at(-1)?.usage).not.toBeNull();
    expect(fake.requests).toHaveLength(2);
    expect(fallback.calls).toBe(0);
  });

  it("chatStream: cut before the first chunk -> retried", async () => {
    const { resilient } = setup();
    fake.setBehavior([{ kind: "cut", afterChunks: 0 }, { kind: "ok" }]);
    const stream = await resilient.chatStream(chatReq, never());
    const chunks = await collect(stream.chunks);
    expect(chunks.map((c) => c.delta).join("")).toBe("Hello from the fake OpenAI upstream.");
    expect(fake.requests).toHaveLength(2);
  });

  it("chatStream: cut after opening -> the consumer sees the error, no retry, no fallback", async () => {
    const { resilient, fallback } = setup();
    fake.setBehavior({ kind: "cut", afterChunks: 2 });
    const stream = await resilient.chatStream(chatReq, never());
    const got: ChatChunk[] = [];
    const e = await rejection(collect(stream.chunks, got));
    expect(e).toBeInstanceOf(ProviderError);
    expect(got.map((c) => c.delta)).toEqual(["Hello ", "from "]);
    expect(fake.requests).toHaveLength(1);
    expect(fallback.calls).toBe(0);
    expect(resilient.health()[0]?.totalFailures).toBe(1);
  });

  it("chatStream: always failing -> the fallback's stream, degraded", async () => {
    const { resilient } = setup({ retry: { maxAttempts: 2 } });
    fake.setBehavior({ kind: "status", status: 502 });
    const stream = await resilient.chatStream(chatReq, never());
    expect(stream.degraded).toBe(true);
    expect((await collect(stream.chunks)).map((c) => c.delta).join("")).toBe("stub");
    expect(fake.requests).toHaveLength(2);
  });

  it("chatStream: a consumer that stops early releases the upstream request", async () => {
    const { resilient } = setup();
    fake.setBehavior({ kind: "ok", chunkDelayMs: 20 });
    const stream = await resilient.chatStream(chatReq, never());
    for await (const c of stream.chunks) {
      expect(c.delta).toBe("Hello ");
      break;
    }
    // A fresh request still works (the connection pool is not wedged).
    fake.setBehavior({ kind: "ok" });
    expect((await resilient.chat(chatReq, never())).degraded).toBe(false);
  });
});

/** A primary that fails each call the way its script says (null: it answers), then answers. */
class ScriptedProvider extends StubProvider {
  private readonly script: Array<Error | null>;
  constructor(name: string, script: Array<Error | null>) {
    super(name);
    this.script = [...script];
  }
  private next() {
    const e = this.script.shift();
    if (e) {
      this.calls++;
      throw e;
    }
  }
  override async process(r: ProviderRequest): Promise<ProviderResult> {
    this.next();
    return { ...(await super.process(r)), model: "gpt-4o-mini" };
  }
  override async chat(r: ChatRequest): Promise<ChatResult> {
    this.next();
    return { ...(await super.chat(r)), model: "gpt-4o-mini" };
  }
  override async chatStream(r: ChatRequest): Promise<ChatStream> {
    this.next();
    return super.chatStream(r);
  }
}

describe("what failed attempts consumed (they are billed with the call)", () => {
  const paid = { inputTokens: 1_000, outputTokens: 500, cachedInputTokens: 0 };
  /** An answer that was paid for and could not be used, which a retry may help. */
  const paidAndRetryable = () =>
    new ProviderError("answered badly", {
      retryable: true,
      consumed: { provider: "openai", model: "gpt-4o-mini", usage: paid },
    });

  it("an invalid upstream answer, then the fallback: the upstream's usage is reported", async () => {
    const { resilient, fallback } = setup();
    fake.setBehavior({
      kind: "ok",
      content: "not JSON",
      usage: { prompt_tokens: 1_000, completion_tokens: 500, cached_tokens: 0 },
    });
    const failed: AttemptUsage[] = [];
    const result = await resilient.process(req, never(), undefined, failed);
    expect(result).toMatchObject({ provider: "local", degraded: true });
    expect(fake.requests).toHaveLength(1); // an invalid answer is not retried
    expect(fallback.calls).toBe(1);
    expect(failed).toEqual([{ provider: "openai", model: "gpt-4o-mini", usage: paid }]);
  });

  it("without a fallback the call fails, and the usage is reported all the same", async () => {
    const { resilient, fallback } = setup();
    fake.setBehavior({
      kind: "ok",
      finishReason: "length",
      usage: { prompt_tokens: 1_000, completion_tokens: 500, cached_tokens: 0 },
    });
    const failed: AttemptUsage[] = [];
    const e = await rejection(resilient.process(req, never(), { fallback: false }, failed));
    expect(e).toBeInstanceOf(ProviderError);
    expect(fallback.calls).toBe(0);
    expect(failed).toEqual([{ provider: "openai", model: "gpt-4o-mini", usage: paid }]);
  });

  it("a paid failure, then a retry that answers: both attempts are known, not degraded", async () => {
    const primary = new ScriptedProvider("openai", [paidAndRetryable(), paidAndRetryable()]);
    const { resilient, fallback } = setup({ primary });
    const failed: AttemptUsage[] = [];
    const result = await resilient.process(req, never(), undefined, failed);
    expect(result).toMatchObject({ provider: "openai", degraded: false });
    expect(primary.calls).toBe(3);
    expect(fallback.calls).toBe(0);
    expect(failed).toEqual([
      { provider: "openai", model: "gpt-4o-mini", usage: paid },
      { provider: "openai", model: "gpt-4o-mini", usage: paid },
    ]);
  });

  it("chat and chatStream report them the same way", async () => {
    const chatFailed: AttemptUsage[] = [];
    const chat = setup({ primary: new ScriptedProvider("openai", [paidAndRetryable()]) });
    expect(await chat.resilient.chat(chatReq, never(), chatFailed)).toMatchObject({ degraded: false });
    expect(chatFailed).toHaveLength(1);

    const streamFailed: AttemptUsage[] = [];
    const stream = setup({ primary: new ScriptedProvider("openai", [paidAndRetryable()]) });
    const opened = await stream.resilient.chatStream(chatReq, never(), streamFailed);
    await collect(opened.chunks);
    expect(streamFailed).toEqual([{ provider: "openai", model: "gpt-4o-mini", usage: paid }]);
  });

  it("failures that consumed nothing (errors, timeouts) add nothing", async () => {
    const { resilient } = setup();
    fake.setBehavior({ kind: "status", status: 503 });
    const failed: AttemptUsage[] = [];
    expect(await resilient.process(req, never(), undefined, failed)).toMatchObject({ degraded: true });
    expect(fake.requests).toHaveLength(3);
    expect(failed).toEqual([]);
  });
});
