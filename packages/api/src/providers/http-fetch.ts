import http, { type IncomingHttpHeaders } from "node:http";
import https from "node:https";
import { Readable } from "node:stream";

const httpAgent = new http.Agent({ keepAlive: true, maxSockets: 256 });
const httpsAgent = new https.Agent({ keepAlive: true, maxSockets: 256 });

/**
 * A fetch for the openai SDK on node:http keep-alive agents. Node's built-in fetch (WHATWG
 * streams over undici) costs far more CPU per call; under load the upstream call was the largest
 * single item in the platform's CPU profile. Event streams are handed over as web streams (the
 * SDK reads them as such); other answers are read whole and handed over as a BufferedResponse.
 */
export const httpFetch: typeof fetch = (input, init) =>
  new Promise((resolve, reject) => {
    const url = new URL(typeof input === "string" ? input : input instanceof URL ? input.href : input.url);
    const headers: Record<string, string> = {};
    const given = init?.headers;
    // The SDK passes a Headers already: read it as it is rather than copying it into another.
    (given instanceof Headers ? given : new Headers(given)).forEach((value, key) => {
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
      const status = res.statusCode ?? 0;
      if ((res.headers["content-type"] ?? "").includes("text/event-stream")) {
        const responseHeaders = new Headers();
        for (const [key, value] of Object.entries(res.headers)) {
          if (value === undefined) continue;
          for (const v of Array.isArray(value) ? value : [value]) responseHeaders.append(key, v);
        }
        resolve(new Response(Readable.toWeb(res) as ReadableStream, { status, headers: responseHeaders }));
        return;
      }
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("error", reject);
      res.on("end", () => {
        const body = chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks);
        const answer = new BufferedResponse(body, status, res.statusMessage ?? "", res.headers, url.href);
        resolve(answer as unknown as Response);
      });
    });
    const body = init?.body;
    if (body === undefined || body === null) req.end();
    else if (typeof body === "string" || body instanceof Uint8Array) req.end(body);
    else {
      req.destroy(new TypeError("httpFetch supports string and byte bodies only"));
    }
  });

/**
 * An answer already read whole, with the part of the Response interface the openai SDK uses
 * (status, ok, url, headers, text, json, arrayBuffer). A WHATWG Response would wrap the same bytes
 * in a ReadableStream first: about 5% of the platform's CPU per call under load. `body` is null
 * because there is no stream left to read; the bytes come from text(), json() or arrayBuffer().
 */
export class BufferedResponse {
  readonly ok: boolean;
  readonly headers: NodeHeaders;
  readonly body = null;
  readonly redirected = false;
  readonly type = "basic";
  private used = false;

  constructor(
    private readonly bytes: Buffer,
    readonly status: number,
    readonly statusText: string,
    headers: IncomingHttpHeaders,
    readonly url: string,
  ) {
    this.ok = status >= 200 && status < 300;
    this.headers = new NodeHeaders(headers);
  }

  get bodyUsed(): boolean {
    return this.used;
  }

  private read(): Buffer {
    if (this.used) throw new TypeError("Body has already been read");
    this.used = true;
    return this.bytes;
  }

  async text(): Promise<string> {
    return this.read().toString("utf8");
  }

  async json(): Promise<unknown> {
    return JSON.parse(this.read().toString("utf8"));
  }

  async arrayBuffer(): Promise<ArrayBuffer> {
    const b = this.read();
    return b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer;
  }

  clone(): BufferedResponse {
    if (this.used) throw new TypeError("Body has already been read");
    return new BufferedResponse(this.bytes, this.status, this.statusText, this.headers.raw, this.url);
  }
}

/** Read-only Headers over node's parsed response headers (names already lower-case). */
export class NodeHeaders {
  constructor(readonly raw: IncomingHttpHeaders) {}

  get(name: string): string | null {
    const value = this.raw[name.toLowerCase()];
    if (value === undefined) return null;
    return Array.isArray(value) ? value.join(", ") : value;
  }

  has(name: string): boolean {
    return this.raw[name.toLowerCase()] !== undefined;
  }

  getSetCookie(): string[] {
    return this.raw["set-cookie"] ?? [];
  }

  *entries(): IterableIterator<[string, string]> {
    for (const name of Object.keys(this.raw).sort()) {
      const value = this.get(name);
      if (value !== null) yield [name, value];
    }
  }

  *keys(): IterableIterator<string> {
    for (const [name] of this.entries()) yield name;
  }

  *values(): IterableIterator<string> {
    for (const [, value] of this.entries()) yield value;
  }

  forEach(fn: (value: string, name: string, headers: NodeHeaders) => void): void {
    for (const [name, value] of this.entries()) fn(value, name, this);
  }

  [Symbol.iterator](): IterableIterator<[string, string]> {
    return this.entries();
  }
}
