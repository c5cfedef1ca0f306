import { daysOf, monthsBetween, sameDayLastYear } from "@wedsync/core/calendar";
import { type FeatureType, ratioToDecimal } from "@wedsync/core/domain";
import { fromMicros, toMicros } from "@wedsync/core/money";
import type { Cell, Column, Figures } from "@wedsync/ui/figures";
import { featureWords } from "@wedsync/ui/words";

/** The points of a period on a chart's time axis: its days, or its months. */
export function pointsOf(period: { from: string; to: string }, by: "day" | "month"): string[] {
  return by === "day" ? daysOf(period) : monthsBetween(period.from.slice(0, 7), period.to.slice(0, 7));
}

/** The point a day falls on. */
const pointOf = (day: string, by: "day" | "month") => (by === "day" ? day : day.slice(0, 7));

function timeColumn(by: "day" | "month"): Column {
  return by === "day"
    ? { key: "point", label: "Day", kind: "day" }
    : { key: "point", label: "Month", kind: "month" };
}

/** `numerator / denominator` as a percentage with two places, exact (rounded half up once); null for 0/0. */
export function percentOf(numerator: number, denominator: number): string | null {
  if (denominator <= 0) return null;
  return ratioToDecimal({ numerator: BigInt(numerator) * 100n, denominator: BigInt(denominator) }, 2);
}

interface CounterRow {
  period: string;
  featureType: FeatureType;
  spentUsd: string;
}

/**
 * Spend per feature at each point (usage.byFeature's rows, grouped like the chart), and the
 * point's total: one column per feature that spent or was used in the period.
 */
export function costByFeatureFigures(
  rows: readonly CounterRow[],
  points: readonly string[],
  by: "day" | "month",
): Figures {
  const features = [...new Set(rows.map((r) => r.featureType))].sort();
  const micros = new Map<string, bigint>();
  for (const r of rows) {
    const key = `${pointOf(r.period, by)}|${r.featureType}`;
    micros.set(key, (micros.get(key) ?? 0n) + toMicros(r.spentUsd));
  }
  return {
    columns: [
      timeColumn(by),
      ...features.map((f) => ({ key: f, label: `${featureWords(f)} (USD)`, kind: "usd" as const })),
      { key: "total", label: "Total (USD)", kind: "usd" },
    ],
    rows: points.map((point) => {
      const row: Record<string, Cell> = { point };
      let total = 0n;
      for (const f of features) {
        const m = micros.get(`${point}|${f}`) ?? 0n;
        row[f] = fromMicros(m, 6);
        total += m;
      }
      row.total = fromMicros(total, 6);
      return row;
    }),
  };
}

interface DayTotals {
  day: string;
  requests: number;
  succeeded: number;
  failed: number;
  rejected: number;
}

function sumByPoint(byDay: readonly DayTotals[], by: "day" | "month") {
  const out = new Map<string, Omit<DayTotals, "day">>();
  for (const d of byDay) {
    const p = pointOf(d.day, by);
    const t = out.get(p) ?? { requests: 0, succeeded: 0, failed: 0, rejected: 0 };
    out.set(p, {
      requests: t.requests + d.requests,
      succeeded: t.succeeded + d.succeeded,
      failed: t.failed + d.failed,
      rejected: t.rejected + d.rejected,
    });
  }
  return out;
}

/** Completed requests at each point (platform.usage's byDay), split by outcome, and those turned away. */
export function requestFigures(
  byDay: readonly DayTotals[],
  points: readonly string[],
  by: "day" | "month",
): Figures {
  const sums = sumByPoint(byDay, by);
  return {
    columns: [
      timeColumn(by),
      { key: "requests", label: "Requests", kind: "count" },
      { key: "succeeded", label: "Succeeded", kind: "count" },
      { key: "failed", label: "Failed", kind: "count" },
      { key: "rejected", label: "Turned away", kind: "count" },
    ],
    rows: points.map((point) => ({
      point,
      ...(sums.get(point) ?? { requests: 0, succeeded: 0, failed: 0, rejected: 0 }),
    })),
  };
}

/**
 * This period's requests at each point against the same days a year earlier and against what
 * the season predicts (`expected`, see expectedRequests). Last year's days are matched day by day
 * (core's sameDayLastYear: 29 February maps to the 28th).
 */
