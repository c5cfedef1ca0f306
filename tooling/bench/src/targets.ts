/**
 * What runs where: the fake upstream, Portkey's gateway and the platform (with its Upstash proxy),
 * each in a child process, and how each is called with the same OpenAI-style request.
 */
import { randomBytes } from "node:crypto";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import type { CpuGroup } from "./cpu";
import type { TargetName } from "./options";
import type { PhaseStat } from "./phases";
import type { PlatformPhases, PlatformReady } from "./platform-child";
import { type Child, freePort, spawnChild, waitForHttp, waitForLine, waitForMessage } from "./processes";

const HERE = dirname(fileURLToPath(import.meta.url));
const PACKAGE_DIR = join(HERE, "..");
const require = createRequire(import.meta.url);

/** The measured request: a short, realistic wedding inquiry, non-streaming, max_tokens 200. */
export const REQUEST_BODY = JSON.stringify({
  model: "gpt-4o-mini",
  max_tokens: 200,
  messages: [
    {
      role: "user",
      content:
        "Hi! We're getting married on 14 June 2026 at Hartwell Manor in the Cotswolds, about 120 guests. " +
        "Could you extract the couple's names, date, venue and guest count from this inquiry and tell us " +
        "whether your florist package covers the ceremony arch and table centrepieces? Thanks, Priya & Tom",
    },
  ],
});

export interface Target {
  name: TargetName;
  /** Full URL of POST /v1/chat/completions. */
  url: string;
  headers: Record<string, string>;
  /** The processes that serve this target besides the fake (named), for CPU accounting. */
  cpu: CpuGroup[];
}

/** node --import tsx <file>, from this package (where tsx is installed). */
const tsArgs = (file: string, extra: string[] = []) => [...extra, "--import", "tsx", file];

/**
 * --cpu-prof into <dir>/<name>/: one file per thread (tsx's module loader runs in a worker thread
 * of its own), the main thread's being the largest.
 */
const profileArgs = (dir: string, name: string) => ["--cpu-prof", `--cpu-prof-dir=${join(dir, name)}`];

/** Directory of a workspace package's src/, from its "." export. */
const srcOf = (pkg: string) => dirname(fileURLToPath(import.meta.resolve(pkg)));

export async function startFake(): Promise<{ child: Child; baseUrl: string }> {
  const child = spawnChild("fake-openai", {
    args: tsArgs(join(srcOf("@wedsync/fake-openai"), "main.ts")),
    cwd: PACKAGE_DIR,
    env: { PORT: "0", HOST: "127.0.0.1" },
  });
  const m = await waitForLine(child, /listening on (http:\/\/\S+\/v1)/);
  return { child, baseUrl: m[1]! };
}

export async function startPortkey(
  fakeBaseUrl: string,
  profileDir: string | null,
): Promise<{ child: Child; target: Target }> {
  const port = await freePort();
  const gatewayDir = dirname(require.resolve("@portkey-ai/gateway/package.json"));
  const child = spawnChild("portkey", {
    args: [
      ...(profileDir
        ? [
            ...profileArgs(profileDir, "portkey"),
            "--import",
            pathToFileURL(join(HERE, "exit-on-signal.mjs")).href,
          ]
        : []),
      join(gatewayDir, "build", "start-server.js"),
      `--port=${port}`,
      "--headless",
    ],
    cwd: PACKAGE_DIR,
  });
  await waitForHttp(child, `http://127.0.0.1:${port}/`);
  return {
    child,
    target: {
      name: "portkey",
      url: `http://127.0.0.1:${port}/v1/chat/completions`,
      headers: {
        "content-type": "application/json",
        authorization: "Bearer sk-fake",
        "x-portkey-provider": "openai",
        "x-portkey-custom-host": fakeBaseUrl,
      },
      cpu: [{ name: "server", pids: [child.pid] }],
    },
  };
}

export interface PlatformTarget {
  target: Target;
  organizationId: string;
  children: Child[];
  /** The platform child's phase timings (only when started with phases: true). */
  phases(): Promise<PhaseStat[]>;
}

export async function startPlatform(opts: {
  fakeBaseUrl: string;
  databaseUrl: string;
  redisUrl: string;
  profileDir: string | null;
  phases: boolean;
}): Promise<PlatformTarget> {
  const token = randomBytes(16).toString("hex");
  const proxy = spawnChild("upstash-proxy", {
    args: tsArgs(join(srcOf("@wedsync/upstash-proxy"), "main.ts")),
    cwd: PACKAGE_DIR,
    env: {
      REDIS_URL: opts.redisUrl,
      UPSTASH_PROXY_TOKEN: token,
      UPSTASH_PROXY_PORT: "0",
      UPSTASH_PROXY_HOST: "127.0.0.1",
    },
  });
  const proxyUrl = (await waitForLine(proxy, /listening on (http:\/\/\S+)/))[1]!;

  const platform = spawnChild("platform", {
    args: tsArgs(
      join(HERE, "platform-child.ts"),
      opts.profileDir ? profileArgs(opts.profileDir, "platform") : [],
    ),
    cwd: PACKAGE_DIR,
    ipc: true,
    env: {
      DATABASE_URL: opts.databaseUrl,
      FAKE_OPENAI_URL: opts.fakeBaseUrl,
      UPSTASH_URL: proxyUrl,
      UPSTASH_TOKEN: token,
      BENCH_PHASES: opts.phases ? "1" : "0",
    },
  });
  const ready = await waitForMessage<PlatformReady>(platform, "ready", 120_000);
  return {
    organizationId: ready.organizationId,
    phases: async () => {
      const reply = waitForMessage<PlatformPhases>(platform, "phases", 5_000);
      platform.proc.send({ type: "phases" });
      return (await reply).stats;
    },
    children: [proxy, platform],
    target: {
      name: "wedsync",
      url: `${ready.url}/v1/chat/completions`,
      headers: { "content-type": "application/json", authorization: `Bearer ${ready.apiKey}` },
      cpu: [
        { name: "server", pids: [platform.pid] },
        { name: "proxy", pids: [proxy.pid] },
      ],
    },
  };
}

export function directTarget(fakeBaseUrl: string): Target {
  return {
    name: "direct",
    url: `${fakeBaseUrl}/chat/completions`,
    headers: { "content-type": "application/json", authorization: "Bearer sk-fake" },
    cpu: [],
  };
}

/**
 * One request through the target before measuring: a real chat completion must come back.
 * Returns the platform's x-wedsync-request-id (null for the others).
 */
export async function probe(target: Target): Promise<string | null> {
  const res = await fetch(target.url, { method: "POST", headers: target.headers, body: REQUEST_BODY });
  const text = await res.text();
  let content: unknown;
  try {
    content = (JSON.parse(text) as { choices?: Array<{ message?: { content?: unknown } }> }).choices?.[0]
      ?.message?.content;
  } catch {
    content = undefined;
  }
  if (!res.ok || typeof content !== "string") {
    throw new Error(`${target.name}: probe request failed: HTTP ${res.status} ${text.slice(0, 500)}`);
  }
  return res.headers.get("x-wedsync-request-id");
}
