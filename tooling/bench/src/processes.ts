/**
 * Child processes of one bench run: spawn, wait until ready, and kill every one of them at the
 * end, on errors and on Ctrl-C (SIGINT/SIGTERM/SIGHUP), whatever state they are in. How a process
 * is known to have exited, and free ports, are the cluster helper's (@wedsync/cluster).
 */
import { type ChildProcess, spawn } from "node:child_process";
import { setTimeout as sleep } from "node:timers/promises";
import { exitOf as exitOfProcess, hasExited } from "@wedsync/cluster";

export { freePort } from "@wedsync/cluster";

export interface Child {
  name: string;
  proc: ChildProcess;
  pid: number;
  /** The last lines it wrote (stdout and stderr), for error messages. */
  tail(): string;
  /** How many lines it has written so far. */
  lineCount(): number;
}

const children: Child[] = [];
const TAIL_LINES = 40;

export interface SpawnOptions {
  args: string[];
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** Open an IPC channel (the child can process.send). */
  ipc?: boolean;
  /** Echo the child's output to ours, prefixed with its name. */
  echo?: boolean;
}

export function spawnChild(name: string, opts: SpawnOptions): Child {
  const proc = spawn(process.execPath, opts.args, {
    cwd: opts.cwd,
    env: { ...process.env, ...opts.env },
    stdio: opts.ipc ? ["ignore", "pipe", "pipe", "ipc"] : ["ignore", "pipe", "pipe"],
  });
  if (proc.pid === undefined) throw new Error(`${name}: could not be started`);
  const lines: string[] = [];
  let count = 0;
  const collect = (chunk: Buffer) => {
    for (const line of chunk.toString("utf8").split("\n")) {
      if (!line.trim()) continue;
      count++;
      lines.push(line);
      if (lines.length > TAIL_LINES) lines.shift();
      if (opts.echo) console.error(`[${name}] ${line}`);
    }
  };
  // Always drain the pipes: a full pipe would block the child.
  proc.stdout?.on("data", collect);
  proc.stderr?.on("data", collect);
  const child: Child = { name, proc, pid: proc.pid, tail: () => lines.join("\n"), lineCount: () => count };
  children.push(child);
  return child;
}

/** Rejects once the child has exited (its last output read): race it against readiness. */
export function exitOf(child: Child): Promise<never> {
  return exitOfProcess(child.proc).then((how) => {
    throw new Error(`${child.name} exited (${how}) before it was ready:\n${child.tail()}`);
  });
}

/** Resolves with the first match of `pattern` in the child's stdout. */
export function waitForLine(child: Child, pattern: RegExp, timeoutMs = 30_000): Promise<RegExpMatchArray> {
  const found = new Promise<RegExpMatchArray>((resolve) => {
    let buffer = "";
    const onData = (chunk: Buffer) => {
      buffer += chunk.toString("utf8");
      const m = buffer.match(pattern);
      if (m) {
        child.proc.stdout?.off("data", onData);
        resolve(m);
      }
    };
    child.proc.stdout?.on("data", onData);
  });
  return withTimeout(child, Promise.race([found, exitOf(child)]), timeoutMs);
}

/** Resolves with the first IPC message of the given type. */
export function waitForMessage<T extends { type: string }>(
  child: Child,
  type: string,
  timeoutMs = 60_000,
): Promise<T> {
  const got = new Promise<T>((resolve) => {
    const onMessage = (m: unknown) => {
      if (typeof m === "object" && m !== null && (m as { type?: unknown }).type === type) {
        child.proc.off("message", onMessage);
        resolve(m as T);
      }
    };
    child.proc.on("message", onMessage);
  });
  return withTimeout(child, Promise.race([got, exitOf(child)]), timeoutMs);
}

/** Polls `url` until it answers (any HTTP status). */
export async function waitForHttp(child: Child, url: string, timeoutMs = 30_000): Promise<void> {
  const poll = async () => {
    for (;;) {
      try {
        await fetch(url, { signal: AbortSignal.timeout(1_000) });
        return;
      } catch {
        await sleep(100);
      }
    }
  };
  await withTimeout(child, Promise.race([poll(), exitOf(child)]), timeoutMs);
}

async function withTimeout<T>(child: Child, p: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`${child.name} was not ready after ${ms} ms:\n${child.tail()}`)),
      ms,
    );
  });
  try {
    return await Promise.race([p, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** SIGTERM, then SIGKILL after `graceMs`; resolves when the child is gone. */
export async function stopChild(child: Child, graceMs = 10_000): Promise<void> {
  if (hasExited(child.proc)) return;
  const gone = exitOfProcess(child.proc);
  child.proc.kill("SIGTERM");
  const timer = setTimeout(() => {
    if (!hasExited(child.proc)) child.proc.kill("SIGKILL");
  }, graceMs);
  await gone;
  clearTimeout(timer);
}

/** Every child started so far (still running or not). */
export function allChildren(): readonly Child[] {
  return children;
}

/** Stops every child, the most recently started first. */
export async function stopAll(graceMs = 10_000): Promise<void> {
  const list = children.splice(0).reverse();
  for (const child of list) await stopChild(child, graceMs);
}

/** Last resort (process exit): SIGKILL whatever is still running, synchronously. */
function killAllNow() {
  for (const child of children) {
    if (!hasExited(child.proc)) child.proc.kill("SIGKILL");
  }
}

let installed = false;
/** Ctrl-C and friends stop the children before we exit; so does an exit for any other reason. */
export function installCleanup(): void {
  if (installed) return;
  installed = true;
  process.on("exit", killAllNow);
  for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
    process.once(signal, () => {
      console.error(`\n${signal}: stopping the bench's child processes`);
      void stopAll(3_000).finally(() => process.exit(130));
    });
  }
}
