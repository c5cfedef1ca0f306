/**
 * `pnpm bench`: the fake upstream, Portkey's gateway and the platform, each in a child process,
 * measured with autocannon at each concurrency; then the table, the ratios against the targets
 * and the usage-row check. Every child is stopped at the end, on errors and on Ctrl-C.
 */
import { existsSync, mkdirSync, readdirSync, statSync, writeFileSync } from "node:fs";
import { cpus } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { pgTransactionCount } from "./counters";
import type { CpuGroup } from "./cpu";
import { readUsage, recreateDatabase, waitForQuiescence } from "./database";
import { measure, type PlatformTally } from "./measure";
import { parseOptions } from "./options";
import type { PhaseStat } from "./phases";
import { allChildren, installCleanup, stopAll } from "./processes";
import { summarizeProfile } from "./profile";
import {
  cpuTable,
  noiseLines,
  phaseLines,
  ratios,
  resultsTable,
  type UsageReport,
  upstreamCheck,
  usageLines,
  workLines,
} from "./report";
import { directTarget, probe, startFake, startPlatform, startPortkey, type Target } from "./targets";

const opts = parseOptions(process.argv.slice(2), process.env);
installCleanup();

const stamp = new Date().toISOString().replace(/[:.]/g, "-");
const outDir = join(dirname(fileURLToPath(import.meta.url)), "..", "results", stamp);
mkdirSync(outDir, { recursive: true });
const profileDir = opts.cpuProf ? outDir : null;
const out: string[] = [];
const say = (line = "") => {
  console.log(line);
  out.push(line);
};

/** The largest .cpuprofile in `dir` (the main thread's; tsx's loader thread writes a small one). */
function mainThreadProfile(dir: string): string | null {
  if (!existsSync(dir)) return null;
  const files = readdirSync(dir)
    .filter((f) => f.endsWith(".cpuprofile"))
    .map((f) => join(dir, f));
  return files.sort((a, b) => statSync(b).size - statSync(a).size)[0] ?? null;
}

