/**
 * Micro-benchmark of the platform's two outbound HTTP clients, alone: the openai SDK's fetch
 * (`packages/api/src/providers/http-fetch.ts`) and the Upstash REST requester
 * (`packages/api/src/infra/upstash-requester.ts`), against a local node:http server in a child
 * process that answers a fixed JSON at once. Measures this process's CPU time (process.cpuUsage:
 * user + system) per request and the request rate, one request at a time and 64 in flight.
 *
 *   cd tooling/bench && node --import tsx src/http-clients.ts [--requests=20000] [--rounds=5]
 *     [--before-fetch=<path>] [--before-requester=<path>] [--global-fetch]
 *
 * `--before-*` load another implementation of the same export (an older version of the file, e.g.
 * `git show <commit>:packages/api/src/providers/http-fetch.ts > /tmp/old/http-fetch.ts`; the
 * requester also needs its `group-commit.ts` beside it). Every row's requests are split into
 * rounds, and the versions take turns round by round, so a load that comes and goes on a shared
 * machine falls on both: CPU per request is the median of the rounds. `--global-fetch` adds
 * Node's own fetch for reference.
 */
import { fork } from "node:child_process";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";

const ANSWER = JSON.stringify({
  id: "chatcmpl-bench",
  object: "chat.completion",
  created: 1_700_000_000,
  model: "gpt-4o-mini",
  choices: [
    {
      index: 0,
      message: { role: "assistant", content: '{"couple":"Priya & Tom","date":"2026-06-14","guests":120}' },
      finish_reason: "stop",
    },
  ],
  usage: { prompt_tokens: 120, completion_tokens: 30, total_tokens: 150 },
});

if (process.argv[2] === "--serve") {
  // The child: the fixed completion, `{"result":1}` for a command, one result per command for a pipeline.
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      let body = ANSWER;
      if (req.url === "/pipeline") {
        const commands = JSON.parse(Buffer.concat(chunks).toString("utf8")) as unknown[];
        body = JSON.stringify(commands.map(() => ({ result: 1 })));
      } else if (req.url === "/") body = '{"result":1}';
      res.writeHead(200, { "content-type": "application/json" }).end(body);
    });
  });
  server.keepAliveTimeout = 60_000;
  server.listen(0, "127.0.0.1", () => process.send?.((server.address() as AddressInfo).port));
} else {
  await main();
}

type Requester = { request: (req: { body: unknown }) => Promise<unknown> };
type RequesterModule = {
  createHttpRequester: (o: { url: string; token: string; timeoutMs: number }) => Requester;
};

async function main() {
  const arg = (name: string) => process.argv.find((a) => a.startsWith(`--${name}=`))?.split("=")[1];
  const requests = Number(arg("requests") ?? 20_000);
  const rounds = Number(arg("rounds") ?? 5);
  const perRound = Math.ceil(requests / rounds);
  const load = (path: string) => import(pathToFileURL(resolve(path)).href);
  const here = (path: string) => import(new URL(path, import.meta.url).href);

  const child = fork(new URL(import.meta.url).pathname, ["--serve"], { execArgv: process.execArgv });
  const port = await new Promise<number>((r) => child.once("message", (m) => r(m as number)));
  const base = `http://127.0.0.1:${port}`;

  // The contenders: each a row label and a call.
  const requestBody = JSON.stringify({
    model: "gpt-4o-mini",
    max_tokens: 200,
    messages: [{ role: "user", content: "Hi! We're getting married on 14 June 2026 at Hartwell Manor." }],
  });
  const viaFetch = (f: typeof fetch) => async () => {
    const headers = new Headers({ authorization: "Bearer sk-fake", "content-type": "application/json" });
    const res = await f(`${base}/v1/chat/completions`, { method: "POST", headers, body: requestBody });
    await res.json();
  };
  const viaRequester = (m: RequesterModule) => {
    const requester = m.createHttpRequester({ url: base, token: "t", timeoutMs: 5_000 });
    return () => requester.request({ body: ["EVALSHA", "0123456789abcdef", "1", "wedsync:rl:k", "50"] });
  };
  const groups: Array<Array<[string, () => Promise<unknown>]>> = [];
  const fetches: Array<[string, () => Promise<unknown>]> = [
    [
      "httpFetch (this tree)",
      viaFetch(
        ((await here("../../../packages/api/src/providers/http-fetch.ts")) as { httpFetch: typeof fetch })
          .httpFetch,
      ),
    ],
  ];
  const beforeFetch = arg("before-fetch");
  if (beforeFetch)
    fetches.push([
      "httpFetch (before)",
      viaFetch(((await load(beforeFetch)) as { httpFetch: typeof fetch }).httpFetch),
    ]);
  if (process.argv.includes("--global-fetch")) fetches.push(["Node's fetch (reference)", viaFetch(fetch)]);
  groups.push(fetches);
  const requesters: Array<[string, () => Promise<unknown>]> = [
    [
      "Upstash requester (this tree)",
      viaRequester((await here("../../../packages/api/src/infra/upstash-requester.ts")) as RequesterModule),
    ],
  ];
  const beforeRequester = arg("before-requester");
  if (beforeRequester)
    requesters.push([
      "Upstash requester (before)",
      viaRequester((await load(beforeRequester)) as RequesterModule),
    ]);
  groups.push(requesters);

  const rows: string[] = [];
  for (const concurrency of [1, 64]) {
    for (const group of groups) {
      // Warm-up: connections opened, code optimised.
      for (const [, call] of group) await drive(Math.min(2_000, requests), concurrency, call);
      const samples = group.map(() => ({ cpuUs: [] as number[], ms: 0 }));
      for (let round = 0; round < rounds; round++) {
        for (const [i, [, call]] of group.entries()) {
          const cpu = process.cpuUsage();
          const t0 = performance.now();
          await drive(perRound, concurrency, call);
          const used = process.cpuUsage(cpu);
          samples[i]!.ms += performance.now() - t0;
          samples[i]!.cpuUs.push((used.user + used.system) / perRound);
        }
      }
      for (const [i, [label]] of group.entries()) {
        const { cpuUs, ms } = samples[i]!;
        const median = [...cpuUs].sort((a, b) => a - b)[Math.floor(cpuUs.length / 2)]!;
        const rate = Math.round(((perRound * rounds) / ms) * 1000);
        rows.push(
          `| ${label.padEnd(30)} | ${String(concurrency).padStart(3)} | ${String(rate).padStart(7)} | ${median.toFixed(1).padStart(10)} | ${cpuUs.map((c) => c.toFixed(0)).join(" ")} |`,
        );
      }
    }
  }
  child.kill();
  console.log(
    `${perRound * rounds} requests per row (${rounds} rounds, versions taking turns) after a warm-up; CPU = this process's user+system time\n`,
  );
  console.log("| client                         |   c |   req/s | CPU µs/req | per round |");
  console.log("| ------------------------------ | --: | ------: | ---------: | --------- |");
  for (const r of rows) console.log(r);
  process.exit(0);
}

/** `total` calls, `concurrency` at a time. */
async function drive(total: number, concurrency: number, call: () => Promise<unknown>) {
  let started = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (started < total) {
        started++;
        await call();
      }
    }),
  );
}
