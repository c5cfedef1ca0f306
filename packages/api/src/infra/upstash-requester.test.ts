/**
 * The Upstash REST requester against a real HTTP server that resets connections: a kept-alive
 * socket the server drops just as it is reused is retried once on a fresh socket; a fresh socket's
 * failure is not retried.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { createHttpRequester } from "./upstash-requester";

let server: Server | null = null;
afterEach(async () => {
  await new Promise<void>((r) => (server ? server.close(() => r()) : r()));
  server = null;
});

/** undici's "other side closed" (the server's FIN), or a reset or broken pipe. */
const CLOSED = expect.stringMatching(/^(UND_ERR_SOCKET|ECONNRESET|EPIPE)$/);

/**
 * Lets the connection that just answered go back to the pool as an idle keep-alive socket (undici
 * hands it out again only after a turn of the event loop; a call made at once opens another).
 */
const idle = () => new Promise((r) => setTimeout(r, 20));

/**
 * Answers `{ result: n }` (n: requests so far); `reset(requestOnSocket, n)` says which requests
 * get their socket closed instead (a FIN, or with `how: "rst"` a TCP reset: ECONNRESET).
 */
async function startServer(
  reset: (requestOnSocket: number, n: number) => boolean,
  how: "fin" | "rst" = "fin",
) {
  const perSocket = new Map<Socket, number>();
  const seen: Array<{ socket: number; requestOnSocket: number }> = [];
  const sockets: Socket[] = [];
  server = createServer((req, res) => {
    req.resume();
    req.on("end", () => {
      const n = (perSocket.get(req.socket) ?? 0) + 1;
      perSocket.set(req.socket, n);
      if (!sockets.includes(req.socket)) sockets.push(req.socket);
      seen.push({ socket: sockets.indexOf(req.socket), requestOnSocket: n });
      if (reset(n, seen.length)) {
        if (how === "rst") req.socket.resetAndDestroy();
        else req.socket.destroy();
        return;
      }
      res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ result: seen.length }));
    });
  });
  await new Promise<void>((r) => server!.listen(0, "127.0.0.1", () => r()));
  const url = `http://127.0.0.1:${(server!.address() as AddressInfo).port}`;
  return { url, seen };
}

describe("createHttpRequester", () => {
  it("retries once on a fresh socket when a reused keep-alive socket is reset", async () => {
    // The second request on any socket finds it dropped, as when the server's keep-alive timeout
    // closes it just as the client reuses it.
    const { url, seen } = await startServer((n) => n === 2);
    const requester = createHttpRequester({ url, token: "t", timeoutMs: 2_000 });
    expect(await requester.request({ body: ["GET", "a"] })).toEqual({ result: 1 });
    await idle();
    expect(await requester.request({ body: ["GET", "b"] })).toEqual({ result: 3 });
    // First socket: the first request, then the reset one; the retry on a second socket.
    expect(seen).toEqual([
      { socket: 0, requestOnSocket: 1 },
      { socket: 0, requestOnSocket: 2 },
      { socket: 1, requestOnSocket: 1 },
    ]);
  });

  it("retries a reused socket's TCP reset (ECONNRESET) the same way", async () => {
    const { url, seen } = await startServer((n) => n === 2, "rst");
    const requester = createHttpRequester({ url, token: "t", timeoutMs: 2_000 });
    expect(await requester.request({ body: ["GET", "a"] })).toEqual({ result: 1 });
    await idle();
    expect(await requester.request({ body: ["GET", "b"] })).toEqual({ result: 3 });
    expect(seen.map((s) => s.socket)).toEqual([0, 0, 1]);
    await new Promise<void>((r) => server!.close(() => r()));

    const fresh = await startServer(() => true, "rst");
    const once = createHttpRequester({ url: fresh.url, token: "t", timeoutMs: 2_000 });
    await expect(once.request({ body: ["GET", "a"] })).rejects.toMatchObject({ code: "ECONNRESET" });
    expect(fresh.seen).toHaveLength(1);
  });

  it("does not retry a fresh socket's failure, nor a retry's", async () => {
    const fresh = await startServer(() => true);
    const once = createHttpRequester({ url: fresh.url, token: "t", timeoutMs: 2_000 });
    await expect(once.request({ body: ["GET", "a"] })).rejects.toMatchObject({ code: CLOSED });
    expect(fresh.seen).toHaveLength(1);
    await new Promise<void>((r) => server!.close(() => r()));

    // Everything after the first request is reset: the reused socket's, then the retry's.
    const after = await startServer((_, n) => n > 1);
    const twice = createHttpRequester({ url: after.url, token: "t", timeoutMs: 2_000 });
    expect(await twice.request({ body: ["GET", "a"] })).toEqual({ result: 1 });
    await idle();
    await expect(twice.request({ body: ["GET", "b"] })).rejects.toMatchObject({ code: CLOSED });
    expect(after.seen).toHaveLength(3);
  });
});

