import { formatCount } from "@wedsync/ui/format";

/** A member's role in words. */
export const ROLE_WORDS: Record<string, string> = {
  owner: "Owner",
  admin: "Admin",
  member: "Member",
};

/** The month's credit, as billing.creditStatus judges it (settled plus in flight, against the limit). */
export const CREDIT_WORDS: Record<string, string> = {
  ok: "Within the limit",
  warning: "Nearly at the limit",
  exceeded: "Limit reached: AI requests are refused",
};

/** "No alerts" / "1 alert" / "3 alerts" (raised in the last 24 hours). */
export function alertCountWords(n: number): string {
  return n === 0 ? "None" : `${formatCount(n)} ${n === 1 ? "alert" : "alerts"}`;
}

export const plural = (n: number, one: string, many = `${one}s`) =>
  `${formatCount(n)} ${n === 1 ? one : many}`;

const monthName = new Intl.DateTimeFormat("en-GB", { month: "long", year: "numeric", timeZone: "UTC" });

/** "2026-06" → "June 2026". */
export function monthWords(month: string): string {
  const [y, m] = month.split("-").map(Number);
  if (!y || !m) return month;
  return monthName.format(new Date(Date.UTC(y, m - 1, 1)));
}
