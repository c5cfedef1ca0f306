/**
 * The browser benchmark's arithmetic and printing, without a browser: medians over the cold loads
 * of each screen, ratios against the baseline measured in the same run (so figures from different
 * machines compare), the targets, and the tables.
 */
import { median } from "../src/report";

export { median };

/** One cold load of one screen. */
export interface Sample {
  /** Navigation start to ready (heading shown, nothing loading), on the page's own clock. */
  ms: number;
  /** Scripts that had arrived when the screen became ready: encoded (as sent) and decoded bytes, files. */
  readyJs: ScriptBytes;
  /** Every script the load fetched, read once no request had been in flight for 500 ms (at most 5 s). */
  allJs: ScriptBytes;
  /** API answers (/trpc) received before ready: the round trips the screen waited for. */
  apiCalls: number;
  phases: Phases;
  /** Every finished request of the load, ms since navigation start. */
  timeline?: { path: string; start: number; end: number }[];
}

/** Milestones of the load, ms since navigation start (0: none before ready). */
export interface Phases {
  /** The HTML received. */
  html: number;
  /** DOMContentLoaded: the entry module and its static imports fetched and run. */
  entryRun: number;
  lastScript: number;
  lastApi: number;
  /** The last response of the load, ready or not: when the screen stopped fetching. */
  lastResponse: number;
}

export interface ScriptBytes {
  encoded: number;
  decoded: number;
  files: number;
}

export interface ScreenRun {
  name: string;
  label: string;
  path: string;
  samples: Sample[];
  /** Why a load did not become ready (one entry per failed load). */
  failures: string[];
}

export interface Summary {
  name: string;
  label: string;
  runs: number;
  failed: number;
  /** Medians over the successful loads (NaN when none succeeded). */
  ms: number;
  minMs: number;
  maxMs: number;
  /** ms / the baseline's ms. */
  ratio: number;
  readyJs: ScriptBytes;
  allJs: ScriptBytes;
  apiCalls: number;
  phases: Phases;
}

/** The figures: cold load to interactive, median of 5, on the demo data. */
export const TARGETS = [
  { screen: "config", label: "configuration", maxMs: 1000 },
  { screen: "analytics", label: "analytics", maxMs: 1500 },
] as const;

const medianBytes = (all: ScriptBytes[]): ScriptBytes => ({
  encoded: median(all.map((b) => b.encoded)),
  decoded: median(all.map((b) => b.decoded)),
  files: median(all.map((b) => b.files)),
});

export function summarize(run: ScreenRun, baselineMs: number): Summary {
  const ms = run.samples.map((s) => s.ms);
  const none = run.samples.length === 0;
  const mid = none ? Number.NaN : median(ms);
  const empty = { encoded: Number.NaN, decoded: Number.NaN, files: Number.NaN };
  const phase = (key: keyof Phases) => (none ? Number.NaN : median(run.samples.map((s) => s.phases[key])));
  return {
    name: run.name,
    label: run.label,
    runs: run.samples.length + run.failures.length,
    failed: run.failures.length,
    ms: mid,
    minMs: none ? Number.NaN : Math.min(...ms),
    maxMs: none ? Number.NaN : Math.max(...ms),
    ratio: ratio(mid, baselineMs),
    readyJs: none ? empty : medianBytes(run.samples.map((s) => s.readyJs)),
    allJs: none ? empty : medianBytes(run.samples.map((s) => s.allJs)),
    apiCalls: none ? Number.NaN : median(run.samples.map((s) => s.apiCalls)),
    phases: {
      html: phase("html"),
      entryRun: phase("entryRun"),
      lastScript: phase("lastScript"),
      lastApi: phase("lastApi"),
      lastResponse: phase("lastResponse"),
    },
  };
}

/** a / b, or NaN when either is missing or b is not positive. */
export function ratio(a: number, b: number): number {
  return Number.isFinite(a) && Number.isFinite(b) && b > 0 ? a / b : Number.NaN;
}

/** Whole numbers grouped by thousands with a space (as in docs/benchmarks.md): 1 266. */
export function formatMs(ms: number): string {
  if (!Number.isFinite(ms)) return "-";
  return String(Math.round(ms)).replace(/\B(?=(\d{3})+(?!\d))/g, " ");
}

/** Kilobytes (1 024 bytes) with one decimal, thousands grouped: 1 316.3. */
export function formatKb(bytes: number): string {
  if (!Number.isFinite(bytes)) return "-";
  const [whole, tenths] = (bytes / 1024).toFixed(1).split(".");
  return `${whole!.replace(/\B(?=(\d{3})+(?!\d))/g, " ")}.${tenths}`;
}

export function formatRatio(r: number): string {
  return Number.isFinite(r) ? `${r.toFixed(2)}×` : "-";
}

export interface Verdict {
  label: string;
  ms: number;
  maxMs: number;
  /** undefined: not measured (screen left out or every load failed). */
  met: boolean | undefined;
}

