import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { sampleFor } from "./schema-sample";

export { sampleFor } from "./schema-sample";

/** Token counts a behavior can force; cached_tokens defaults to 0. */
export interface FakeUsage {
  prompt_tokens: number;
  completion_tokens: number;
  cached_tokens?: number;
}

export type Behavior =
  | {
      kind: "ok";
      /** Default: a minimal valid JSON object when the request carries a json_schema response_format, else a fixed sentence. */
      content?: string;
      /** Default: prompt = ceil(message chars / 4), completion = ceil(content chars / 4), cached 0. */
      usage?: FakeUsage;
      /** Wait this long before answering (before the headers, for streams too). */
      delayMs?: number;
      /** Streaming only: wait this long between chunks. */
      chunkDelayMs?: number;
      finishReason?: "stop" | "length";
      /** Default: the request's model. */
      model?: string;
    }
  | {
      kind: "status";
      status: number;
      /** Sent as `retry-after` (seconds). */
      retryAfterSeconds?: number;
      /** Sent as `retry-after-ms`. */
      retryAfterMs?: number;
      /** Default: OpenAI's error shape `{ error: { message, type, param, code } }`. */
      body?: object;
    }
  /** Never answers, until the client aborts or the server closes. */
  | { kind: "hang" }
  /** Streaming: the role chunk, then N content chunks, then the socket is destroyed. Non-streaming: half the body, then destroyed. */
  | { kind: "cut"; afterChunks: number }
  /** Destroys the socket as soon as the request has been read (a connection reset). */
  | { kind: "reset" };

export interface ReceivedRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  /** The parsed JSON body (the raw string when it was not JSON, null when empty). */
  body: unknown;
  /** Date.now() when the request's body had been read. */
  time: number;
}

export interface FakeOpenAI {
  /** Base URL including /v1, e.g. http://127.0.0.1:41234/v1 */
  url: string;
  /** Every request received, in order (empty when started with record: false). */
  requests: ReceivedRequest[];
  /** How many requests arrived (counted even when not recorded). */
  readonly requestCount: number;
  /** A queue for POST /v1/chat/completions: each request takes the next behavior; the last one repeats. */
  setBehavior(b: Behavior | Behavior[]): void;
  /** Forget requests and go back to answering "ok". */
  reset(): void;
  close(): Promise<void>;
}

export interface FakeOpenAIOptions {
  /** 0 (default) picks a free port. */
  port?: number;
  host?: string;
  /** Keep every request in `requests` (default true; benchmarks turn it off). */
  record?: boolean;
  /** Serve /__fake/behavior (POST), /__fake/reset (POST) and /__fake/stats (GET) for out-of-process control. */
  control?: boolean;
}

const DEFAULT_CONTENT = "Hello from the fake OpenAI upstream.";

const ERROR_TYPES: Record<number, { type: string; code: string | null; message: string }> = {
  400: { type: "invalid_request_error", code: null, message: "Invalid request (fake)." },
  401: {
    type: "invalid_request_error",
    code: "invalid_api_key",
    message: "Incorrect API key provided (fake).",
  },
  403: {
    type: "invalid_request_error",
    code: "unsupported_country_region_territory",
    message: "Forbidden (fake).",
  },
  404: {
    type: "invalid_request_error",
    code: "model_not_found",
    message: "The model does not exist (fake).",
  },
  408: { type: "server_error", code: "timeout", message: "Request timed out (fake)." },
  429: { type: "requests", code: "rate_limit_exceeded", message: "Rate limit reached (fake)." },
  500: { type: "server_error", code: null, message: "The server had an error (fake)." },
  502: { type: "server_error", code: null, message: "Bad gateway (fake)." },
  503: { type: "server_error", code: "service_unavailable", message: "The engine is overloaded (fake)." },
};

const wait = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** Characters of message content (string content or text parts). */
function messageChars(body: Record<string, unknown>): number {
  const messages = Array.isArray(body.messages) ? body.messages : [];
  let n = 0;
  for (const m of messages) {
    if (!isRecord(m)) continue;
    const c = m.content;
    if (typeof c === "string") n += c.length;
    else if (Array.isArray(c)) {
      for (const part of c) if (isRecord(part) && typeof part.text === "string") n += part.text.length;
    }
  }
  return n;
}

function defaultContent(body: Record<string, unknown>): string {
  const rf = body.response_format;
  if (isRecord(rf) && rf.type === "json_schema" && isRecord(rf.json_schema)) {
    return JSON.stringify(sampleFor(rf.json_schema.schema));
  }
  if (isRecord(rf) && rf.type === "json_object") return "{}";
  return DEFAULT_CONTENT;
}

