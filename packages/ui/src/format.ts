const integer = new Intl.NumberFormat("en-US");

/**
 * Dollar amounts from their exact decimal strings, rounded half away from zero: "1234.567" →
 * "$1,234.57"; `"micros"` keeps up to six places, `"auto"` does so below one dollar. The one
 * money formatter of both apps (packages/core/src/domain/money-format.ts).
 */
export { formatUsd, type UsdPrecision } from "@wedsync/core/money";

export function formatCount(n: number): string {
  return integer.format(n);
}

/** "smart_mapping" → "Smart mapping". */
export function humanize(id: string): string {
  const words = id.replace(/_/g, " ");
  return words.charAt(0).toUpperCase() + words.slice(1);
}

const ACRONYMS: Record<string, string> = { pdf_analysis: "PDF analysis" };

export function featureLabel(featureType: string): string {
  return ACRONYMS[featureType] ?? humanize(featureType);
}

/** "professional" → "Professional". */
export function tierLabel(tier: string): string {
  return humanize(tier);
}
