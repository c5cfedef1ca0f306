import { AppError, type PriorityBand, type RequestPriority } from "@wedsync/core";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { type GateObserver, type Permit, ProviderGate } from "./provider-gate";
import { createResilientProvider } from "./resilience";
import {
  type AIProvider,
  type ChatChunk,
  type ChatRequest,
  type ChatResult,
  type ChatStream,
  ProviderError,
  type ProviderRequest,
  type ProviderResult,
} from "./types";

const never = () => new AbortController().signal;
const P = (level: number, background = false): RequestPriority => ({ level, background });

/** What the gate told metrics. */
function recorder() {
  const waited: Array<{ band: PriorityBand; ms: number }> = [];
  const refused: PriorityBand[] = [];
  const observer: GateObserver = {
    waited: (_p, band, ms) => waited.push({ band, ms }),
    refused: (_p, band) => refused.push(band),
  };
  return { waited, refused, observer };
}

beforeEach(() => {
  vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "Date"] });
});
afterEach(() => {
  vi.useRealTimers();
});

const gateOf = (concurrency: number, observer?: GateObserver, maxWaitMs = 10_000) =>
  new ProviderGate({ provider: "openai", concurrency, maxWaitMs, observer, now: () => Date.now() });

/** Acquires, recording the order in which callers got their slot. */
function take(
  gate: ProviderGate,
  name: string,
  priority: RequestPriority,
  order: string[],
  signal = never(),
) {
  return gate.acquire(priority, signal).then((permit) => {
    order.push(name);
    return permit;
  });
}

describe("ProviderGate", () => {
  it("lets `concurrency` calls through at once and queues the rest until a slot is given back", async () => {
    const gate = gateOf(2);
    const order: string[] = [];
    const a = await take(gate, "a", P(5), order);
    await take(gate, "b", P(5), order);
    const c = take(gate, "c", P(5), order);
    await vi.advanceTimersByTimeAsync(0);
    expect(order).toEqual(["a", "b"]);
    expect(gate.snapshot()).toEqual({
      provider: "openai",
      concurrency: 2,
      inFlight: 2,
      waiting: { high: 0, normal: 1, low: 0 },
    });
    a.release();
    a.release(); // idempotent: a second release frees nothing more
    await c;
    expect(order).toEqual(["a", "b", "c"]);
    expect(gate.snapshot().inFlight).toBe(2);
  });

  it("gives freed slots high before normal before low, FIFO within a band, background after interactive", async () => {
    const { waited, observer } = recorder();
    const gate = gateOf(1, observer);
    const order: string[] = [];
    const holder = await take(gate, "holder", P(1), order);
    const queued = new Map<string, Promise<Permit>>();
    for (const [name, priority] of [
      ["low-1", P(9)],
      ["normal-bg", P(5, true)],
      ["low-2", P(7)],
      ["high-bg", P(1, true)],
      ["normal", P(4)],
      ["high", P(3)],
    ] as const) {
      queued.set(name, take(gate, name, priority, order));
    }
    let permit: Permit = holder;
    for (let i = 0; i < queued.size; i++) {
      await vi.advanceTimersByTimeAsync(100);
      permit.release();
      await vi.advanceTimersByTimeAsync(0);
      permit = await queued.get(order.at(-1)!)!;
    }
    expect(order).toEqual(["holder", "high", "high-bg", "normal", "normal-bg", "low-1", "low-2"]);
    permit.release();
    expect(gate.snapshot().inFlight).toBe(0);
    // Every grant was reported with its band; the first without waiting.
    expect(waited[0]).toEqual({ band: "high", ms: 0 });
    expect(waited.map((w) => w.band)).toEqual(["high", "high", "high", "normal", "normal", "low", "low"]);
    expect(waited.at(-1)!.ms).toBe(600);
  });

  it("ages: a low request that has waited long enough goes before high work that arrived later", async () => {
    const gate = gateOf(1, undefined, 10_000); // ageing step 1 s: low is 4 classes below high
    const order: string[] = [];
    const holder = await take(gate, "holder", P(1), order);
    const low = take(gate, "low", P(8), order);
    await vi.advanceTimersByTimeAsync(4_500);
    const high = take(gate, "high", P(1), order);
    holder.release();
    (await low).release();
    (await high).release();
    expect(order).toEqual(["holder", "low", "high"]);
  });

  it("refuses at the wait bound with SERVICE_UNAVAILABLE and a Retry-After, and reports it", async () => {
    const { refused, observer } = recorder();
    const gate = gateOf(1, observer, 2_000);
    const holder = await gate.acquire(P(1), never());
    const waiting = gate.acquire(P(8), never());
    const outcome = waiting.then(
      () => null,
      (e: unknown) => e,
    );
    await vi.advanceTimersByTimeAsync(1_999);
    expect(gate.snapshot().waiting.low).toBe(1);
    await vi.advanceTimersByTimeAsync(1);
    const err = await outcome;
    expect(err).toBeInstanceOf(AppError);
    expect(err).toMatchObject({
      code: "SERVICE_UNAVAILABLE",
      message: expect.stringMatching(/^The AI provider is saturated; try again in \d+ s$/),
      details: { reason: "provider_saturated", provider: "openai", retryAfterSeconds: expect.any(Number) },
    });
    expect((err as AppError).details!.retryAfterSeconds).toBeGreaterThanOrEqual(1);
    expect(refused).toEqual(["low"]);
    expect(gate.snapshot()).toMatchObject({ inFlight: 1, waiting: { high: 0, normal: 0, low: 0 } });
    // The refused caller never gets the slot later.
    holder.release();
    expect(gate.snapshot().inFlight).toBe(0);
  });

  it("an aborted caller leaves the queue at once and never takes a slot", async () => {
    const gate = gateOf(1);
    const holder = await gate.acquire(P(1), never());
    const controller = new AbortController();
    const aborted = gate.acquire(P(1), controller.signal).then(
      () => null,
      (e: unknown) => e,
    );
    const next = gate.acquire(P(9), never());
    expect(gate.snapshot().waiting).toEqual({ high: 1, normal: 0, low: 1 });
    controller.abort();
    expect(await aborted).toBeInstanceOf(ProviderError);
    expect(gate.snapshot().waiting).toEqual({ high: 0, normal: 0, low: 1 });
    holder.release();
    (await next).release();
    expect(gate.snapshot().inFlight).toBe(0);
    // Already aborted: refused without queueing.
    await expect(gate.acquire(P(1), controller.signal)).rejects.toBeInstanceOf(ProviderError);
    expect(gate.snapshot()).toMatchObject({ inFlight: 0, waiting: { high: 0, normal: 0, low: 0 } });
  });

  it("refuses a concurrency below 1", () => {
    expect(() => gateOf(0)).toThrow(RangeError);
  });
});