async function main(): Promise<number> {
  say(
    `bench: ${opts.targets.join(", ")} at c=${opts.connections.join(",")}; ${opts.duration} s per cell after ` +
      `${opts.warmup} s warm-up; ${cpus().length} cores, Node ${process.version}`,
  );
  const fake = await startFake();
  say(`fake upstream   ${fake.baseUrl} (pid ${fake.child.pid})`);
  const targets: Target[] = [];
  if (opts.targets.includes("direct")) targets.push(directTarget(fake.baseUrl));
  if (opts.targets.includes("portkey")) {
    const portkey = await startPortkey(fake.baseUrl, profileDir);
    say(`portkey gateway ${portkey.target.url} (pid ${portkey.child.pid})`);
    targets.push(portkey.target);
  }
  let organizationId: string | null = null;
  let readPhases: (() => Promise<PhaseStat[]>) | null = null;
  if (opts.targets.includes("wedsync")) {
    recreateDatabase(opts.databaseUrl);
    const platform = await startPlatform({
      fakeBaseUrl: fake.baseUrl,
      databaseUrl: opts.databaseUrl,
      redisUrl: opts.redisUrl,
      profileDir,
      phases: opts.phases,
    });
    readPhases = platform.phases;
    organizationId = platform.organizationId;
    const pids = platform.children.map((c) => `${c.name} ${c.pid}`).join(", ");
    say(`wedsync         ${platform.target.url} (pids ${pids})`);
    targets.push(platform.target);
  }

  const tally: PlatformTally = { ids: [], sent: 0, cut: 0, upstreamCalls: 0, redisCommands: 0 };
  for (const target of targets) {
    const id = await probe(target);
    if (id) {
      tally.ids.push(id);
      tally.sent++;
    }
  }

  const running = [...allChildren()];
  const linesBefore = new Map(running.map((c) => [c, c.lineCount()]));
  const shared: CpuGroup[] = [
    { name: "fake", pids: [fake.child.pid] },
    { name: "postgres", comm: /^postgres$/ },
    { name: "redis", comm: /^redis-server$/ },
    { name: "autocannon", pids: [process.pid] },
  ];
  const cells = await measure(opts, targets, shared, fake.baseUrl, tally);

  say();
  say(resultsTable(cells));
  say("(+pN = latency added over the direct call to the fake at the same concurrency, target minus direct)");
  say();
  say("CPU during each cell, share of one core (the machine has 2):");
  say(cpuTable(cells));
  say(
    "(other = busy time of everything outside the bench on the machine, kernel included; ms/req = CPU " +
      "milliseconds per answered request, of the server process and of the whole path: server, proxy, fake, " +
      "PostgreSQL, Redis)",
  );
  for (const line of noiseLines(cells)) say(line);
  const upstream = upstreamCheck(cells, opts.connections);
  if (upstream.length > 0) {
    say();
    say("fake upstream headroom:");
    for (const line of upstream) say(`  ${line}`);
  }
  say();
  say("ours / Portkey:");
  const verdict = ratios(cells, opts.connections);
  for (const line of verdict.lines) say(`  ${line}`);

  // Output written while measuring costs the writer CPU (and is usually a warning worth reading).
  for (const child of running) {
    const n = child.lineCount() - (linesBefore.get(child) ?? 0);
    if (n === 0) continue;
    say();
    say(`${child.name} wrote ${n} lines of output during the measured cells; the last ones:`);
    for (const line of child.tail().split("\n").slice(-3)) say(`  ${line.slice(0, 300)}`);
  }

  if (opts.phases && readPhases) {
    say();
    for (const line of phaseLines(await readPhases(), tally.sent)) say(line);
  }

  // Let requests cut at the end of the last cell finish in the server, then stop the servers
  // (the platform drains its usage writes on close; its database sessions flush their statistics).
  let usage: UsageReport | null = null;
  if (organizationId) {
    const t0 = performance.now();
    const pending = await waitForQuiescence(opts.databaseUrl, organizationId);
    say();
    say(
      pending === 0
        ? `platform idle (no pending usage row, no new row for 1 s) ${Math.round(performance.now() - t0)} ms after the last cell`
        : `${pending} usage rows still pending 15 s after the last cell`,
    );
    await stopAll();
    const { byStatus, succeededIds } = await readUsage(opts.databaseUrl, organizationId);
    const lost = tally.ids.filter((id) => !succeededIds.has(id)).length;
    const { succeeded = 0, ...otherRows } = byStatus;
    usage = { rows: succeeded, responses: tally.ids.length, lost, cut: tally.cut, otherRows };
    say();
    for (const line of usageLines(usage)) say(line);
    say();
    for (const line of workLines(tally, await pgTransactionCount(opts.databaseUrl))) say(line);
  }
  await stopAll();

  for (const name of ["platform", "portkey"]) {
    const file = mainThreadProfile(join(outDir, name));
    if (!file) continue;
    say();
    say(`CPU profile of ${name} (${file}):`);
    for (const line of summarizeProfile(file)) say(`  ${line}`);
  }

  say();
  const valid = verdict.valid && (usage === null || usage.lost === 0);
  say(
    valid
      ? `RESULT: valid run; targets ${verdict.met ? "MET" : "NOT MET"}`
      : "RESULT: not a valid run (errors, non-2xx answers or lost usage rows above)",
  );
  writeFileSync(join(outDir, "report.txt"), `${out.join("\n")}\n`);
  const { ids: _ids, ...tallyFigures } = tally;
  writeFileSync(
    join(outDir, "results.json"),
    JSON.stringify(
      {
        options: opts,
        cells: cells.map(({ requestIds: _r, ...c }) => c),
        usage,
        platform: tallyFigures,
        verdict,
      },
      null,
      2,
    ),
  );
  console.log(`\nreport and raw figures: ${outDir}`);
  return valid ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  async (err: unknown) => {
    console.error(err instanceof Error ? (err.stack ?? err.message) : err);
    await stopAll(3_000);
    process.exit(1);
  },
);
