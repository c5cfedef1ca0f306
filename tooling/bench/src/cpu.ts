/**
 * CPU time per process group during a cell, from /proc (Linux): which process used the two cores
 * while a target was measured, e.g. whether the fake upstream or the load generator was busy.
 */
import { execFileSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";

/** Named groups: explicit pids (our children, ourselves) or every process whose comm matches. */
export interface CpuGroup {
  name: string;
  pids?: number[];
  comm?: RegExp;
}

export type CpuSample = Map<string, number>;

const TICKS_PER_SECOND = (() => {
  try {
    return Number(execFileSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).trim()) || 100;
  } catch {
    return 100;
  }
})();

/** utime + stime in seconds, or 0 when the process is gone. */
function cpuSeconds(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    // Fields after "(comm)": state is field 3, utime 14, stime 15 (1-based over the whole line).
    const rest = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return (Number(rest[11]) + Number(rest[12])) / TICKS_PER_SECOND;
  } catch {
    return 0;
  }
}

function pidsByComm(comm: RegExp): number[] {
  const out: number[] = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (comm.test(readFileSync(`/proc/${entry}/comm`, "utf8").trim())) out.push(Number(entry));
    } catch {
      // gone meanwhile
    }
  }
  return out;
}

/** Busy CPU seconds of the whole machine, all cores (/proc/stat: everything but idle and iowait). */
function machineBusySeconds(): number {
  const fields = readFileSync("/proc/stat", "utf8").split("\n")[0]!.trim().split(/\s+/).slice(1).map(Number);
  // user nice system idle iowait irq softirq steal (guest time is already in user)
  const [user = 0, nice = 0, system = 0, , , irq = 0, softirq = 0, steal = 0] = fields;
  return (user + nice + system + irq + softirq + steal) / TICKS_PER_SECOND;
}

const MACHINE = "\0machine";

export function sampleCpu(groups: CpuGroup[]): CpuSample {
  const sample: CpuSample = new Map([[MACHINE, machineBusySeconds()]]);
  for (const g of groups) {
    const pids = g.pids ?? (g.comm ? pidsByComm(g.comm) : []);
    // Keyed per pid too, so processes that started or ended between samples are not miscounted.
    for (const pid of pids) sample.set(`${g.name}\0${pid}`, cpuSeconds(pid));
  }
  return sample;
}

/**
 * Per group: the share of one core used between the two samples (1 = one core fully busy), and
 * "other": the rest of the machine's busy time (processes outside the bench, the kernel).
 */
export function cpuShare(before: CpuSample, after: CpuSample, seconds: number): Record<string, number> {
  const out: Record<string, number> = {};
  let ours = 0;
  for (const [key, end] of after) {
    if (key === MACHINE) continue;
    const name = key.slice(0, key.indexOf("\0"));
    const start = before.get(key) ?? 0;
    const share = Math.max(0, end - start) / seconds;
    out[name] = (out[name] ?? 0) + share;
    ours += share;
  }
  const machine = ((after.get(MACHINE) ?? 0) - (before.get(MACHINE) ?? 0)) / seconds;
  out.other = Math.max(0, machine - ours);
  return out;
}