// ---- wired into the resilient chain ----

const RESULT: ProviderResult = {
  output: { fields: {} } as ProviderResult["output"],
  usage: { inputTokens: 1, outputTokens: 1, cachedInputTokens: 0 },
  model: "m",
  provider: "primary",
};

/** A provider whose calls stay open until the test settles them, in the order they started. */
class HeldProvider implements AIProvider {
  readonly calls: Array<{
    priority: RequestPriority | undefined;
    settle: (outcome: "ok" | Error) => void;
  }> = [];
  constructor(readonly name: string) {}
  private hold<T>(priority: RequestPriority | undefined, value: T): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.calls.push({ priority, settle: (o) => (o === "ok" ? resolve(value) : reject(o)) });
    });
  }
  process(req: ProviderRequest): Promise<ProviderResult> {
    return this.hold(req.priority, { ...RESULT, provider: this.name });
  }
  chat(req: ChatRequest): Promise<ChatResult> {
    return this.hold(req.priority, {
      content: "hi",
      finishReason: "stop",
      usage: RESULT.usage,
      model: "m",
      provider: this.name,
    });
  }
  async chatStream(req: ChatRequest): Promise<ChatStream> {
    await this.hold(req.priority, null);
    async function* chunks(): AsyncGenerator<ChatChunk> {
      yield { delta: "a", finishReason: null, usage: null };
      yield { delta: "b", finishReason: "stop", usage: RESULT.usage };
    }
    return { model: "m", provider: this.name, chunks: chunks() };
  }
}

const REQ = (level: number): ProviderRequest => ({
  input: { featureType: "field_extraction", text: "x" },
  model: "m",
  customInstructions: null,
  maxOutputTokens: 10,
  priority: P(level),
});
const CHAT = (level: number): ChatRequest => ({
  messages: [{ role: "user", content: "hi" }],
  model: "m",
  maxOutputTokens: 10,
  featureType: "field_extraction",
  priority: P(level),
});

function chainWith(opts: { maxAttempts?: number; maxWaitMs?: number } = {}) {
  const primary = new HeldProvider("primary");
  const fallback = new HeldProvider("fallback");
  const gate = new ProviderGate({
    provider: "primary",
    concurrency: 1,
    maxWaitMs: opts.maxWaitMs ?? 10_000,
    now: () => Date.now(),
  });
  const chain = createResilientProvider({
    providers: [primary, fallback],
    timeoutMs: 60_000,
    retry: { maxAttempts: opts.maxAttempts ?? 1, initialDelayMs: 1, maxDelayMs: 1, random: () => 0 },
    breaker: { failureThreshold: 1, halfOpenAfterMs: 60_000 },
    gates: { primary: gate },
  });
  return { primary, fallback, gate, chain };
}

/** Lets the chain's promise steps run (fake timers: a 0 ms advance flushes them). */
const settle = () => vi.advanceTimersByTimeAsync(0);

