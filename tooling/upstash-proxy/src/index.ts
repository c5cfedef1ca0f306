/**
 * A dev/test server speaking the Upstash Redis REST protocol over a real Redis, so @upstash/redis and
 * @upstash/ratelimit can run against a local redis-server. Not for production: one shared connection,
 * no ACLs beyond a bearer token.
 *
 * Protocol: `POST /` with `["SET","k","v"]` -> `{"result": ...}` (400 `{"error"}` on a Redis error);
 * `POST /pipeline` and `POST /multi-exec` with `[[...], ...]` -> `[{"result"} | {"error"}, ...]`.
 * `Upstash-Encoding: base64` base64-encodes every string of a result (recursively).
 */
import { createHash, timingSafeEqual } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { Redis } from "ioredis";

export interface UpstashProxyOptions {
  redisUrl: string;
  token: string;
  /** 0 (default) picks a free port. */
  port?: number;
  host?: string;
}

export interface UpstashProxy {
  url: string;
  token: string;
  close(): Promise<void>;
}

type Reply = { result: unknown } | { error: string };
type Prepared = { name: string; args: string[]; post?: (result: unknown) => unknown };

const MAX_BODY_BYTES = 10 * 1024 * 1024;
/**
 * Commands that would change or stall the one connection every client shares (transactions go
 * through /multi-exec, which runs them atomically in one write).
 */
const REFUSED = new Set(
  "SELECT MULTI EXEC DISCARD WATCH UNWATCH SUBSCRIBE PSUBSCRIBE SSUBSCRIBE UNSUBSCRIBE PUNSUBSCRIBE SUNSUBSCRIBE MONITOR QUIT RESET AUTH HELLO CLIENT SYNC PSYNC SHUTDOWN BLPOP BRPOP BRPOPLPUSH BLMOVE BLMPOP BZPOPMIN BZPOPMAX BZMPOP WAIT WAITAOF".split(
    " ",
  ),
);

const sha1 = (text: string) => createHash("sha1").update(text).digest("hex");

/** Redis 7.0 rejects flags it does not know (`#!lua flags=allow-key-locking`); blank the line, keep numbering. */
const stripShebang = (script: string) =>
  script.startsWith("#!lua") ? script.replace(/^[^\n]*/, "") : script;

function encode(value: unknown, base64: boolean): unknown {
  if (Buffer.isBuffer(value)) return value.toString(base64 ? "base64" : "utf8");
  if (typeof value === "string") return base64 ? Buffer.from(value).toString("base64") : value;
  if (Array.isArray(value)) return value.map((v) => encode(v, base64));
  if (value instanceof Error) return value.message; // an error nested in an array reply
  return value; // number or null
}

/** Is Redis at `redisUrl` answering? Resolves to null if so, else to the reason it is not. */
export async function probeRedis(redisUrl: string, timeoutMs = 1000): Promise<string | null> {
  const redis = new Redis(redisUrl, {
    lazyConnect: true,
    connectTimeout: timeoutMs,
    maxRetriesPerRequest: 0,
    enableOfflineQueue: false,
    retryStrategy: () => null,
  });
  let cause: Error | undefined; // "Connection is closed." hides the socket's error, e.g. ECONNREFUSED
  redis.on("error", (error: Error) => {
    cause ??= error;
  });
  try {
    await redis.connect();
    await redis.ping();
    return null;
  } catch (error) {
    return (cause ?? (error as Error)).message;
  } finally {
    redis.disconnect();
  }
}

