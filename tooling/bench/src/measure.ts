/**
 * The measured part of a run: for each concurrency, each target gets a warm-up and then a measured
 * cell, with CPU per process and, for the platform, its request ids and work counters.
 */

import { fakeRequestCount, redisCommandCount } from "./counters";
import { type CpuGroup, cpuShare, sampleCpu } from "./cpu";
import { runCell } from "./load";
import type { BenchOptions } from "./options";
import type { MeasuredCell } from "./report";
import type { Target } from "./targets";

/** Everything the platform was sent, for the usage check and the per-request work figures. */
export interface PlatformTally {
  /** x-wedsync-request-id of every 2xx answer (probe, warm-ups and cells). */
  ids: string[];
  /** Requests sent: answered (any status) or cut. */
  sent: number;
  /** Requests in flight when autocannon closed its connections at the end of a cell. */
  cut: number;
  /** Calls that reached the fake upstream while the platform was loaded. */
  upstreamCalls: number;
  /** Commands Redis processed while the platform was loaded. */
  redisCommands: number;
}

export async function measure(
  opts: BenchOptions,
  targets: Target[],
  shared: CpuGroup[],
  fakeBaseUrl: string,
  tally: PlatformTally,
): Promise<MeasuredCell[]> {
  const cells: MeasuredCell[] = [];
  // Rounds repeat the whole matrix. Each round's ratios come from cells measured back to back and
  // the verdict takes the median over rounds: one disturbed cell moves one round, not the verdict.
  for (let round = 1; round <= opts.rounds; round++) {
    for (const c of opts.connections) {
      for (const target of targets) {
        const platform = target.name === "wedsync";
        const before = platform
          ? { fake: await fakeRequestCount(fakeBaseUrl), redis: await redisCommandCount(opts.redisUrl) }
          : null;
        const count = (r: { requestIds: string[]; ok: number; non2xx: number; cut: number }) => {
          if (!platform) return;
          tally.ids.push(...r.requestIds);
          tally.sent += r.ok + r.non2xx + r.cut;
          tally.cut += r.cut;
        };
        if (opts.warmup > 0) count(await runCell(target, c, opts.warmup));

        const groups = [...target.cpu, ...shared];
        const cpuBefore = sampleCpu(groups);
        const t0 = performance.now();
        const cell = await runCell(target, c, opts.duration);
        const cpu = cpuShare(cpuBefore, sampleCpu(groups), (performance.now() - t0) / 1000);
        count(cell);
        cells.push({ ...cell, cpu, round });
        if (before) {
          tally.upstreamCalls += (await fakeRequestCount(fakeBaseUrl)) - before.fake;
          tally.redisCommands += (await redisCommandCount(opts.redisUrl)) - before.redis;
        }
        console.error(
          `  ${opts.rounds > 1 ? `round ${round} ` : ""}${target.name.padEnd(7)} c=${String(c).padEnd(3)} ${cell.rps.toFixed(0).padStart(6)} req/s  ` +
            `p50 ${cell.p50.toFixed(2)} ms  p99 ${cell.p99.toFixed(2)} ms  non-2xx ${cell.non2xx}  errors ${cell.errors}`,
        );
      }
    }
  }
  return cells;
}
