const integer = new Intl.NumberFormat("en-US");

/** "1234.50" → "$1,234.50", from the decimal string as it is (no floating point on money). */
export function formatDollars(amount: string): string {
  const negative = amount.startsWith("-");
  const [whole = "0", fraction = ""] = amount.replace(/^-/, "").split(".");
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  return `${negative ? "-" : ""}$${grouped}.${fraction.padEnd(2, "0").slice(0, 2)}`;
}

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
