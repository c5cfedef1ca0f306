/**
 * `npm run bench:browser`: cold loads of the supplier app's screens in Debian's Chromium against
 * the real server with the demo data, median of 5 per screen, JavaScript transferred per route,
 * and ratios against the sign-in page measured in the same run. See docs/benchmarks.md.
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { numberOption, parseFlags, valueFlags } from "../src/cli";
import {
  checkBuild,
  launchChromium,
  NOT_FOUND_SCREEN,
  REPO_ROOT,
  type Screen,
  SIGN_IN_SCREEN,
  sendDemoUsage,
  signIn,
  startServer,
  supplierScreens,
  webDistFromEnv,
} from "./harness.mjs";
import { coldLoad } from "./measure";
import {
  medianSample,
  phasesTable,
  resultsTable,
  type ScreenRun,
  shortPath,
  summarize,
  timelineLines,
  verdictLine,
  verdicts,
} from "./report";

const HELP = `npm run bench:browser -- [options]

Cold loads of every supplier screen (new browser context, empty cache, signed in as
owner@evermore.demo) until its heading shows and nothing in it is loading.

  --runs=5          measured cold loads per screen (BENCH_BROWSER_RUNS); the figure is their median
  --warmup=1        unmeasured passes over every screen first (BENCH_BROWSER_WARMUP)
  --screens=a,b     only these screens (config, clients, client, quotas, analytics, billing,
                    alerts, api); the baselines are always measured
  --usage=40        AI requests sent before measuring (BENCH_BROWSER_USAGE; the demo data has
                    none, so analytics, quotas and billing would show only empty states); 0: none
  --port=4206       the server's port (BENCH_BROWSER_PORT)
  --timeout=20000   ms a load may take before it counts as failed
  --markdown        also print the tables as Markdown
  --timeline        also print each screen's median load, request by request

WEB_DIST chooses the build (default apps/web/dist; build it first), CHROMIUM_PATH the browser
(default /usr/bin/chromium).`;

/** The command line's choices; an invalid one is an error that shows the help. */
function options() {
  const flags = parseFlags(
    process.argv.slice(2),
    {
      ...valueFlags("runs", "warmup", "screens", "port", "timeout", "usage"),
      markdown: { type: "boolean" },
      timeline: { type: "boolean" },
    },
    HELP,
  );
  const runs = numberOption("--runs", flags.runs ?? process.env.BENCH_BROWSER_RUNS, 5, { integer: true });
  const warmup = numberOption("--warmup", flags.warmup ?? process.env.BENCH_BROWSER_WARMUP, 1, {
    integer: true,
    allowZero: true,
  });
  const usage = numberOption("--usage", flags.usage ?? process.env.BENCH_BROWSER_USAGE, 40, {
    integer: true,
    allowZero: true,
  });
  const port = numberOption("--port", flags.port ?? process.env.BENCH_BROWSER_PORT, 4206, { integer: true });
  const timeoutMs = numberOption("--timeout", flags.timeout, 20_000, { integer: true });
  const only = flags.screens?.split(",").map((s) => s.trim());
  const known = supplierScreens({ orgId: "", clientId: "" }).map((s) => s.name);
  const unknown = only?.filter((n) => !known.includes(n)) ?? [];
  if (unknown.length) throw new Error(`unknown screen(s): ${unknown.join(", ")}\n\n${HELP}`);
  return { flags, runs, warmup, usage, port, timeoutMs, only };
}

