import http from "node:http";
import https from "node:https";
import type { Requester } from "@upstash/redis";

/**
 * The Upstash REST protocol over node:http keep-alive sockets. @upstash/redis's default client
 * uses Node's fetch, whose per-call CPU was one of the largest items on the request path under
 * load. Results come back un-encoded (no base64): the proxy and Upstash both speak plain JSON.
 */
export function createHttpRequester(opts: { url: string; token: string; timeoutMs: number }): Requester {
  const base = new URL(opts.url);
  const secure = base.protocol === "https:";
  const lib = secure ? https : http;
  const agent = new lib.Agent({ keepAlive: true, maxSockets: 64 });
  const prefix = base.pathname.replace(/\/$/, "");
  const request = (req: { path?: string[]; body?: unknown; headers?: Record<string, string> }) =>
    new Promise<{ result?: unknown; error?: string }>((resolve, reject) => {
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
            if (status >= 200 && status < 300) resolve(parsed as { result?: unknown; error?: string });
            else reject(new Error((parsed as { error?: string }).error ?? `Upstash REST: HTTP ${status}`));
          });
        },
      );
      call.on("timeout", () =>
        call.destroy(new Error(`Upstash REST: no answer within ${opts.timeoutMs} ms`)),
      );
      call.on("error", reject);
      call.end(body);
    });
  return { request: request as Requester["request"] };
}
