import { type IncomingHttpHeaders, STATUS_CODES } from "node:http";
import { Readable } from "node:stream";
import { Pool } from "undici";

/**
 * One keep-alive pool per upstream origin, at most 256 connections each, for the life of the
 * process (there are as many as configured providers). A Pool per origin and `pool.request` with
 * the path cost a quarter less CPU per call than `undici.request(url)` through an Agent, which
 * parses the URL and looks the origin up again on every call (docs/benchmarks.md).
 */
const pools = new Map<string, Pool>();
function poolFor(origin: string): Pool {
  let pool = pools.get(origin);
  if (!pool) {
    pool = new Pool(origin, { connections: 256 });
    pools.set(origin, pool);
  }
  return pool;
}

/**
 * A fetch for the openai SDK on undici's `request` (keep-alive connections, no WHATWG objects on
 * the way). Node's built-in fetch (undici's fetch: WHATWG Request, Response and streams) costs
 * far more CPU per call; under load the upstream call was the largest single item in the
 * platform's CPU profile. Event streams are handed over as web streams (the SDK reads them as
 * such); other answers are read whole and handed over as a BufferedResponse. Bodies: strings and
 * bytes only (what the SDK sends for JSON requests). Timeouts are the caller's: the SDK aborts
 * `init.signal` when its own timeout ends, and undici's 300 s header and body timeouts are only a
 * backstop.
 */
export const httpFetch: typeof fetch = async (input, init) => {
  const url = new URL(typeof input === "string" ? input : input instanceof URL ? input.href : input.url);
  const signal = init?.signal ?? undefined;
  if (signal?.aborted) throw signal.reason ?? new DOMException("aborted", "AbortError");
  const body = init?.body;
  if (body !== undefined && body !== null && typeof body !== "string" && !(body instanceof Uint8Array)) {
    throw new TypeError("httpFetch supports string and byte bodies only");
  }
  const given = init?.headers;
  const res = await poolFor(url.origin).request({
    path: `${url.pathname}${url.search}`,
    method: (init?.method ?? "GET") as "GET",
    // The SDK passes a Headers, which undici reads as it is (an iterable of pairs); a plain object
    // too. An array of pairs would be read as a flat list: that one goes through a Headers.
    headers: Array.isArray(given)
      ? new Headers(given)
      : (given as Headers | Record<string, string> | undefined),
    body: body ?? null,
    signal,
  });
  const status = res.statusCode;
  if ((res.headers["content-type"] ?? "").includes("text/event-stream")) {
    const responseHeaders = new Headers();
    for (const [key, value] of Object.entries(res.headers)) {
      if (value === undefined) continue;
      for (const v of Array.isArray(value) ? value : [value]) responseHeaders.append(key, v);
    }
    return new Response(Readable.toWeb(res.body) as ReadableStream, { status, headers: responseHeaders });
  }
  const bytes = await readAll(res.body);
  return new BufferedResponse(
    bytes,
    status,
    STATUS_CODES[status] ?? "",
    res.headers,
    url.href,
  ) as unknown as Response;
};

/** The whole body as one Buffer (an abort or a broken connection rejects). */
function readAll(body: Readable): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    body.on("data", (c: Buffer) => chunks.push(c));
    body.on("error", reject);
    body.on("end", () => resolve(chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks)));
  });
}

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