function usageFor(body: Record<string, unknown>, content: string, forced: FakeUsage | undefined) {
  const prompt = forced?.prompt_tokens ?? Math.ceil(messageChars(body) / 4);
  const completion = forced?.completion_tokens ?? Math.ceil(content.length / 4);
  const cached = forced?.cached_tokens ?? 0;
  return {
    prompt_tokens: prompt,
    completion_tokens: completion,
    total_tokens: prompt + completion,
    prompt_tokens_details: { cached_tokens: cached, audio_tokens: 0 },
    completion_tokens_details: { reasoning_tokens: 0, audio_tokens: 0 },
  };
}

/** Word-ish pieces (each keeps its trailing whitespace), so streams have several chunks. */
function splitContent(content: string): string[] {
  return content.match(/\S+\s*|\s+/g) ?? [];
}

export async function startFakeOpenAI(opts: FakeOpenAIOptions = {}): Promise<FakeOpenAI> {
  const record = opts.record ?? true;
  const requests: ReceivedRequest[] = [];
  let requestCount = 0;
  let queue: Behavior[] = [{ kind: "ok" }];
  let completionSeq = 0;
  const pending = new Set<ServerResponse>();

  const nextBehavior = (): Behavior => (queue.length > 1 ? queue.shift()! : queue[0]!);
  const setBehavior = (b: Behavior | Behavior[]) => {
    const list = Array.isArray(b) ? b : [b];
    queue = list.length > 0 ? [...list] : [{ kind: "ok" }];
  };

  const sendJson = (
    res: ServerResponse,
    status: number,
    payload: unknown,
    headers: Record<string, string> = {},
  ) => {
    const text = JSON.stringify(payload);
    res.writeHead(status, {
      "content-type": "application/json",
      "content-length": Buffer.byteLength(text),
      ...headers,
    });
    res.end(text);
  };

  async function chatCompletion(req: IncomingMessage, res: ServerResponse, body: unknown) {
    if (!isRecord(body) || !Array.isArray(body.messages)) {
      sendJson(res, 400, {
        error: {
          message: "messages is required (fake)",
          type: "invalid_request_error",
          param: null,
          code: null,
        },
      });
      return;
    }
    const behavior = nextBehavior();
    const stream = body.stream === true;
    switch (behavior.kind) {
      case "reset":
        req.socket.destroy();
        return;
      case "hang":
        pending.add(res);
        res.on("close", () => pending.delete(res));
        return;
      case "status": {
        const info = ERROR_TYPES[behavior.status] ?? {
          type: behavior.status >= 500 ? "server_error" : "invalid_request_error",
          code: null,
          message: `Error ${behavior.status} (fake).`,
        };
        const headers: Record<string, string> = {};
        if (behavior.retryAfterSeconds !== undefined)
          headers["retry-after"] = String(behavior.retryAfterSeconds);
        if (behavior.retryAfterMs !== undefined) headers["retry-after-ms"] = String(behavior.retryAfterMs);
        sendJson(
          res,
          behavior.status,
          behavior.body ?? {
            error: { message: info.message, type: info.type, param: null, code: info.code },
          },
          headers,
        );
        return;
      }
      case "ok":
      case "cut": {
        const ok = behavior.kind === "ok" ? behavior : undefined;
        if (ok?.delayMs) {
          pending.add(res);
          await wait(ok.delayMs);
          pending.delete(res);
          if (res.destroyed) return;
        }
        const content = ok?.content ?? defaultContent(body);
        const model = ok?.model ?? (typeof body.model === "string" ? body.model : "fake-model");
        const usage = usageFor(body, content, ok?.usage);
        const id = `chatcmpl-fake-${++completionSeq}`;
        const created = Math.floor(Date.now() / 1000);
        const finishReason = ok?.finishReason ?? "stop";

        if (!stream) {
          const payload = {
            id,
            object: "chat.completion",
            created,
            model,
            choices: [
              {
                index: 0,
                message: { role: "assistant", content, refusal: null, annotations: [] },
                logprobs: null,
                finish_reason: finishReason,
              },
            ],
            usage,
            system_fingerprint: "fp_fake",
          };
          if (behavior.kind === "cut") {
            const text = JSON.stringify(payload);
            res.writeHead(200, {
              "content-type": "application/json",
              "content-length": Buffer.byteLength(text),
            });
            res.write(text.slice(0, Math.floor(text.length / 2)));
            setImmediate(() => req.socket.destroy());
            return;
          }
          sendJson(res, 200, payload);
          return;
        }

        const includeUsage = isRecord(body.stream_options) && body.stream_options.include_usage === true;
        const chunk = (delta: object, finish: string | null) =>
          `data: ${JSON.stringify({
            id,
            object: "chat.completion.chunk",
            created,
            model,
            system_fingerprint: "fp_fake",
            choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }],
            ...(includeUsage ? { usage: null } : {}),
          })}\n\n`;
        res.writeHead(200, {
          "content-type": "text/event-stream; charset=utf-8",
          "cache-control": "no-cache",
          connection: "keep-alive",
        });
        res.write(chunk({ role: "assistant", content: "", refusal: null }, null));
        const pieces = splitContent(content);
        const limit = behavior.kind === "cut" ? Math.min(behavior.afterChunks, pieces.length) : pieces.length;
        const chunkDelay = ok?.chunkDelayMs ?? 0;
        for (let i = 0; i < limit; i++) {
          if (chunkDelay > 0) {
            await wait(chunkDelay);
            if (res.destroyed) return;
          }
          res.write(chunk({ content: pieces[i] }, null));
        }
        if (behavior.kind === "cut") {
          // Let the written chunks reach the client before the connection dies.
          setTimeout(() => req.socket.destroy(), 10);
          return;
        }
        let out = chunk({}, finishReason);
        if (includeUsage) {
          out += `data: ${JSON.stringify({
            id,
            object: "chat.completion.chunk",
            created,
            model,
            system_fingerprint: "fp_fake",
            choices: [],
            usage,
          })}\n\n`;
        }
        out += "data: [DONE]\n\n";
        res.end(out);
        return;
      }
    }
  }

  async function control(res: ServerResponse, method: string, path: string, body: unknown) {
    if (method === "POST" && path === "/__fake/behavior") {
      setBehavior(body as Behavior | Behavior[]);
      sendJson(res, 200, { ok: true });
    } else if (method === "POST" && path === "/__fake/reset") {
      fake.reset();
      sendJson(res, 200, { ok: true });
    } else if (method === "GET" && path === "/__fake/stats") {
      sendJson(res, 200, { requests: requestCount });
    } else {
      sendJson(res, 404, {
        error: { message: "not found", type: "invalid_request_error", param: null, code: null },
      });
    }
  }

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("error", () => undefined);
    req.on("end", () => {
      const raw = Buffer.concat(chunks).toString("utf8");
      let body: unknown = null;
      if (raw.length > 0) {
        try {
          body = JSON.parse(raw);
        } catch {
          body = raw;
        }
      }
      const method = req.method ?? "GET";
      const path = (req.url ?? "/").split("?")[0] ?? "/";
      if (opts.control && path.startsWith("/__fake/")) {
        void control(res, method, path, body);
        return;
      }
      requestCount++;
      if (record) requests.push({ method, path, headers: req.headers, body, time: Date.now() });

      if (method === "POST" && path === "/v1/chat/completions") {
        if (typeof body === "string") {
          sendJson(res, 400, {
            error: {
              message: "body is not JSON (fake)",
              type: "invalid_request_error",
              param: null,
              code: null,
            },
          });
          return;
        }
        chatCompletion(req, res, body).catch(() => req.socket.destroy());
      } else if (method === "GET" && path === "/v1/models") {
        sendJson(res, 200, {
          object: "list",
          data: [{ id: "fake-model", object: "model", created: 0, owned_by: "fake-openai" }],
        });
      } else {
        sendJson(res, 404, {
          error: {
            message: `Unknown route ${method} ${path} (fake)`,
            type: "invalid_request_error",
            param: null,
            code: null,
          },
        });
      }
    });
  });
  server.keepAliveTimeout = 60_000;
  server.headersTimeout = 61_000;
  server.requestTimeout = 0;

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(opts.port ?? 0, opts.host ?? "127.0.0.1", () => {
      server.off("error", reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const host = address.family === "IPv6" ? `[${address.address}]` : address.address;

  const fake: FakeOpenAI = {
    url: `http://${host}:${address.port}/v1`,
    requests,
    get requestCount() {
      return requestCount;
    },
    setBehavior,
    reset() {
      requests.length = 0;
      requestCount = 0;
      queue = [{ kind: "ok" }];
    },
    close() {
      for (const res of pending) res.destroy();
      pending.clear();
      return new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
  return fake;
}