export function trendFigures(
  thisYear: readonly DayTotals[],
  lastYear: readonly DayTotals[],
  expected: ReadonlyMap<string, number>,
  period: { from: string; to: string },
  by: "day" | "month",
): Figures {
  const now = sumByPoint(thisYear, by);
  const lastByDay = new Map(lastYear.map((d) => [d.day, d.requests]));
  const before = new Map<string, number>();
  for (const day of daysOf(period)) {
    const p = pointOf(day, by);
    before.set(p, (before.get(p) ?? 0) + (lastByDay.get(sameDayLastYear(day)) ?? 0));
  }
  // 28 February last year stands for both 28 and 29 February: counted once.
  if (by === "month") {
    for (const day of daysOf(period)) {
      if (day.endsWith("-02-29")) {
        const p = pointOf(day, by);
        before.set(p, before.get(p)! - (lastByDay.get(sameDayLastYear(day)) ?? 0));
      }
    }
  }
  return {
    columns: [
      timeColumn(by),
      { key: "requests", label: "Requests", kind: "count" },
      { key: "lastYear", label: "Same days last year", kind: "count" },
      { key: "expected", label: "Expected for the season", kind: "count" },
    ],
    rows: pointsOf(period, by).map((point) => ({
      point,
      requests: now.get(point)?.requests ?? 0,
      lastYear: before.get(point) ?? 0,
      expected: expected.get(point) ?? 0,
    })),
  };
}

interface ClientTotals {
  clientId: string | null;
  clientName: string | null;
  requests: number;
  costUsd: string;
}

/** The costliest clients, as platform.usage lists them, then the rest summed. */
export function clientFigures(
  byClient: readonly ClientTotals[],
  others: { clients: number; requests: number; costUsd: string } | null,
): Figures {
  return {
    columns: [
      { key: "client", label: "Client", kind: "text" },
      { key: "requests", label: "Requests", kind: "count" },
      { key: "cost", label: "Cost (USD)", kind: "usd" },
    ],
    rows: [
      ...byClient.map((c) => ({
        client: c.clientName ?? "No client (your organization's own requests)",
        requests: c.requests,
        cost: c.costUsd,
      })),
      ...(others
        ? [
            {
              client: `${others.clients} other ${others.clients === 1 ? "client" : "clients"}`,
              requests: others.requests,
              cost: others.costUsd,
            },
          ]
        : []),
    ],
  };
}

/** Milliseconds to two places, as performance.report gives them. */
const ms = (v: number | null) => (v === null ? null : Math.round(v * 100) / 100);

interface FeatureOutcome {
  featureType: FeatureType;
  requests: number;
  succeeded: number;
}
interface FeatureLatency {
  featureType: FeatureType;
  p50Ms: number | null;
  p95Ms: number | null;
  p99Ms: number | null;
}

/**
 * Per feature used in the period: completed requests, success rate (succeeded / completed, from
 * platform.usage) and response times (usage.byFeature's percentiles); then every feature together.
 */
export function performanceFigures(
  outcomes: readonly FeatureOutcome[],
  latency: readonly FeatureLatency[],
  overall: {
    requests: number;
    succeeded: number;
    p50Ms: number | null;
    p95Ms: number | null;
    p99Ms: number | null;
  },
): Figures {
  const row = (
    name: string,
    o: { requests: number; succeeded: number },
    l: Omit<FeatureLatency, "featureType">,
  ) => ({
    feature: name,
    requests: o.requests,
    successRate: percentOf(o.succeeded, o.requests),
    p50: ms(l.p50Ms),
    p95: ms(l.p95Ms),
    p99: ms(l.p99Ms),
  });
  const none = { p50Ms: null, p95Ms: null, p99Ms: null };
  return {
    columns: [
      { key: "feature", label: "Feature", kind: "text" },
      { key: "requests", label: "Requests", kind: "count" },
      { key: "successRate", label: "Success rate (%)", kind: "percent" },
      { key: "p50", label: "p50 (ms)", kind: "ms" },
      { key: "p95", label: "p95 (ms)", kind: "ms" },
      { key: "p99", label: "p99 (ms)", kind: "ms" },
    ],
    rows: [
      ...outcomes
        .filter((o) => o.requests > 0)
        .map((o) =>
          row(featureWords(o.featureType), o, latency.find((l) => l.featureType === o.featureType) ?? none),
        ),
      row("All features", overall, overall),
    ],
  };
}
