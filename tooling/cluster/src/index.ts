/**
 * Several API server processes on one PostgreSQL and one Redis (through the Upstash-REST proxy),
 * the way production runs them: used by the multi-instance tests and by `pnpm dev:cluster`.
 *
 * An instance counts as up only when the process this helper started answers: each gets an
 * instance id (WEDSYNC_INSTANCE_ID) that the server sends back as `x-wedsync-instance` on
 * /healthz, and a /healthz answer without it (another server on the port) is not this instance.
 * A process that exits before it is up fails the start at once, with its last output.
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

/** The /healthz response header carrying the instance id (see packages/api/src/app.ts). */
export const INSTANCE_HEADER = "x-wedsync-instance";

/** Attempts per instance when a free port the OS gave us is taken before the instance binds it. */
const PORT_ATTEMPTS = 3;

export interface ClusterOptions {
  instances: number;
  databaseUrl: string;
  redisUrl: string;
  /**
   * Ports for the instances (default: free ones the OS picks). A port another process holds fails
   * the start with an error naming it; a free port taken in the meantime is replaced by another.
   */
  ports?: number[];
  /** Extra environment for every instance (CONFIG_CACHE_TTL_MS, LOG_LEVEL, SEED_DEMO...). */
  env?: Record<string, string>;
  /** Echo the instances' output, prefixed with their name. */
  echo?: boolean;
  /** How long each instance may take to answer /healthz as itself (default 120 s). */
  startTimeoutMs?: number;
  /** Where free ports come from (default: ask the OS for one, listening on port 0). */
  freePort?: () => Promise<number>;
}

export interface Instance {
  name: string;
  /** Unique to this start: the instance reports it as `x-wedsync-instance` on /healthz. */
  id: string;
  url: string;
  port: number;
  pid: number;
  /** The process (tests that need to crash one use `kill`). */
  process: ChildProcess;
  /** The last lines it wrote, for error messages. */
  tail(): string;
  /** Send `signal` (default SIGTERM) and resolve once the process has exited. */
  kill(signal?: NodeJS.Signals): Promise<void>;
}

export interface Cluster {
  instances: Instance[];
  upstash: { url: string; token: string };
  /** `instances[i].kill(signal)`: e.g. kill(0, "SIGKILL") for a crash under load. */
  kill(i: number, signal?: NodeJS.Signals): Promise<void>;
  stop(): Promise<void>;
}

/** An instance that could not be started; `addressInUse` when its port was held by another process. */
export class InstanceStartError extends Error {
  constructor(
    message: string,
    readonly addressInUse: boolean,
  ) {
    super(message);
    this.name = "InstanceStartError";
  }
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
  const launch = (name: string, port: number) => {
    const instance = spawnInstance(name, port, {
      ...opts,
      dataDir,
      upstash: { url: proxy.url, token },
    });
    children.push(instance.process);
    return instance;
  };
  try {
    // One after the other: the first applies migrations, and concurrent migrators would race.
    for (let i = 0; i < opts.instances; i++) {
      const name = `api-${i + 1}`;
      const fixedPort = opts.ports?.[i];
      for (let attempt = 1; ; attempt++) {
        const port = fixedPort ?? (await (opts.freePort ?? freePort)());
        const instance = launch(name, port);
        try {
          await waitUntilUp(instance, opts.startTimeoutMs ?? 120_000);
          instances.push(instance);
          break;
        } catch (err) {
          await stopChild(instance.process);
          // A port the OS called free may be taken before the instance binds it: take another.
          const retry = err instanceof InstanceStartError && err.addressInUse && fixedPort === undefined;
          if (!retry || attempt >= PORT_ATTEMPTS) throw err;
          if (opts.echo) console.log(`[${name}] port ${port} was taken meanwhile; trying another`);
        }
      }
    }
  } catch (err) {
    await stop();
    throw err;
  }
  return {
    instances,
    upstash: { url: proxy.url, token },
    kill: async (i, signal) => {
      const instance = instances[i];
      if (!instance) throw new Error(`no instance ${i} (the cluster has ${instances.length})`);
      await instance.kill(signal);
    },
    stop,
  };
}

interface SpawnOptions extends ClusterOptions {
  dataDir: string;
  upstash: { url: string; token: string };
}

