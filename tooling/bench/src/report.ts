/**
 * The printed result: the table (throughput, latency percentiles, latency added over the direct
 * call), CPU per process, the ratios against the targets, and the usage-row check.
 */
import type { CellResult } from "./load";
import type { PhaseStat } from "./phases";

export interface MeasuredCell extends CellResult {
  /** Share of one core per process group during the cell. */
  cpu: Record<string, number>;
  /** Which pass over the whole matrix (1-based; see --rounds). */
  round: number;
}

export interface UsageReport {
  rows: number;
  responses: number;
  lost: number;
  cut: number;
  otherRows: Record<string, number>;
}

const TARGETS = { addedP99Max: 0.5, throughputMin: 1.5 };

const ms = (v: number) => (Number.isFinite(v) ? v.toFixed(2) : "-");
const signedMs = (v: number) => (Number.isFinite(v) ? `${v >= 0 ? "+" : ""}${v.toFixed(2)}` : "-");

function table(header: string[], rows: string[][], leftColumns = 2): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) =>
    cells.map((c, i) => (i < leftColumns ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join("  ");
  return [line(header), widths.map((w) => "-".repeat(w)).join("  "), ...rows.map(line)].join("\n");
}

export function find(cells: MeasuredCell[], target: string, c: number, round = 1): MeasuredCell | undefined {
  return cells.find((x) => x.target === target && x.connections === c && x.round === round);
}

/** The rounds present, in order. */
function roundsOf(cells: MeasuredCell[]): number[] {
  return [...new Set(cells.map((c) => c.round))].sort((a, b) => a - b);
}

/** The middle value (the mean of the two middle ones for an even count). */
export function median(values: number[]): number {
  const v = [...values].sort((a, b) => a - b);
  const mid = Math.floor(v.length / 2);
  return v.length % 2 ? v[mid]! : (v[mid - 1]! + v[mid]!) / 2;
}

/** target minus direct at the same concurrency in the same round, per percentile. */
export function added(cells: MeasuredCell[], cell: MeasuredCell) {
  const direct = find(cells, "direct", cell.connections, cell.round);
  if (!direct || cell.target === "direct") return { p50: Number.NaN, p95: Number.NaN, p99: Number.NaN };
  return { p50: cell.p50 - direct.p50, p95: cell.p95 - direct.p95, p99: cell.p99 - direct.p99 };
}

export function resultsTable(cells: MeasuredCell[]): string {
  const several = roundsOf(cells).length > 1;
  const rows = cells.map((cell) => {
    const a = added(cells, cell);
    return [
      ...(several ? [String(cell.round)] : []),
      cell.target,
      String(cell.connections),
      cell.rps.toFixed(0),
      ms(cell.p50),
      ms(cell.p95),
      ms(cell.p99),
      signedMs(a.p50),
      signedMs(a.p95),
      signedMs(a.p99),
      String(cell.ok),
      String(cell.non2xx),
      String(cell.errors),
    ];
  });
  return table(
    [
      ...(several ? ["round"] : []),
      "target",
      "c",
      "req/s",
      "p50 ms",
      "p95 ms",
      "p99 ms",
      "+p50",
      "+p95",
      "+p99",
      "2xx",
      "non-2xx",
      "errors",
    ],
    rows,
    several ? 3 : 2,
  );
}

export function cpuTable(cells: MeasuredCell[]): string {
  const several = roundsOf(cells).length > 1;
  const groups = ["server", "proxy", "fake", "postgres", "redis", "autocannon", "other"];
  // CPU milliseconds per answered request: of the server process, and of everything the request
  // touched (server, proxy, fake, PostgreSQL, Redis; not the load generator, not "other").
  const perRequest = (share: number, cell: MeasuredCell) =>
    cell.rps > 0 ? ((share * 1000) / cell.rps).toFixed(2) : "-";
  const rows = cells.map((cell) => {
    const path = ["server", "proxy", "fake", "postgres", "redis"].reduce((n, g) => n + (cell.cpu[g] ?? 0), 0);
    return [
      ...(several ? [String(cell.round)] : []),
      cell.target,
      String(cell.connections),
      ...groups.map((g) => (cell.cpu[g] === undefined ? "-" : `${Math.round(cell.cpu[g]! * 100)}%`)),
      cell.cpu.server === undefined ? "-" : perRequest(cell.cpu.server, cell),
      perRequest(path, cell),
    ];
  });
  return table(
    [...(several ? ["round"] : []), "target", "c", ...groups, "server ms/req", "path ms/req"],
    rows,
    several ? 3 : 2,
  );
}

export interface Verdict {
  lines: string[];
  valid: boolean;
  met: boolean;
}

/** "1.23" or, over several rounds, "1.20 (rounds: 1.31, 1.20, 1.02)". */
function medianText(values: number[]): string {
  const m = median(values).toFixed(2);
  return values.length > 1 ? `${m} (rounds: ${values.map((v) => v.toFixed(2)).join(", ")})` : m;
}

/**
 * Ours / Portkey against the targets. Over several rounds each ratio is taken within a round
 * (cells measured back to back) and the verdict uses the median of the rounds' ratios.
 */
export function ratios(cells: MeasuredCell[], connections: number[]): Verdict {
  const lines: string[] = [];
  let met = true;
  const rounds = roundsOf(cells);
  const invalid = cells.filter((c) => c.non2xx > 0 || c.errors > 0);
  for (const c of invalid) {
    const codes = Object.entries(c.statusCodes)
      .filter(([code]) => !code.startsWith("2"))
      .map(([code, n]) => `${code}: ${n}`)
      .join(", ");
    lines.push(
      `INVALID ${c.target} c=${c.connections}${rounds.length > 1 ? ` round ${c.round}` : ""}: ${c.non2xx} non-2xx (${codes || "-"}), ${c.errors} errors`,
    );
  }
  const c16 = connections.includes(16) ? 16 : connections[Math.floor(connections.length / 2)]!;
  const p99 = rounds.flatMap((round) => {
    const ours = find(cells, "wedsync", c16, round);
    const peer = find(cells, "portkey", c16, round);
    if (!ours || !peer || !find(cells, "direct", c16, round)) return [];
    return [{ o: added(cells, ours).p99, p: added(cells, peer).p99 }];
  });
  if (p99.length > 0) {
    const usable = p99.every((x) => x.p > 0);
    const r = usable ? median(p99.map((x) => x.o / x.p)) : Number.NaN;
    const ok = usable && r <= TARGETS.addedP99Max;
    met &&= ok;
    lines.push(
      `added p99 at c=${c16}: wedsync ${signedMs(median(p99.map((x) => x.o)))} ms, portkey ${signedMs(median(p99.map((x) => x.p)))} ms -> ` +
        `ours/Portkey ${usable ? medianText(p99.map((x) => x.o / x.p)) : "n/a"} (target <= ${TARGETS.addedP99Max}): ${ok ? "MET" : "NOT MET"}`,
    );
  } else {
    met = false;
    lines.push(`added p99 at c=${c16}: needs direct, portkey and wedsync in BENCH_TARGETS`);
  }
  for (const c of connections) {
    const pairs = rounds.flatMap((round) => {
      const o = find(cells, "wedsync", c, round);
      const p = find(cells, "portkey", c, round);
      return o && p ? [{ o: o.rps, p: p.rps }] : [];
    });
    if (pairs.length === 0) continue;
    const r = median(pairs.map((x) => x.o / x.p));
    const ok = r >= TARGETS.throughputMin;
    met &&= ok;
    lines.push(
      `throughput at c=${c}: wedsync ${median(pairs.map((x) => x.o)).toFixed(0)} req/s, portkey ${median(pairs.map((x) => x.p)).toFixed(0)} req/s -> ` +
        `ours/Portkey ${medianText(pairs.map((x) => x.o / x.p))} (target >= ${TARGETS.throughputMin}): ${ok ? "MET" : "NOT MET"}`,
    );
  }
  return { lines, valid: invalid.length === 0, met: met && invalid.length === 0 };
}

/** Cells during which something outside the bench used a noticeable share of the machine. */
export function noiseLines(cells: MeasuredCell[], threshold = 0.15): string[] {
  const noisy = cells.filter((c) => (c.cpu.other ?? 0) > threshold);
  if (noisy.length === 0) return [];
  return [
    `WARNING: other processes used more than ${Math.round(threshold * 100)}% of a core during ` +
      noisy
        .map((c) => `${c.target} c=${c.connections} (${Math.round((c.cpu.other ?? 0) * 100)}%)`)
        .join(", ") +
      ": those figures understate what the machine can do; rerun on a quiet machine.",
  ];
}

/** Is the fake upstream far faster than what it serves? */
export function upstreamCheck(cells: MeasuredCell[], connections: number[]): string[] {
  const lines: string[] = [];
  for (const c of connections) {
    // The first round tells; the others repeat it.
    const direct = find(cells, "direct", c, 1);
    if (!direct) continue;
    const others = cells.filter((x) => x.connections === c && x.target !== "direct" && x.round === 1);
    if (others.length === 0) continue;
    const fastest = others.reduce((a, b) => (a.rps >= b.rps ? a : b));
    const fakeCpu = Math.max(...others.map((x) => x.cpu.fake ?? 0));
    lines.push(
      `c=${c}: the fake alone ${direct.rps.toFixed(0)} req/s; fastest gateway (${fastest.target}) ${fastest.rps.toFixed(0)} req/s = ` +
        `${((100 * fastest.rps) / direct.rps).toFixed(0)}% of it; the fake used at most ${Math.round(fakeCpu * 100)}% of a core behind a gateway`,
    );
  }
  return lines;
}

export function usageLines(u: UsageReport): string[] {
  const other = Object.entries(u.otherRows)
    .map(([s, n]) => `${s} ${n}`)
    .join(", ");
  return [
    `usage rows: ${u.rows}, responses: ${u.responses}, lost: ${u.lost}`,
    `  (rows = succeeded ai_usage_logs rows of the bench organization; responses = 2xx answers the load generator got from`,
    `   wedsync, warm-ups and the probe included; lost = 2xx answers whose x-wedsync-request-id has no succeeded row.`,
    `   ${u.rows - (u.responses - u.lost)} succeeded rows have no answer: requests in flight when autocannon closed its connections`,
    `   at the end of a cell (${u.cut} cut), which the server still completed. Other rows: ${other || "none"}.)`,
  ];
}

/** Round trips behind one platform request, from counters where the work lands. */
export function workLines(
  t: { sent: number; upstreamCalls: number; redisCommands: number },
  pgTransactions: number,
): string[] {
  const per = (n: number) => (t.sent > 0 ? (n / t.sent).toFixed(2) : "-");
  return [
    `work per platform request (${t.sent} sent): ${per(t.upstreamCalls)} upstream calls, ` +
      `${per(t.redisCommands)} Redis commands (through the Upstash REST proxy; those run inside the ` +
      `rate limiter's Lua script included), ` +
      `${per(pgTransactions)} PostgreSQL transactions (start-up and seeding included)`,
  ];
}

/** Where a platform request's wall time goes (BENCH_PHASES=1), per call and per request sent. */
export function phaseLines(stats: PhaseStat[], sent: number): string[] {
  const header = [
    "phase (wall time; nested lines are part of the line above)",
    "calls/req",
    "ms/call",
    "ms/req",
  ];
  const rows = stats.map((s) => [
    s.phase,
    sent > 0 ? (s.calls / sent).toFixed(2) : "-",
    s.calls > 0 ? (s.totalMs / s.calls).toFixed(2) : "-",
    sent > 0 ? (s.totalMs / sent).toFixed(2) : "-",
  ]);
  return ["platform request phases (all cells, warm-ups included):", table(header, rows, 1)];
}