export function verdicts(summaries: Summary[]): Verdict[] {
  return TARGETS.map((t) => {
    const s = summaries.find((x) => x.name === t.screen);
    const ms = s && s.failed === 0 ? s.ms : Number.NaN;
    return { label: t.label, ms, maxMs: t.maxMs, met: Number.isFinite(ms) ? ms < t.maxMs : undefined };
  });
}

export function verdictLine(v: Verdict, runs: number): string {
  const outcome = v.met === undefined ? "NOT MEASURED" : v.met ? "met" : "NOT MET";
  return `${v.label}: ${formatMs(v.ms)} ms, target < ${formatMs(v.maxMs)} ms (median of ${runs}): ${outcome}`;
}

const HEADER = [
  "screen",
  "path",
  "loads",
  "median ms",
  "min–max ms",
  "× baseline",
  "JS to ready kB",
  "JS loaded kB",
  "JS decoded kB",
  "files",
];

function row(s: Summary, path: string): string[] {
  return [
    s.label,
    path,
    s.failed ? `${s.runs - s.failed}/${s.runs}` : String(s.runs),
    formatMs(s.ms),
    `${formatMs(s.minMs)}–${formatMs(s.maxMs)}`,
    formatRatio(s.ratio),
    formatKb(s.readyJs.encoded),
    formatKb(s.allJs.encoded),
    formatKb(s.allJs.decoded),
    Number.isFinite(s.allJs.files) ? String(s.allJs.files) : "-",
  ];
}

/** Columns padded to their widest cell; the first `left` columns left-aligned, the rest right. */
export function textTable(header: string[], rows: string[][], left = 2): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (i < left ? c.padEnd(widths[i]!) : c.padStart(widths[i]!)))
      .join("  ")
      .trimEnd();
  return [line(header), widths.map((w) => "-".repeat(w)).join("  "), ...rows.map(line)].join("\n");
}

/** The same table as Markdown, for docs/benchmarks.md. */
export function markdownTable(header: string[], rows: string[][], left = 2): string {
  const line = (cells: string[]) => `| ${cells.join(" | ")} |`;
  const rule = header.map((_, i) => (i < left ? "---" : "--:"));
  return [line(header), line(rule), ...rows.map(line)].join("\n");
}

export function resultsTable(summaries: Summary[], paths: Map<string, string>, markdown = false): string {
  const rows = summaries.map((s) =>
    row(s, markdown ? `\`${paths.get(s.name) ?? ""}\`` : (paths.get(s.name) ?? "")),
  );
  return markdown ? markdownTable(HEADER, rows) : textTable(HEADER, rows);
}

const PHASE_HEADER = [
  "screen",
  "HTML",
  "entry run",
  "last script",
  "last API answer",
  "API calls",
  "ready",
  "network quiet",
];

/**
 * Where each screen's median load spends its time: the milestones' medians (taken separately, so
 * they need not add up to one load), ms since navigation start. The last API answer and the last
 * script are those before ready; "network quiet" is the last response of all.
 */
export function phasesTable(summaries: Summary[], markdown = false): string {
  const rows = summaries.map((s) => [
    s.label,
    formatMs(s.phases.html),
    formatMs(s.phases.entryRun),
    formatMs(s.phases.lastScript),
    formatMs(s.phases.lastApi),
    Number.isFinite(s.apiCalls) ? String(s.apiCalls) : "-",
    formatMs(s.ms),
    formatMs(s.phases.lastResponse),
  ]);
  return markdown ? markdownTable(PHASE_HEADER, rows, 1) : textTable(PHASE_HEADER, rows, 1);
}

/** The load at the median (the lower middle one for an even count), or undefined when there is none. */
export function medianSample(samples: Sample[]): Sample | undefined {
  const sorted = [...samples].sort((a, b) => a.ms - b.ms);
  return sorted[Math.floor((sorted.length - 1) / 2)];
}

/**
 * One load's requests in the order they started, with the moment it became ready among them:
 * shows which requests waited for which (a chunk discovered late, a query waiting for another).
 */
export function timelineLines(sample: Sample): string[] {
  const entries = [...(sample.timeline ?? [])].sort((a, b) => a.start - b.start);
  const lines = entries.map(
    (e) =>
      `${formatMs(e.start).padStart(6)} → ${formatMs(e.end).padStart(6)}  ${shortPath(e.path.replace(/\?.*$/, ""))}`,
  );
  const at = entries.filter((e) => e.start <= sample.ms).length;
  lines.splice(at, 0, `${formatMs(sample.ms).padStart(6)}   ready`);
  return lines;
}

/** An organization's id in a path shortened to <org>, a client's to <client>, for printing. */
export function shortPath(path: string): string {
  return path
    .replace(/^\/o\/[0-9a-f-]{36}/i, "/o/<org>")
    .replace(/\/clients\/[0-9a-f-]{36}/i, "/clients/<client>");
}
