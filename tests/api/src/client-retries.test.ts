/**
 * The typed client's retries (packages/client): a read that cannot reach the platform, or is
 * refused with 503, is made again with backoff; a mutation never is (a document is resent by its
 * sender with the same idempotency key). The platform is the real server; while it is "away", its
 * port is simply closed, and a TCP relay opened on that port later carries the retry to it.
 */
import { connect, createServer, type Server } from "node:net";
import type { RunningServer } from "@wedsync/api/server";
import { createWedsyncClient, isRetryable, retryDelay } from "@wedsync/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer } from "./harness/server";
import { createTenant } from "./harness/tenant";

let server: RunningServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server?.close();
});

/** A port nothing listens on (yet). */
async function closedPort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((r) => probe.listen(0, "127.0.0.1", r));
  const { port } = probe.address() as { port: number };
  await new Promise<void>((r) => probe.close(() => r()));
  return port;
}

/** Relays every connection on `port` to the platform: the platform "comes back" on that address. */
async function relay(port: number, to: URL): Promise<Server> {
  const relayServer = createServer((socket) => {
    const upstream = connect(Number(to.port), to.hostname);
    socket.pipe(upstream).pipe(socket);
    const end = () => {
      socket.destroy();
      upstream.destroy();
    };
    socket.on("error", end);
    upstream.on("error", end);
  });
  await new Promise<void>((r) => relayServer.listen(port, "127.0.0.1", r));
  return relayServer;
}

/** Fetch that counts the requests it makes. */
function countingFetch() {
  const calls = { n: 0 };
  const counted: typeof fetch = (input, init) => {
    calls.n++;
    return fetch(input, init);
  };
  return { calls, fetch: counted };
}

describe("the typed client's retries", () => {
  it("a read made while the platform cannot be reached is retried, and answered once it can be", async () => {
    const tenant = await createTenant(server);
    const { key } = await tenant.apiKey("member");
    const port = await closedPort();
    const { calls, fetch } = countingFetch();
    const client = createWedsyncClient({
      url: `http://127.0.0.1:${port}`,
      apiKey: key,
      fetch,
      retry: { retries: 8, baseDelayMs: 100, maxDelayMs: 400 },
    });
    const answer = client.clients.list.query({});
    // Let a first attempt or two fail against the closed port, then open the way.
    await new Promise((r) => setTimeout(r, 250));
    expect(calls.n).toBeGreaterThanOrEqual(1);
    const open = await relay(port, new URL(server.url));
    try {
      const listed = await answer;
      expect(listed.clients.map((c) => c.id).sort()).toEqual([...tenant.clientIds].sort());
      expect(calls.n).toBeGreaterThanOrEqual(2);
    } finally {
      await new Promise<void>((r) => open.close(() => r()));
    }
  });

  it("a mutation is made once, and a read too with retries off", async () => {
    const tenant = await createTenant(server);
    const { key } = await tenant.apiKey("member");
    const port = await closedPort();
    const mutation = countingFetch();
    const withRetries = createWedsyncClient({
      url: `http://127.0.0.1:${port}`,
      apiKey: key,
      fetch: mutation.fetch,
    });
    await expect(
      withRetries.clients.process.mutate({
        clientId: tenant.clientIds[0]!,
        featureType: "field_extraction",
        input: { text: "Emma & Liam, 12 June 2027" },
      }),
    ).rejects.toThrow();
    expect(mutation.calls.n).toBe(1);

    const read = countingFetch();
    const noRetries = createWedsyncClient({
      url: `http://127.0.0.1:${port}`,
      apiKey: key,
      fetch: read.fetch,
      retry: false,
    });
    await expect(noRetries.clients.list.query({})).rejects.toThrow();
    expect(read.calls.n).toBe(1);
  });

  it("an answer the platform gave (not found, forbidden, bad input) is final: one request", async () => {
    const [mine, theirs] = await Promise.all([createTenant(server), createTenant(server)]);
    const { key } = await mine.apiKey("member");
    const { calls, fetch } = countingFetch();
    const client = createWedsyncClient({ url: server.url, apiKey: key, fetch });
    await expect(client.clients.config.get.query({ clientId: theirs.clientIds[0]! })).rejects.toMatchObject({
      data: { code: "NOT_FOUND" },
    });
    expect(calls.n).toBe(1);
  });

  it("which failures are retried, and how long it waits", () => {
    expect(isRetryable({ type: "query" }, { data: { httpStatus: 503 } })).toBe(true);
    expect(isRetryable({ type: "query" }, {})).toBe(true);
    expect(isRetryable({ type: "query" }, { data: { httpStatus: 429 } })).toBe(false);
    expect(isRetryable({ type: "query" }, { data: { httpStatus: 500 } })).toBe(false);
    expect(isRetryable({ type: "mutation" }, { data: { httpStatus: 503 } })).toBe(false);
    expect(isRetryable({ type: "subscription" }, {})).toBe(false);
    // Exponential with full jitter in [cap/2, cap], capped.
    expect(retryDelay(1, {}, () => 0)).toBe(125);
    expect(retryDelay(1, {}, () => 1)).toBe(250);
    expect(retryDelay(3, {}, () => 1)).toBe(1_000);
    expect(retryDelay(10, {}, () => 1)).toBe(4_000);
    expect(retryDelay(10, { maxDelayMs: 1_000 }, () => 0)).toBe(500);
  });
});