describe("the gate in the resilient chain", () => {
  it("each attempt waits in priority order; the request's priority reaches the gate", async () => {
    const { primary, gate, chain } = chainWith();
    const first = chain.process(REQ(1), never());
    await settle();
    const low = chain.process(REQ(9), never());
    const high = chain.process(REQ(2), never());
    await settle();
    expect(primary.calls).toHaveLength(1);
    expect(gate.snapshot().waiting).toEqual({ high: 1, normal: 0, low: 1 });
    primary.calls[0]!.settle("ok");
    await first;
    await settle();
    expect(primary.calls.map((c) => c.priority?.level)).toEqual([1, 2]);
    primary.calls[1]!.settle("ok");
    await high;
    await settle();
    primary.calls[2]!.settle("ok");
    await low;
    expect(gate.snapshot().inFlight).toBe(0);
  });

  it("a refusal at the wait bound is not the provider's fault: no fallback, no breaker failure, nothing held", async () => {
    const { primary, fallback, gate, chain } = chainWith({ maxWaitMs: 500 });
    const first = chain.process(REQ(1), never());
    await settle();
    const refused = chain.process(REQ(5), never()).then(
      () => null,
      (e: unknown) => e,
    );
    await vi.advanceTimersByTimeAsync(500);
    expect(await refused).toMatchObject({ code: "SERVICE_UNAVAILABLE" });
    expect(fallback.calls).toHaveLength(0);
    const [health] = chain.health();
    // failureThreshold is 1: a counted failure would have opened the circuit.
    expect(health).toMatchObject({ circuit: "closed", consecutiveFailures: 0, totalFailures: 0 });
    primary.calls[0]!.settle("ok");
    await first;
    expect(gate.snapshot().inFlight).toBe(0);
  });

  it("gives the slot back when an attempt fails, and between retries", async () => {
    const { primary, fallback, gate, chain } = chainWith({ maxAttempts: 2 });
    const call = chain.process(REQ(1), never());
    await settle();
    primary.calls[0]!.settle(new ProviderError("upstream 500", { retryable: true, status: 500 }));
    await vi.advanceTimersByTimeAsync(5);
    // The retry took the slot again, and the slot was free in between.
    expect(primary.calls).toHaveLength(2);
    expect(gate.snapshot().inFlight).toBe(1);
    primary.calls[1]!.settle(new ProviderError("upstream 500", { retryable: true, status: 500 }));
    await vi.advanceTimersByTimeAsync(5);
    // Fell back to the ungated provider; the primary's slot is free.
    expect(gate.snapshot().inFlight).toBe(0);
    fallback.calls[0]!.settle("ok");
    expect(await call).toMatchObject({ provider: "fallback", degraded: true });
    // A non-provider error (the caller's bad input) also gives the slot back (a fresh chain: the
    // failures above opened this one's circuit).
    const other = chainWith();
    const bad = other.chain.process(REQ(1), never()).catch((e: unknown) => e);
    await settle();
    expect(other.gate.snapshot().inFlight).toBe(1);
    other.primary.calls[0]!.settle(new ProviderError("bad request", { retryable: false, status: 400 }));
    expect(await bad).toBeInstanceOf(ProviderError);
    expect(other.gate.snapshot().inFlight).toBe(0);
  });

  it("an aborted call waiting for a slot leaves the queue at once", async () => {
    const { primary, gate, chain } = chainWith();
    const first = chain.chat(CHAT(1), never());
    await settle();
    const controller = new AbortController();
    const waiting = chain.chat(CHAT(1), controller.signal).catch((e: unknown) => e);
    await settle();
    expect(gate.snapshot().waiting.high).toBe(1);
    controller.abort();
    expect(await waiting).toBeInstanceOf(ProviderError);
    expect(gate.snapshot().waiting.high).toBe(0);
    primary.calls[0]!.settle("ok");
    await first;
    expect(primary.calls).toHaveLength(1);
    expect(gate.snapshot().inFlight).toBe(0);
  });

  it("a stream holds its slot until it ends", async () => {
    const { primary, gate, chain } = chainWith();
    const opening = chain.chatStream(CHAT(1), never());
    await settle();
    primary.calls[0]!.settle("ok");
    const stream = await opening;
    expect(gate.snapshot().inFlight).toBe(1);
    const deltas: string[] = [];
    for await (const c of stream.chunks) {
      deltas.push(c.delta);
      expect(gate.snapshot().inFlight).toBe(1);
    }
    expect(deltas).toEqual(["a", "b"]);
    expect(gate.snapshot().inFlight).toBe(0);
  });

  it("a stream its caller abandons before reading gives its slot back on abort", async () => {
    const { primary, gate, chain } = chainWith();
    const controller = new AbortController();
    const opening = chain.chatStream(CHAT(1), controller.signal);
    await settle();
    primary.calls[0]!.settle("ok");
    await opening;
    expect(gate.snapshot().inFlight).toBe(1);
    controller.abort();
    expect(gate.snapshot().inFlight).toBe(0);
  });
});
