/**
 * A V8 .cpuprofile (node --cpu-prof) reduced to where the time went: self time per function and
 * per package or source folder, as shares of the busy (non-idle) samples.
 */
import { readFileSync } from "node:fs";

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

const IDLE = new Set(["(idle)", "(program)"]);

/** node_modules/.pnpm/<pkg>/node_modules/<name>/... -> <name>; our sources -> their folder. */
function bucketOf(url: string, functionName: string): string {
  if (!url) return functionName.startsWith("(") ? functionName : "(native)";
  const nm = url.lastIndexOf("/node_modules/");
  if (nm >= 0) {
    const parts = url.slice(nm + "/node_modules/".length).split("/");
    return parts[0]!.startsWith("@") ? `${parts[0]}/${parts[1]}` : parts[0]!;
  }
  if (url.startsWith("node:")) return url;
  const m = url.match(/\/(packages|tooling)\/([^/]+)\/src\/(.+)$/);
  if (m) {
    const folder = m[3]!.includes("/") ? m[3]!.slice(0, m[3]!.lastIndexOf("/")) : m[3]!;
    return `${m[1]}/${m[2]}: ${folder}`;
  }
  return url.replace(/^file:\/\//, "");
}

export function summarizeProfile(path: string, top = 15): string[] {
  const profile = JSON.parse(readFileSync(path, "utf8")) as Profile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map<number, number>();
  profile.samples.forEach((id, i) => {
    self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0));
  });

  let busy = 0;
  let idle = 0;
  const fns = new Map<string, number>();
  const buckets = new Map<string, number>();
  for (const [id, us] of self) {
    const { functionName, url, lineNumber } = byId.get(id)!.callFrame;
    if (IDLE.has(functionName)) {
      idle += us;
      continue;
    }
    busy += us;
    const short = url.replace(/^.*\/node_modules\//, "").replace(/^file:\/\/.*\/(packages|tooling)\//, "$1/");
    const fn = `${functionName || "(anonymous)"} ${short}:${lineNumber + 1}`;
    fns.set(fn, (fns.get(fn) ?? 0) + us);
    const b = bucketOf(url, functionName);
    buckets.set(b, (buckets.get(b) ?? 0) + us);
  }
  const pct = (us: number) => `${((100 * us) / busy).toFixed(1).padStart(5)}%`;
  const sorted = (m: Map<string, number>) => [...m].sort((a, b) => b[1] - a[1]).slice(0, top);
  return [
    `busy ${(busy / 1e6).toFixed(1)} s, idle ${(idle / 1e6).toFixed(1)} s (self time, shares of busy)`,
    "by package / source folder:",
    ...sorted(buckets).map(([k, us]) => `  ${pct(us)}  ${k}`),
    "by function:",
    ...sorted(fns).map(([k, us]) => `  ${pct(us)}  ${k}`),
  ];
}