function spawnInstance(name: string, port: number, opts: SpawnOptions): Instance {
  const id = `${name}-${randomBytes(6).toString("hex")}`;
  const lines: string[] = [];
  const child = spawn(process.execPath, ["--import", "tsx", "src/main.ts"], {
    cwd: API_DIR,
    env: {
      ...process.env,
      PORT: String(port),
      HOST: "127.0.0.1",
      DATA_DIR: join(opts.dataDir, name),
      DATABASE_URL: opts.databaseUrl,
      UPSTASH_REDIS_REST_URL: opts.upstash.url,
      UPSTASH_REDIS_REST_TOKEN: opts.upstash.token,
      SEED_DEMO: "false",
      LOG_LEVEL: "warn",
      ...opts.env,
      WEDSYNC_INSTANCE_ID: id,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
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
  return {
    name,
    id,
    url: `http://127.0.0.1:${port}`,
    port,
    pid: child.pid ?? 0,
    process: child,
    tail: () => lines.join("\n"),
    kill: async (signal = "SIGTERM") => {
      if (hasExited(child)) return;
      const gone = exitOf(child);
      child.kill(signal);
      await gone;
    },
  };
}

/**
 * Until the process we started answers /healthz with 200 and its own id. Another server on the
 * port (no id, or another one) does not count; the process exiting first fails at once.
 */
async function waitUntilUp(instance: Instance, timeoutMs: number) {
  const child = instance.process;
  const exited = exitOf(child).then((how) => ({ exited: how }));
  const deadline = Date.now() + timeoutMs;
  /** What answered /healthz on the port last, when it was not this instance up. */
  let seen: string | null = null;
  while (Date.now() < deadline) {
    const probe = probeHealth(instance);
    const outcome = await Promise.race([probe, exited]);
    if (typeof outcome === "object") {
      const inUse = /EADDRINUSE/.test(instance.tail());
      throw new InstanceStartError(
        `${instance.name} (pid ${instance.pid}) exited (${outcome.exited}) before it was up on ${instance.url}` +
          (inUse ? `: port ${instance.port} is already in use by another process` : "") +
          (seen ? `; /healthz there was answered by ${seen}` : "") +
          `\n--- last output of ${instance.name} ---\n${instance.tail()}`,
        inUse,
      );
    }
    if (outcome === "up") return;
    if (outcome !== "no answer") seen = outcome;
    await Promise.race([new Promise((r) => setTimeout(r, 200)), exited]);
  }
  throw new InstanceStartError(
    `${instance.name} (pid ${instance.pid}, id ${instance.id}) was not up on ${instance.url} after ${timeoutMs} ms` +
      (seen ? `; /healthz there was answered by ${seen}` : "") +
      `\n--- last output of ${instance.name} ---\n${instance.tail()}`,
    false,
  );
}

/** "up" when the instance itself answers healthy; else who answered, or "no answer". */
async function probeHealth(instance: Instance): Promise<string> {
  try {
    const res = await fetch(`${instance.url}/healthz`, { signal: AbortSignal.timeout(1_000) });
    await res.body?.cancel();
    const who = res.headers.get(INSTANCE_HEADER);
    if (who === instance.id) return res.ok ? "up" : `this instance, not yet healthy (HTTP ${res.status})`;
    return `another server (HTTP ${res.status}, ${INSTANCE_HEADER}: ${who ?? "absent"}; expected ${instance.id})`;
  } catch {
    return "no answer"; // not listening yet
  }
}

/** Whether the process has exited (with a code or by a signal). */
export function hasExited(child: ChildProcess): boolean {
  return child.exitCode !== null || child.signalCode !== null;
}

/**
 * Resolves once the process has exited, with how ("code 1", "SIGKILL"), after its output has been
 * read (or half a second, should a grandchild hold its pipes open).
 */
export function exitOf(child: ChildProcess): Promise<string> {
  const how = () => (child.signalCode ? String(child.signalCode) : `code ${child.exitCode}`);
  if (hasExited(child)) return Promise.resolve(how());
  return new Promise((resolve) => {
    child.once("exit", () => {
      const timer = setTimeout(() => resolve(how()), 500);
      child.once("close", () => {
        clearTimeout(timer);
        resolve(how());
      });
    });
  });
}

async function stopChild(child: ChildProcess) {
  if (hasExited(child)) return;
  const gone = exitOf(child);
  child.kill("SIGTERM");
  const timer = setTimeout(() => child.kill("SIGKILL"), 20_000);
  await gone;
  clearTimeout(timer);
}

/** A free TCP port on 127.0.0.1, from the OS (listening on port 0); it may be taken before it is used. */
export function freePort(): Promise<number> {
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
