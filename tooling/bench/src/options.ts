/**
 * Bench options, from flags (`--duration=5`) or the environment (`BENCH_DURATION=5`); flags win.
 */
export const TARGET_NAMES = ["direct", "portkey", "wedsync"] as const;
export type TargetName = (typeof TARGET_NAMES)[number];

export interface BenchOptions {
  /** Seconds per measured cell. */
  duration: number;
  /** Seconds of warm-up before each cell (same target and concurrency, not measured). */
  warmup: number;
  /** Times the whole matrix (every concurrency, every target) is measured; ratios are the median. */
  rounds: number;
  connections: number[];
  targets: TargetName[];
  databaseUrl: string;
  redisUrl: string;
  /** Write a V8 CPU profile of the platform child (and the gateway) into the results folder. */
  cpuProf: boolean;
  /** Time the platform's request phases (wrapped service methods); read it at c=1. */
  phases: boolean;
}

const DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5433/wedsync_bench";

const HELP = `pnpm bench [--duration=10] [--warmup=2] [--rounds=1] [--connections=1,16,64] [--targets=direct,portkey,wedsync]
           [--database-url=postgres://...] [--redis-url=redis://...] [--cpu-prof] [--phases]
Environment: BENCH_DURATION, BENCH_WARMUP, BENCH_ROUNDS, BENCH_CONNECTIONS, BENCH_TARGETS, BENCH_CPU_PROF=1, BENCH_PHASES=1,
             BENCH_DATABASE_URL or DATABASE_URL (default ${DEFAULT_DATABASE_URL}; dropped and
             recreated, so its name must contain "bench"), REDIS_URL.`;

/** The bench drops and recreates its database: refuse any whose name does not say it is a bench's. */
function benchDatabaseUrl(raw: string): string {
  const name = decodeURIComponent(new URL(raw).pathname.slice(1));
  if (!/bench/i.test(name)) {
    throw new Error(
      `the bench drops and recreates its database; "${name}" does not look like a bench database ` +
        `(its name must contain "bench"). Set BENCH_DATABASE_URL, e.g. ${DEFAULT_DATABASE_URL}`,
    );
  }
  return raw;
}

function flag(argv: string[], name: string): string | undefined {
  const prefix = `--${name}=`;
  const hit = argv.findLast((a) => a === `--${name}` || a.startsWith(prefix));
  if (hit === undefined) return undefined;
  return hit.startsWith(prefix) ? hit.slice(prefix.length) : "1";
}

function positive(name: string, raw: string, allowZero = false): number {
  const n = Number(raw);
  if (!Number.isFinite(n) || n < 0 || (!allowZero && n === 0))
    throw new Error(`${name} must be a positive number, got "${raw}"`);
  return n;
}

export function parseOptions(argv: string[], env: NodeJS.ProcessEnv): BenchOptions {
  if (argv.includes("--help") || argv.includes("-h")) {
    console.log(HELP);
    process.exit(0);
  }
  const get = (name: string, envName: string) => flag(argv, name) ?? env[envName];
  const connections = (get("connections", "BENCH_CONNECTIONS") ?? "1,16,64")
    .split(",")
    .map((c) => Math.round(positive("BENCH_CONNECTIONS", c.trim())));
  const targets = (get("targets", "BENCH_TARGETS") ?? TARGET_NAMES.join(","))
    .split(",")
    .map((t) => t.trim())
    .filter(Boolean);
  for (const t of targets) {
    if (!(TARGET_NAMES as readonly string[]).includes(t)) {
      throw new Error(`BENCH_TARGETS: unknown target "${t}" (known: ${TARGET_NAMES.join(", ")})`);
    }
  }
  const on = (v: string | undefined) => v !== undefined && v !== "0" && v !== "false";
  return {
    duration: positive("BENCH_DURATION", get("duration", "BENCH_DURATION") ?? "10"),
    warmup: positive("BENCH_WARMUP", get("warmup", "BENCH_WARMUP") ?? "2", true),
    rounds: Math.round(positive("BENCH_ROUNDS", get("rounds", "BENCH_ROUNDS") ?? "1")),
    connections,
    targets: TARGET_NAMES.filter((t) => targets.includes(t)),
    databaseUrl: benchDatabaseUrl(
      flag(argv, "database-url") ?? env.BENCH_DATABASE_URL ?? env.DATABASE_URL ?? DEFAULT_DATABASE_URL,
    ),
    redisUrl: get("redis-url", "REDIS_URL") ?? "redis://127.0.0.1:6379",
    cpuProf: on(get("cpu-prof", "BENCH_CPU_PROF")),
    phases: on(get("phases", "BENCH_PHASES")),
  };
}
