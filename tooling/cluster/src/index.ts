/**
 * Several API server processes on one PostgreSQL and one Redis (through the Upstash-REST proxy),
 * the way production runs them: used by the multi-instance tests and by `pnpm dev:cluster`.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { startUpstashProxy, type UpstashProxy } from "@wedsync/upstash-proxy";

const API_DIR = fileURLToPath(new URL("../../../packages/api", import.meta.url));

export interface ClusterOptions {
  instances: number;
  databaseUrl: string;
  redisUrl: string;
  /** Ports for the instances (default: free ones). */
  ports?: number[];
  /** Extra environment for every instance (CONFIG_CACHE_TTL_MS, LOG_LEVEL, SEED_DEMO...). */
  env?: Record<string, string>;
  /** Echo the instances' output, prefixed with their name. */
  echo?: boolean;
}

export interface Instance {
  name: string;
  url: string;
  pid: number;
  /** The last lines it wrote, for error messages. */
  tail(): string;
}

export interface Cluster {
  instances: Instance[];
  upstash: { url: string; token: string };
  stop(): Promise<void>;
}

export async function startCluster(opts: ClusterOptions): Promise<Cluster> {
  const token = randomBytes(16).toString("hex");
  const proxy: UpstashProxy = await startUpstashProxy({ redisUrl: opts.redisUrl, token });
  const dataDir = mkdtempSync(join(tmpdir(), "wedsync-cluster-"));
  const children: ChildProcess[] = [];
  const instances: Instance[] = [];
  const stop = async () => {
    await Promise.all(children.map(stopChild));
    await proxy.close();
    rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    // One after the other: the first applies migrations, and concurrent migrators would race.
    for (let i = 0; i < opts.instances; i++) {
      const name = `api-${i + 1}`;
      const port = opts.ports?.[i] ?? (await freePort());
      const lines: string[] = [];
      const child = spawn(process.execPath, ["--import", "tsx", "src/main.ts"], {
        cwd: API_DIR,
        env: {
          ...process.env,
          PORT: String(port),
          HOST: "127.0.0.1",
          DATA_DIR: join(dataDir, name),
          DATABASE_URL: opts.databaseUrl,
          UPSTASH_REDIS_REST_URL: proxy.url,
          UPSTASH_REDIS_REST_TOKEN: token,
          SEED_DEMO: "false",
          LOG_LEVEL: "warn",
          ...opts.env,
        },
        stdio: ["ignore", "pipe", "pipe"],
      });
      children.push(child);
      const collect = (chunk: Buffer) => {
        for (const line of chunk.toString("utf8").split("\n")) {
          if (!line.trim()) continue;
          lines.push(line);
          if (lines.length > 40) lines.shift();
          if (opts.echo) console.log(`[${name}] ${line}`);
        }
      };
      child.stdout?.on("data", collect);
      child.stderr?.on("data", collect);
      const instance: Instance = {
        name,
        url: `http://127.0.0.1:${port}`,
        pid: child.pid ?? 0,
        tail: () => lines.join("\n"),
      };
      await waitUntilHealthy(instance, child);
      instances.push(instance);
    }
  } catch (err) {
    await stop();
    throw err;
  }
  return { instances, upstash: { url: proxy.url, token }, stop };
}

async function waitUntilHealthy(instance: Instance, child: ChildProcess, timeoutMs = 120_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`${instance.name} exited:\n${instance.tail()}`);
    try {
      const res = await fetch(`${instance.url}/healthz`, { signal: AbortSignal.timeout(1_000) });
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${instance.name} was not healthy after ${timeoutMs} ms:\n${instance.tail()}`);
}

async function stopChild(child: ChildProcess) {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const gone = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  child.kill("SIGTERM");
  const timer = setTimeout(() => child.kill("SIGKILL"), 20_000);
  await gone;
  clearTimeout(timer);
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

export { startBalancer } from "./balancer";
