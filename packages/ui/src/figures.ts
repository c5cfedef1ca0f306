import { csvField } from "@wedsync/core/domain";

/** What a column holds: how the table writes it, and whether the CSV may write it as a plain number. */
export type ColumnKind = "day" | "month" | "hour" | "text" | "count" | "usd" | "ms" | "percent";

export interface Column {
  key: string;
  /** The header, units included ("Cost (USD)"): the same in the table and the CSV. */
  label: string;
  kind: ColumnKind;
}

/** Counts and milliseconds are numbers; money and percentages exact decimal strings; days "YYYY-MM-DD", hours ISO instants. */
export type Cell = string | number | null;

/** A chart's figures: exactly what its table shows and its CSV holds. */
export interface Figures {
  columns: Column[];
  rows: Array<Record<string, Cell>>;
}

const NUMERIC: ReadonlySet<ColumnKind> = new Set(["count", "usd", "ms", "percent"]);

/**
 * RFC 4180 with a header row and CRLF line breaks, through core's csvField (the invoice export's):
 * text a spreadsheet would run as a formula (a couple named "=HYPERLINK(…)") is defused, a
 * number in a numeric column is written as it is. Money stays the API's exact decimal string.
 */
export function figuresToCsv({ columns, rows }: Figures): string {
  const lines = [
    columns.map((c) => csvField(c.label)).join(","),
    ...rows.map((r) => columns.map((c) => csvField(r[c.key], NUMERIC.has(c.kind))).join(",")),
  ];
  return `${lines.join("\r\n")}\r\n`;
}

/** Saves the CSV in the browser (no request): a Blob behind a temporary link. */
export function downloadCsv(fileName: string, csv: string) {
  const url = URL.createObjectURL(new Blob([csv], { type: "text/csv;charset=utf-8" }));
  const a = document.createElement("a");
  a.href = url;
  a.download = fileName;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 0);
}
