import http from "node:http";
import https from "node:https";
import { Readable } from "node:stream";

const httpAgent = new http.Agent({ keepAlive: true, maxSockets: 256 });
const httpsAgent = new https.Agent({ keepAlive: true, maxSockets: 256 });

/**
 * A fetch for the openai SDK on node:http keep-alive agents. Node's built-in fetch (WHATWG
 * streams over undici) costs far more CPU per call; under load the upstream call was the largest
 * single item in the platform's CPU profile. Non-streaming answers are read whole; event streams
 * are handed over as web streams.
 */
export const httpFetch: typeof fetch = (input, init) =>
  new Promise((resolve, reject) => {
    const url = new URL(typeof input === "string" ? input : input instanceof URL ? input.href : input.url);
    const headers: Record<string, string> = {};
    new Headers(init?.headers).forEach((value, key) => {
      headers[key] = value;
    });
    const signal = init?.signal ?? undefined;
    if (signal?.aborted) {
      reject(signal.reason ?? new DOMException("aborted", "AbortError"));
      return;
    }
    const lib = url.protocol === "https:" ? https : http;
    const req = lib.request(url, {
      method: init?.method ?? "GET",
      headers,
      agent: url.protocol === "https:" ? httpsAgent : httpAgent,
      signal,
    });
    req.on("error", reject);
    req.on("response", (res) => {
      const responseHeaders = new Headers();
      for (const [key, value] of Object.entries(res.headers)) {
        if (value === undefined) continue;
        for (const v of Array.isArray(value) ? value : [value]) responseHeaders.append(key, v);
      }
      const status = res.statusCode ?? 0;
      if ((res.headers["content-type"] ?? "").includes("text/event-stream")) {
        resolve(new Response(Readable.toWeb(res) as ReadableStream, { status, headers: responseHeaders }));
        return;
      }
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("error", reject);
      res.on("end", () => {
        const body = status === 204 || status === 304 ? null : Buffer.concat(chunks);
        resolve(new Response(body, { status, headers: responseHeaders }));
      });
    });
    const body = init?.body;
    if (body === undefined || body === null) req.end();
    else if (typeof body === "string" || body instanceof Uint8Array) req.end(body);
    else {
      req.destroy(new TypeError("httpFetch supports string and byte bodies only"));
    }
  });