export async function startUpstashProxy(opts: UpstashProxyOptions): Promise<UpstashProxy> {
  const problem = await probeRedis(opts.redisUrl, 5_000);
  if (problem !== null) throw new Error(`upstash-proxy: cannot reach Redis at ${opts.redisUrl}: ${problem}`);
  const redis = new Redis(opts.redisUrl);
  redis.on("error", () => {}); // ioredis reconnects by itself; commands report their own errors

  /** SHA1 of a script as the client sent it -> SHA1 of the script Redis actually holds. */
  const realSha = new Map<string, string>();
  const loadable = (script: string) => {
    const stripped = stripShebang(script);
    if (stripped !== script) realSha.set(sha1(script), sha1(stripped));
    return stripped;
  };
  const toReal = (sha: string) => realSha.get(sha.toLowerCase()) ?? sha;

  function prepare(command: unknown): Prepared {
    if (!Array.isArray(command) || command.length === 0)
      throw new Error("ERR command must be a non-empty array");
    const parts = command.map((part) => {
      if (typeof part === "string") return part;
      if (typeof part === "number" || typeof part === "boolean") return String(part);
      throw new Error("ERR command arguments must be strings or numbers");
    });
    // Upper case also keeps ioredis's reply transformers (keyed by lower-case name: HGETALL -> object) away.
    const name = parts[0]!.toUpperCase();
    const args = parts.slice(1);
    if (REFUSED.has(name)) throw new Error(`ERR command ${name} is not supported by the REST proxy`);
    if ((name === "EVAL" || name === "EVAL_RO") && args[0] !== undefined) args[0] = loadable(args[0]);
    if ((name === "EVALSHA" || name === "EVALSHA_RO") && args[0] !== undefined) args[0] = toReal(args[0]);
    if (name === "SCRIPT" && args[0]?.toUpperCase() === "LOAD" && args[1] !== undefined) {
      const clientSha = sha1(args[1]);
      args[1] = loadable(args[1]);
      return { name, args, post: () => clientSha };
    }
    if (name === "SCRIPT" && args[0]?.toUpperCase() === "EXISTS") {
      return { name, args: [args[0], ...args.slice(1).map(toReal)] };
    }
    return { name, args };
  }

  async function runOne(command: unknown): Promise<Reply> {
    try {
      const p = prepare(command);
      const result = await redis.callBuffer(p.name, ...p.args);
      return { result: p.post ? p.post(result) : result };
    } catch (error) {
      return { error: (error as Error).message };
    }
  }

  async function runMany(commands: unknown[], atomic: boolean): Promise<Reply[]> {
    const prepared = commands.map((c): Prepared | Error => {
      try {
        return prepare(c);
      } catch (error) {
        return error as Error;
      }
    });
    const refused = prepared.find((p): p is Error => p instanceof Error);
    // A transaction is all or nothing, like Redis's EXECABORT.
    if (atomic && refused) throw new Error(`EXECABORT Transaction discarded: ${refused.message}`);
    const batch = atomic ? redis.multi() : redis.pipeline();
    for (const p of prepared) if (!(p instanceof Error)) batch.callBuffer(p.name, ...p.args);
    const results = (await batch.exec()) ?? [];
    let i = 0;
    return prepared.map((p) => {
      if (p instanceof Error) return { error: p.message };
      const [error, result] = results[i++] ?? [new Error("ERR no reply"), null];
      return error ? { error: error.message } : { result: p.post ? p.post(result) : result };
    });
  }

  const expected = Buffer.from(`Bearer ${opts.token}`);
  const authorized = (req: IncomingMessage) => {
    const given = Buffer.from(req.headers.authorization ?? "");
    return given.length === expected.length && timingSafeEqual(given, expected);
  };

  async function readJson(req: IncomingMessage): Promise<unknown> {
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of req as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) throw new Error("ERR request body too large");
      chunks.push(chunk);
    }
    try {
      return JSON.parse(Buffer.concat(chunks).toString("utf8"));
    } catch {
      throw new Error("ERR request body is not valid JSON");
    }
  }

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const send = (status: number, body: unknown) => {
      res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(body));
    };
    if (!authorized(req)) return send(401, { error: "Unauthorized" });
    const path = new URL(req.url ?? "/", "http://proxy").pathname.replace(/\/+$/, "") || "/";
    if (req.method !== "POST" || !["/", "/pipeline", "/multi-exec"].includes(path)) {
      return send(404, { error: "ERR only POST /, /pipeline and /multi-exec are served" });
    }
    const base64 = String(req.headers["upstash-encoding"] ?? "").toLowerCase() === "base64";
    const out = (r: Reply) => ("error" in r ? r : { result: encode(r.result, base64) });
    try {
      const body = await readJson(req);
      if (path === "/") {
        const reply = await runOne(body);
        return send("error" in reply ? 400 : 200, out(reply));
      }
      if (!Array.isArray(body)) return send(400, { error: "ERR body must be an array of commands" });
      return send(200, (await runMany(body, path === "/multi-exec")).map(out));
    } catch (error) {
      return send(400, { error: (error as Error).message });
    }
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((error: Error) => {
      if (!res.headersSent) res.writeHead(500, { "content-type": "application/json" });
      res.end(JSON.stringify({ error: error.message }));
    });
  });
  const host = opts.host ?? "127.0.0.1";
  try {
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(opts.port ?? 0, host, () => resolve());
    });
  } catch (error) {
    redis.disconnect();
    throw error;
  }
  const { port } = server.address() as AddressInfo;
  const urlHost = host.includes(":") ? `[${host}]` : host;

  return {
    url: `http://${urlHost}:${port}`,
    token: opts.token,
    async close() {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await redis.quit().catch(() => redis.disconnect());
    },
  };
}