describe("createHttpRequester: timeouts", () => {
  it("fails a call that gets no answer within timeoutMs, and is not retried", async () => {
    let calls = 0;
    server = createServer((req) => {
      calls++;
      req.resume(); // and never answer
    });
    await new Promise<void>((r) => server!.listen(0, "127.0.0.1", () => r()));
    const url = `http://127.0.0.1:${(server!.address() as AddressInfo).port}`;
    const requester = createHttpRequester({ url, token: "t", timeoutMs: 150 });
    const started = Date.now();
    await expect(requester.request({ body: ["GET", "a"] })).rejects.toThrow("no answer within 150 ms");
    // On time: undici's own header timeout ticks every half second (it fired after 0.9 s).
    expect(Date.now() - started).toBeGreaterThanOrEqual(145);
    expect(Date.now() - started).toBeLessThan(700);
    expect(calls).toBe(1);
    server!.closeAllConnections();
  });
});

describe("createHttpRequester: concurrent commands", () => {
  it("sends the first at once and those that arrive meanwhile as one pipeline, each caller getting its own answer", async () => {
    const calls: Array<{ path: string; body: unknown }> = [];
    server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => {
        const body = JSON.parse(Buffer.concat(chunks).toString("utf8"));
        calls.push({ path: req.url ?? "", body });
        // Every command answers its own key back; a command named FAIL answers an error.
        const answer = (cmd: string[]) =>
          cmd[0] === "FAIL" ? { error: `ERR ${cmd[1]}` } : { result: cmd[1] };
        const out = req.url === "/pipeline" ? (body as string[][]).map(answer) : answer(body as string[]);
        // Slow enough that the other commands queue up behind the first.
        setTimeout(() => res.writeHead(200).end(JSON.stringify(out)), 30);
      });
    });
    await new Promise<void>((r) => server!.listen(0, "127.0.0.1", () => r()));
    const url = `http://127.0.0.1:${(server!.address() as AddressInfo).port}`;
    const requester = createHttpRequester({ url, token: "t", timeoutMs: 2_000 });

    const answers = await Promise.all(
      ["a", "b", "c", "d"].map((k) => requester.request({ body: [k === "c" ? "FAIL" : "GET", k] })),
    );
    expect(answers).toEqual([{ result: "a" }, { result: "b" }, { error: "ERR c" }, { result: "d" }]);
    expect(calls).toEqual([
      { path: "/", body: ["GET", "a"] },
      {
        path: "/pipeline",
        body: [
          ["GET", "b"],
          ["FAIL", "c"],
          ["GET", "d"],
        ],
      },
    ]);
    // A pipeline the caller built goes as it is.
    await requester.request({ path: ["pipeline"], body: [["GET", "e"]] });
    expect(calls.at(-1)).toEqual({ path: "/pipeline", body: [["GET", "e"]] });
  });
});
