/**
 * What the bench's commands share on their command line: flags parsed by node:util's parseArgs
 * (`--rounds=3`, `--rounds 3`, bare `--phases`; the last of a repeated flag wins), each falling
 * back to an environment variable and then a default, and the guard on the database a command
 * drops, recreates or writes to.
 */
import { type ParseArgsConfig, parseArgs } from "node:util";

type FlagSpecs = NonNullable<ParseArgsConfig["options"]>;

/**
 * The flags in `argv`; `--help` / `-h` prints `help` and exits. A flag not in `specs`, or a value
 * where none is taken, is an error that shows `help`.
 */
export function parseFlags<const S extends FlagSpecs>(argv: string[], specs: S, help: string) {
  // `pnpm run <script> -- --flag` may hand the separator on: it separates nothing here.
  const args = argv.filter((a) => a !== "--");
  if (args.includes("--help") || args.includes("-h")) {
    console.log(help);
    process.exit(0);
  }
  try {
    return parseArgs({ args, options: specs, strict: true, allowPositionals: false }).values;
  } catch (err) {
    throw new Error(`${(err as Error).message}\n\n${help}`);
  }
}

/** `{ name: { type: "string" } }` for each name: the flags that take a value. */
export function valueFlags<const K extends string>(...names: K[]) {
  return Object.fromEntries(names.map((name) => [name, { type: "string" }])) as {
    [N in K]: { type: "string" };
  };
}

interface NumberRules {
  integer?: boolean;
  allowZero?: boolean;
}

/**
 * A number from a flag or the environment (`raw`, "10_000" allowed), or `fallback` when there is
 * none: positive (or zero with `allowZero`), whole with `integer`.
 */
export function numberOption(
  name: string,
  raw: string | undefined,
  fallback: number,
  { integer = false, allowZero = false }: NumberRules = {},
): number {
  if (raw === undefined) return fallback;
  const n = Number(raw.replaceAll("_", ""));
  const ok = Number.isFinite(n) && (allowZero ? n >= 0 : n > 0) && (!integer || Number.isSafeInteger(n));
  if (!ok)
    throw new Error(
      `${name} must be a ${allowZero ? "non-negative" : "positive"} ${integer ? "integer" : "number"}, got "${raw}"`,
    );
  return n;
}

/**
 * Options from parsed flags or, where a flag is absent, an environment variable:
 * `int("rows", "SEED_ROWS", 10_000_000)` reads `--rows`, else SEED_ROWS, else 10,000,000.
 */
export function optionsFrom(
  flags: Readonly<Record<string, string | boolean | undefined>>,
  env: NodeJS.ProcessEnv,
) {
  const raw = (flag: string, envName?: string): string | undefined => {
    const value = flags[flag];
    return typeof value === "string" ? value : envName === undefined ? undefined : env[envName];
  };
  const label = (flag: string, envName?: string) => `--${flag}${envName ? ` / ${envName}` : ""}`;
  return {
    raw,
    number: (flag: string, envName: string | undefined, fallback: number, rules: NumberRules = {}) =>
      numberOption(label(flag, envName), raw(flag, envName), fallback, rules),
    int: (flag: string, envName: string | undefined, fallback: number, rules: NumberRules = {}) =>
      numberOption(label(flag, envName), raw(flag, envName), fallback, { ...rules, integer: true }),
    /** A switch: the bare flag, else the variable set to anything but "0" or "false". */
    on: (flag: string, envName: string): boolean => {
      const value = flags[flag];
      if (typeof value === "boolean") return value;
      const v = env[envName];
      return v !== undefined && v !== "0" && v !== "false";
    },
  };
}

/** The database `pnpm db:seed:large` fills and `pnpm bench:analytics` reads. */
export const ANALYTICS_DATABASE_URL = "postgres://postgres@127.0.0.1:5433/wedsync_bench_analytics";

/**
 * `url`, unless its database's name does not say it is a bench's: the bench's commands drop,
 * recreate or write to their database, and must never do that to another one.
 */
export function benchDatabaseUrl(url: string, example: string): string {
  const name = decodeURIComponent(new URL(url).pathname.slice(1));
  if (!/bench/i.test(name)) {
    throw new Error(
      `"${name}" does not look like a bench database (its name must contain "bench"): the bench drops, ` +
        `recreates or writes to its database. Set BENCH_DATABASE_URL, e.g. ${example}`,
    );
  }
  return url;
}
