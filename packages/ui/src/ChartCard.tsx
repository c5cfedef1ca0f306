import { type ComponentType, lazy, Suspense, useId } from "react";
import { Button, Disclosure, DisclosurePanel, Heading } from "react-aria-components";
import type { ChartSpec } from "./Charts";
import { cellText } from "./figure-cells";
import { downloadCsv, type Figures, figuresToCsv } from "./figures";
import { notify } from "./Notifications";

/** recharts arrives with the first chart, after the screen's own code. */
const Chart = lazy(() => import("./Charts")) as ComponentType<{ spec: ChartSpec; figures: Figures }>;

/** A chart's figures as a table: the same rows and columns as its CSV, written for people. */
export function FiguresTable({ caption, figures }: { caption: string; figures: Figures }) {
  const [first, ...rest] = figures.columns;
  return (
    // A keyboard must be able to scroll a table wider than the screen (WCAG 2.1.1): so it is focusable.
    // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region, named for the focus
    <section className="table-scroll" tabIndex={0} aria-label={`${caption}, table`}>
      <table className="data">
        <caption>{caption}</caption>
        <thead>
          <tr>
            {figures.columns.map((c) => (
              <th key={c.key} scope="col" className={c.kind === "text" || c === first ? undefined : "num"}>
                {c.label}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {figures.rows.map((row, i) => (
            <tr key={i}>
              <th scope="row">{cellText(first!, row[first!.key] ?? null)}</th>
              {rest.map((c) => (
                <td key={c.key} className={c.kind === "text" ? undefined : "num"}>
                  {cellText(c, row[c.key] ?? null)}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

/**
 * One chart: its title, a sentence on what it shows, the picture (for sighted users; hidden from
 * screen readers), its figures as a table behind "Show as table", and those same figures as CSV.
 */
export function ChartCard({
  title,
  description,
  figures,
  spec,
  name,
  period,
  children,
}: {
  title: string;
  description: string;
  figures: Figures;
  spec: ChartSpec;
  /** The chart's short name, for its CSV file and test id ("requests"). */
  name: string;
  period: { from: string; to: string };
  children?: React.ReactNode;
}) {
  const id = useId();
  const fileName = `${name}_${period.from}_${period.to}`;
  const download = () => {
    downloadCsv(`${fileName}.csv`, figuresToCsv(figures));
    notify({ title: "CSV downloaded", description: `${title}: ${fileName}.csv`, tone: "success" });
  };
  return (
    <section className="panel chart-card" aria-labelledby={id} data-testid={`chart-${name}`}>
      <div className="chart-head">
        <h2 id={id}>{title}</h2>
        <Button className="secondary" onPress={download} aria-label={`Download CSV: ${title}`}>
          Download CSV
        </Button>
      </div>
      <p className="muted small">{description}</p>
      {children}
      <div className="chart-picture" aria-hidden="true">
        <Suspense fallback={<div className="chart-placeholder">Drawing the chart…</div>}>
          <Chart spec={spec} figures={figures} />
        </Suspense>
      </div>
      <Disclosure className="disclosure">
        <Heading level={3} className="disclosure-heading">
          <Button slot="trigger" className="disclosure-trigger">
            Show as table
          </Button>
        </Heading>
        <DisclosurePanel className="disclosure-panel">
          <FiguresTable caption={title} figures={figures} />
        </DisclosurePanel>
      </Disclosure>
    </section>
  );
}
