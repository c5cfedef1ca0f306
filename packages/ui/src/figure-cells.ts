import type { Cell, Column } from "./figures";
import { formatCount, formatUsd } from "./format";

const longDay = new Intl.DateTimeFormat("en-GB", {
  day: "numeric",
  month: "long",
  year: "numeric",
  timeZone: "UTC",
});
const shortDay = new Intl.DateTimeFormat("en-GB", { day: "numeric", month: "short", timeZone: "UTC" });
const shortMonth = new Intl.DateTimeFormat("en-GB", { month: "short", year: "2-digit", timeZone: "UTC" });
const longMonth = new Intl.DateTimeFormat("en-GB", { month: "long", year: "numeric", timeZone: "UTC" });
const shortHour = new Intl.DateTimeFormat("en-GB", {
  day: "numeric",
  month: "short",
  hour: "2-digit",
  minute: "2-digit",
  hourCycle: "h23",
  timeZone: "UTC",
});
const longHour = new Intl.DateTimeFormat("en-GB", {
  day: "numeric",
  month: "long",
  year: "numeric",
  hour: "2-digit",
  minute: "2-digit",
  hourCycle: "h23",
  timeZone: "UTC",
});

/** "2026-05-20" → "20 May 2026" (the day as written, no timezone shift). */
export function dayWords(day: string): string {
  return longDay.format(new Date(`${day}T00:00:00Z`));
}

/** A chart axis label: "20 May", "May 26" for a month, "20 May, 14:00" for an hour (UTC). */
export function shortPoint(point: string, kind: "day" | "month" | "hour"): string {
  if (kind === "hour") return shortHour.format(new Date(point));
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
    case "hour":
      return `${longHour.format(new Date(String(value)))} UTC`;
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
