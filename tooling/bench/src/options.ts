/**
 * Bench options, from flags (`--duration=5`) or the environment (`BENCH_DURATION=5`); flags win.
 */
import { benchDatabaseUrl, numberOption, optionsFrom, parseFlags, valueFlags } from "./cli";

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

export function parseOptions(argv: string[], env: NodeJS.ProcessEnv): BenchOptions {
  const flags = parseFlags(
    argv,
    {
      ...valueFlags("duration", "warmup", "rounds", "connections", "targets", "database-url", "redis-url"),
      "cpu-prof": { type: "boolean" },
      phases: { type: "boolean" },
    },
    HELP,
  );
  const opt = optionsFrom(flags, env);
  const connections = (opt.raw("connections", "BENCH_CONNECTIONS") ?? "1,16,64")
    .split(",")
    .map((c) => numberOption("--connections / BENCH_CONNECTIONS", c.trim(), 0, { integer: true }));
  const targets = (opt.raw("targets", "BENCH_TARGETS") ?? TARGET_NAMES.join(","))
    .split(",")
    .map((t) => t.trim())
    .filter(Boolean);
  for (const t of targets) {
    if (!(TARGET_NAMES as readonly string[]).includes(t)) {
      throw new Error(`--targets / BENCH_TARGETS: unknown target "${t}" (known: ${TARGET_NAMES.join(", ")})`);
    }
  }
  return {
    duration: opt.number("duration", "BENCH_DURATION", 10),
    warmup: opt.number("warmup", "BENCH_WARMUP", 2, { allowZero: true }),
    rounds: opt.int("rounds", "BENCH_ROUNDS", 1),
    connections,
    targets: TARGET_NAMES.filter((t) => targets.includes(t)),
    databaseUrl: benchDatabaseUrl(
      opt.raw("database-url", "BENCH_DATABASE_URL") ?? env.DATABASE_URL ?? DEFAULT_DATABASE_URL,
      DEFAULT_DATABASE_URL,
    ),
    redisUrl: opt.raw("redis-url", "REDIS_URL") ?? "redis://127.0.0.1:6379",
    cpuProf: opt.on("cpu-prof", "BENCH_CPU_PROF"),
    phases: opt.on("phases", "BENCH_PHASES"),
  };
}