/** 0: every load became ready (whether or not the targets are met); 1: some load failed. */
async function main(): Promise<number> {
  const { flags, runs, warmup, usage, port, timeoutMs, only } = options();
  const webDist = webDistFromEnv();
  const { compressed } = checkBuild(webDist);
  const git = (...args: string[]) =>
    spawnSync("git", args, { cwd: REPO_ROOT, encoding: "utf8" }).stdout?.trim() ?? "";
  const commit = git("rev-parse", "--short", "HEAD");
  const dirty = git("status", "--porcelain", "--", "apps/web", "packages/ui").length > 0;

  const server = await startServer({
    port,
    dataDir: join(tmpdir(), `wedsync-bench-browser-${port}`),
    webDist,
  });
  let failedLoads = 0;
  try {
    const browser = await launchChromium();
    try {
      const owner = await signIn(browser, server.baseURL, "owner@evermore.demo");
      const all = supplierScreens(owner);
      const loadAtStart = loadavg();
      const sent = usage
        ? await sendDemoUsage(browser, server.baseURL, owner, usage)
        : { done: 0, refused: 0 };
      const measured: { screen: Screen; signedIn: boolean }[] = [
        { screen: SIGN_IN_SCREEN, signedIn: false },
        { screen: NOT_FOUND_SCREEN, signedIn: true },
        ...all.filter((s) => !only || only.includes(s.name)).map((screen) => ({ screen, signedIn: true })),
      ];

      console.log(
        `build      ${webDist} (${compressed ? "brotli/gzip copies: served compressed" : "NOT compressed: run compress-dist.mjs, figures overstate JS"})`,
      );
      console.log(`code       ${commit}${dirty ? " + uncommitted changes in apps/web or packages/ui" : ""}`);
      console.log(`browser    Chromium ${browser.version()}, headless, 1280×800`);
      console.log(
        `machine    ${cpus().length} × ${cpus()[0]?.model ?? "?"}, load ${loadavg()
          .map((l) => l.toFixed(2))
          .join(" ")}`,
      );
      console.log(
        `server     ${server.baseURL}, PGlite, demo data + ${sent.done} AI requests (${sent.refused} refused) sent first`,
      );
      console.log(`loads      ${warmup} warm-up pass(es), then ${runs} cold loads per screen, interleaved\n`);

      const results: ScreenRun[] = measured.map(({ screen }) => ({ ...screen, samples: [], failures: [] }));
      // Round-robin: a slow moment of the shared machine touches every screen a little, not one a lot.
      for (let round = 1 - warmup; round <= runs; round++) {
        const cells: string[] = [];
        for (const [i, { screen, signedIn }] of measured.entries()) {
          const result = results[i]!;
          try {
            const sample = await coldLoad(browser, screen.path, {
              baseURL: server.baseURL,
              storageState: signedIn ? owner.storageState : undefined,
              timeoutMs,
            });
            if (round > 0) result.samples.push(sample);
            cells.push(`${screen.name} ${Math.round(sample.ms)}`);
          } catch (err) {
            if (round > 0) result.failures.push((err as Error).message);
            cells.push(`${screen.name} FAILED`);
            if (round > 0) console.error(`  ${screen.name} (${screen.path}): ${(err as Error).message}`);
          }
        }
        console.log(`${round > 0 ? `run ${round}/${runs}` : "warm-up"}  ${cells.join(", ")}`);
      }

      const baseline = summarize(results[0]!, Number.NaN);
      const summaries = results.map((r) => summarize(r, baseline.ms));
      const paths = new Map(results.map((r) => [r.name, shortPath(r.path)]));
      failedLoads = summaries.reduce((n, s) => n + s.failed, 0);

      console.log(`\n${resultsTable(summaries, paths)}\n`);
      console.log(
        `machine load at the end: ${loadavg()
          .map((l) => l.toFixed(2))
          .join(" ")} (1, 5, 15 min)`,
      );
      console.log(
        "× baseline: the screen's median over the sign-in page's, both cold, in this run (compare these across machines).",
      );
      console.log(
        "JS kB: script bodies as transferred (encoded); 'to ready': arrived before the screen was ready; 'loaded': all, once the network was quiet.\n",
      );
      console.log(`Where the time goes (medians, ms since navigation start):\n${phasesTable(summaries)}\n`);
      console.log("Targets (issue 13):");
      for (const v of verdicts(summaries)) console.log(`  ${verdictLine(v, runs)}`);
      if (flags.timeline) {
        for (const r of results) {
          const mid = medianSample(r.samples);
          if (mid) console.log(`\n${r.label} (${Math.round(mid.ms)} ms):\n${timelineLines(mid).join("\n")}`);
        }
      }
      if (flags.markdown) {
        console.log(`\n${resultsTable(summaries, paths, true)}\n\n${phasesTable(summaries, true)}`);
      }

      const dir = join(
        REPO_ROOT,
        "tooling",
        "bench",
        "results",
        `${new Date().toISOString().replaceAll(":", "-")}-browser`,
      );
      mkdirSync(dir, { recursive: true });
      writeFileSync(
        join(dir, "results.json"),
        `${JSON.stringify(
          {
            commit,
            dirty,
            webDist,
            compressed,
            runs,
            warmup,
            usage: sent,
            chromium: browser.version(),
            loadAverage: { start: loadAtStart, end: loadavg() },
            results,
            summaries,
          },
          null,
          2,
        )}\n`,
      );
      console.log(`\nResults: ${join(dir, "results.json")}`);
      if (failedLoads) console.error(`\n${failedLoads} load(s) failed: see above.`);
    } finally {
      await browser.close();
    }
  } finally {
    await server.stop();
  }
  return failedLoads ? 1 : 0;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (err: Error) => {
    console.error(`bench:browser: ${err.message}`);
    process.exitCode = 2;
  },
);
