import {
  Bar,
  BarChart,
  CartesianGrid,
  Legend,
  Line,
  LineChart,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from "recharts";
import { shortPoint } from "./figure-cells";
import type { Figures } from "./figures";
import { formatCount, formatUsd } from "./format";

/**
 * The charts, with recharts: loaded only by ChartCard, and lazily, so a screen's figures and
 * tables show before the charting library has arrived (and screens without charts never load it). Each chart is a picture of
 * figures its table states in full (hidden from screen readers, which read the table).
 */
export interface ChartSpec {
  kind: "stacked" | "bars" | "lines" | "horizontal";
  /** The column on the category axis. */
  category: string;
  /** `dots`: mark each point, for sparse series whose lone points a line would not show. */
  series: Array<{ key: string; label: string; dashed?: boolean; dots?: boolean }>;
  unit: "usd" | "count" | "ms" | "percent";
  /** Room for the category labels of a horizontal chart (long names), in px; 140 by default. */
  labelWidth?: number;
}

const COLOURS = ["#8c2f55", "#2e6f9e", "#b86e00", "#3f7d4e", "#6b4fa0"];

function valueText(unit: ChartSpec["unit"], v: number): string {
  if (unit === "usd") return formatUsd(String(v), "auto");
  if (unit === "ms") return `${formatCount(v)} ms`;
  if (unit === "percent") return `${v}%`;
  return formatCount(v);
}

export default function Chart({ spec, figures }: { spec: ChartSpec; figures: Figures }) {
  const categoryColumn = figures.columns.find((c) => c.key === spec.category)!;
  const data = figures.rows.map((row) => {
    const point: Record<string, string | number | null> = {
      [spec.category]:
        categoryColumn.kind === "day" || categoryColumn.kind === "month" || categoryColumn.kind === "hour"
          ? shortPoint(String(row[spec.category]), categoryColumn.kind)
          : String(row[spec.category]),
    };
    for (const s of spec.series) {
      const v = row[s.key];
      point[s.key] = v === null || v === undefined ? null : Number(v);
    }
    return point;
  });
  // Legend words in the text colour: the swatch carries the series colour (text in it could fail contrast).
  const legend = <Legend formatter={(value) => <span className="chart-legend-text">{value}</span>} />;
  const tooltip = <Tooltip formatter={(v) => valueText(spec.unit, Number(v))} />;
  const yAxis = (
    <YAxis allowDecimals={spec.unit !== "count"} width={64} tickFormatter={(v) => valueText(spec.unit, v)} />
  );
  const common = { data, accessibilityLayer: false, margin: { top: 8, right: 8, bottom: 8, left: 8 } };

  let chart: React.ReactElement;
  if (spec.kind === "lines") {
    chart = (
      <LineChart {...common}>
        <CartesianGrid strokeDasharray="3 3" />
        <XAxis dataKey={spec.category} minTickGap={16} />
        {yAxis}
        {tooltip}
        {legend}
        {spec.series.map((s, i) => (
          <Line
            key={s.key}
            dataKey={s.key}
            name={s.label}
            stroke={COLOURS[i % COLOURS.length]}
            strokeDasharray={s.dashed ? "6 4" : undefined}
            strokeWidth={2}
            dot={s.dots ? { r: 3 } : false}
            isAnimationActive={false}
          />
        ))}
      </LineChart>
    );
  } else if (spec.kind === "horizontal") {
    chart = (
      <BarChart {...common} layout="vertical">
        <CartesianGrid strokeDasharray="3 3" />
        <XAxis type="number" tickFormatter={(v) => valueText(spec.unit, v)} />
        <YAxis type="category" dataKey={spec.category} width={spec.labelWidth ?? 140} />
        {tooltip}
        {spec.series.map((s, i) => (
          <Bar
            key={s.key}
            dataKey={s.key}
            name={s.label}
            fill={COLOURS[i % COLOURS.length]}
            isAnimationActive={false}
          />
        ))}
      </BarChart>
    );
  } else {
    chart = (
      <BarChart {...common}>
        <CartesianGrid strokeDasharray="3 3" />
        <XAxis dataKey={spec.category} minTickGap={16} />
        {yAxis}
        {tooltip}
        {legend}
        {spec.series.map((s, i) => (
          <Bar
            key={s.key}
            dataKey={s.key}
            name={s.label}
            stackId={spec.kind === "stacked" ? "stack" : undefined}
            fill={COLOURS[i % COLOURS.length]}
            isAnimationActive={false}
          />
        ))}
      </BarChart>
    );
  }
  const height = spec.kind === "horizontal" ? Math.max(160, 36 * data.length + 40) : 260;
  return (
    <ResponsiveContainer width="100%" height={height}>
      {chart}
    </ResponsiveContainer>
  );
}
