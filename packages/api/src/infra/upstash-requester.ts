import http from "node:http";
import https from "node:https";
import type { Requester } from "@upstash/redis";
import { GroupCommitter } from "./group-commit";

type Answer = { result?: unknown; error?: string };

/**
 * The Upstash REST protocol over node:http keep-alive sockets. @upstash/redis's default client
 * uses Node's fetch, whose per-call CPU was one of the largest items on the request path under
 * load. Results come back un-encoded (no base64): the proxy and Upstash both speak plain JSON.
 *
 * Single commands are group-committed: one goes out at once when nothing is in flight; those that
 * arrive meanwhile go together as one `POST /pipeline` (Redis runs them in order, each script
 * still atomic), so concurrent requests' rate-limit checks share one HTTP round trip.
 */
export function createHttpRequester(opts: { url: string; token: string; timeoutMs: number }): Requester {
  const base = new URL(opts.url);
  const secure = base.protocol === "https:";
  const lib = secure ? https : http;
  const agent = new lib.Agent({ keepAlive: true, maxSockets: 64 });
  const prefix = base.pathname.replace(/\/$/, "");
  type Call = { path?: string[]; body?: unknown; headers?: Record<string, string> };
  const send = (req: Call, retried: boolean) =>
    new Promise<unknown>((resolve, reject) => {
      const body = JSON.stringify(req.body);
      const call = lib.request(
        {
          hostname: base.hostname,
          port: base.port || (secure ? 443 : 80),
          path: `${prefix}/${(req.path ?? []).join("/")}`,
          method: "POST",
          agent,
          timeout: opts.timeoutMs,
          headers: {
            ...req.headers,
            authorization: `Bearer ${opts.token}`,
            "content-type": "application/json",
            "content-length": Buffer.byteLength(body),
          },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on("data", (c: Buffer) => chunks.push(c));
          res.on("error", reject);
          res.on("end", () => {
            let parsed: unknown;
            try {
              parsed = JSON.parse(Buffer.concat(chunks).toString("utf8"));
            } catch {
              reject(new Error(`Upstash REST: unreadable answer (HTTP ${res.statusCode})`));
              return;
            }
            const status = res.statusCode ?? 0;
            if (status >= 200 && status < 300) resolve(parsed);
            else reject(new Error((parsed as { error?: string }).error ?? `Upstash REST: HTTP ${status}`));
          });
        },
      );
      call.on("timeout", () =>
        call.destroy(new Error(`Upstash REST: no answer within ${opts.timeoutMs} ms`)),
      );
      call.on("error", (err: NodeJS.ErrnoException) => {
        // A kept-alive socket the server closed just as it was reused: the request got no answer
        // and most likely never arrived. Once more, on a fresh socket (Node's documented remedy).
        // Had it arrived, a rate-limit hit counts twice: the limiter errs toward refusing.
        if (call.reusedSocket && !retried && (err.code === "ECONNRESET" || err.code === "EPIPE")) {
          send(req, true).then(resolve, reject);
          return;
        }
        reject(err);
      });
      call.end(body);
    });
  const commands = new GroupCommitter<Call, Answer>(
    async (batch) => {
      if (batch.length === 1) return [(await send(batch[0] as Call, false)) as Answer];
      const answers = await send({ path: ["pipeline"], body: batch.map((c) => c.body) }, false);
      if (!Array.isArray(answers) || answers.length !== batch.length) {
        throw new Error("Upstash REST: the pipeline's answer does not match its commands");
      }
      return answers as Answer[];
    },
    { waitTurn: false, maxBatch: 256 },
  );
  // Pipelines and transactions the caller built itself, and calls with headers of their own, go as they are.
  const single = (req: Call) =>
    (req.path === undefined || req.path.length === 0) && Object.keys(req.headers ?? {}).length === 0;
  const request = (req: Call) => (single(req) ? commands.submit(req) : send(req, false));
  return { request: request as Requester["request"] };
}
