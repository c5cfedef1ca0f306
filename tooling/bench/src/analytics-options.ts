/**
 * Options shared by `pnpm db:seed:large` and `pnpm bench:analytics`: flags (`--rows=200000`)
 * win over the environment (`SEED_ROWS=200000`).
 */

export const DEFAULT_ANALYTICS_DATABASE_URL = "postgres://postgres@127.0.0.1:5433/wedsync_bench_analytics";

/** The seed drops and recreates its database: refuse any whose name does not say it is a bench's. */
export function analyticsDatabaseUrl(argv: string[], env: NodeJS.ProcessEnv): string {
  const raw =
    flag(argv, "database-url") ??
    env.BENCH_DATABASE_URL ??
    env.DATABASE_URL ??
    DEFAULT_ANALYTICS_DATABASE_URL;
  const name = decodeURIComponent(new URL(raw).pathname.slice(1));
  if (!/bench/i.test(name)) {
    throw new Error(
      `"${name}" does not look like a bench database (its name must contain "bench"): the large seed ` +
        `drops and recreates it. Set BENCH_DATABASE_URL, e.g. ${DEFAULT_ANALYTICS_DATABASE_URL}`,
    );
  }
  return raw;
}

export function flag(argv: string[], name: string): string | undefined {
  const prefix = `--${name}=`;
  const hit = argv.findLast((a) => a === `--${name}` || a.startsWith(prefix));
  if (hit === undefined) return undefined;
  return hit.startsWith(prefix) ? hit.slice(prefix.length) : "1";
}

/** A positive integer from a flag or the environment, or the default. */
export function intOption(
  argv: string[],
  env: NodeJS.ProcessEnv,
  name: string,
  envName: string,
  fallback: number,
): number {
  const raw = flag(argv, name) ?? env[envName];
  if (raw === undefined) return fallback;
  const n = Number(raw.replaceAll("_", ""));
  if (!Number.isSafeInteger(n) || n <= 0)
    throw new Error(`--${name} / ${envName} must be a positive integer`);
  return n;
}

export function helpRequested(argv: string[], help: string): void {
  if (argv.includes("--help") || argv.includes("-h")) {
    console.log(help);
    process.exit(0);
  }
}
