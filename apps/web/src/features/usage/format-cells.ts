import { formatCount, formatUsd } from "@wedsync/ui/format";
import type { Cell, Column } from "./csv";
import { dayWords } from "./period";

const shortDay = new Intl.DateTimeFormat("en-GB", { day: "numeric", month: "short", timeZone: "UTC" });
const shortMonth = new Intl.DateTimeFormat("en-GB", { month: "short", year: "2-digit", timeZone: "UTC" });
const longMonth = new Intl.DateTimeFormat("en-GB", { month: "long", year: "numeric", timeZone: "UTC" });

/** A chart axis label: "20 May", or "May 26" for a month. */
export function shortPoint(point: string, kind: "day" | "month"): string {
  return kind === "day"
    ? shortDay.format(new Date(`${point}T00:00:00Z`))
    : shortMonth.format(new Date(`${point}-01T00:00:00Z`));
}

/** A cell as the table writes it: product words, the one money formatter, units said. */
export function cellText(column: Column, value: Cell): string {
  if (value === null || value === undefined) return "no data";
  switch (column.kind) {
    case "day":
      return dayWords(String(value));
    case "month":
      return longMonth.format(new Date(`${value}-01T00:00:00Z`));
    case "usd":
      return formatUsd(String(value), "auto");
    case "count":
      return formatCount(Number(value));
    case "ms":
      return `${formatCount(Number(value))} ms`;
    case "percent":
      return `${value}%`;
    default:
      return String(value);
  }
}
