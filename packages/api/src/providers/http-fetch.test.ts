import { getEventListeners } from "node:events";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { httpFetch } from "./http-fetch";

let server: Server;
let base: string;
const seen: Array<{ method?: string; headers: Record<string, unknown>; body: string }> = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      seen.push({ method: req.method, headers: req.headers, body: Buffer.concat(chunks).toString("utf8") });
      if (req.url === "/json") {
        res.writeHead(200, {
          "content-type": "application/json",
          "x-request-id": "req_1",
          "set-cookie": ["a=1", "b=2"],
        });
        res.end(JSON.stringify({ answer: 42 }));
      } else if (req.url === "/slow") {
        // Never answers: the caller's signal must end the call.
      } else if (req.url === "/error") {
        res.writeHead(429, { "retry-after-ms": "250", "content-type": "application/json" });
        res.end('{"error":{"message":"slow down"}}');
      } else {
        res.writeHead(200, { "content-type": "text/event-stream" });
        res.write("data: one\n\n");
        res.end("data: two\n\n");
      }
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => {
  server.closeAllConnections();
  return new Promise<void>((r) => server.close(() => r()));
});

describe("httpFetch", () => {
  it("sends the method, headers and body, and answers with status, headers and a body read once", async () => {
    const headers = new Headers({ authorization: "Bearer k", "content-type": "application/json" });
    const res = await httpFetch(`${base}/json`, { method: "POST", headers, body: '{"q":1}' });
    expect(seen.at(-1)).toMatchObject({
      method: "POST",
      headers: { authorization: "Bearer k", "content-type": "application/json" },
      body: '{"q":1}',
    });
    expect([res.status, res.ok, res.url]).toEqual([200, true, `${base}/json`]);
    expect(res.headers.get("X-Request-Id")).toBe("req_1");
    expect(res.headers.has("content-type")).toBe(true);
    expect(res.headers.get("set-cookie")).toBe("a=1, b=2");
    expect([...res.headers.entries()].map(([k]) => k)).toContain("x-request-id");
    expect(await res.json()).toEqual({ answer: 42 });
    await expect(res.text()).rejects.toThrow(/already been read/);
  });

  it("answers an error status as it came, readable as text", async () => {
    const res = await httpFetch(`${base}/error`, { method: "POST", body: "{}" });
    expect([res.status, res.ok]).toEqual([429, false]);
    expect(res.headers.get("retry-after-ms")).toBe("250");
    expect(await res.text()).toBe('{"error":{"message":"slow down"}}');
  });

  it("hands an event stream over as a web stream", async () => {
    const res = await httpFetch(`${base}/stream`, { method: "POST", body: "{}" });
    expect(res.body).not.toBeNull();
    expect(await res.text()).toBe("data: one\n\ndata: two\n\n");
  });

  it("refuses to start when the signal is already aborted", async () => {
    const ctrl = new AbortController();
    ctrl.abort(new Error("gone"));
    await expect(httpFetch(`${base}/json`, { signal: ctrl.signal })).rejects.toThrow("gone");
  });

  it("ends a call in flight when the signal aborts, with the signal's reason", async () => {
    const ctrl = new AbortController();
    setTimeout(() => ctrl.abort(new Error("caller gone")), 20);
    await expect(
      httpFetch(`${base}/slow`, { method: "POST", body: "{}", signal: ctrl.signal }),
    ).rejects.toThrow("caller gone");
  });

  it("leaves no abort listener on the caller's signal once the answer is read", async () => {
    // A listener left behind would keep every request's objects alive as long as the signal lives.
    const ctrl = new AbortController();
    const res = await httpFetch(`${base}/json`, { method: "POST", body: "{}", signal: ctrl.signal });
    await res.json();
    expect(getEventListeners(ctrl.signal, "abort")).toHaveLength(0);
  });

  it("sends byte bodies and refuses other kinds", async () => {
    await httpFetch(`${base}/json`, { method: "POST", body: new TextEncoder().encode('{"b":2}') });
    expect(seen.at(-1)?.body).toBe('{"b":2}');
    await expect(
      httpFetch(`${base}/json`, { method: "POST", body: new URLSearchParams({ a: "1" }) }),
    ).rejects.toThrow(TypeError);
  });
});
