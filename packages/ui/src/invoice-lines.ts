import type { Invoice, InvoiceJson } from "@wedsync/core/domain";
import { fromMicros } from "@wedsync/core/money";
import { formatUsd } from "./format";
import { featureWords } from "./words";

/** One invoice line as the screen shows it: amounts stay exact decimal strings until formatUsd. */
export interface LineView {
  key: string;
  feature: string;
  model: string;
  requests: number;
  inputTokens: number;
  outputTokens: number;
  /** Exact, to the micro-dollar: "0.004210". */
  amountUsd: string;
  /** Per-million-token prices when one applied, for the line's details. */
  priceNote: string | null;
}

export interface ClientChargeView {
  key: string;
  name: string;
  requests: number;
  amountUsd: string;
}

export interface InvoiceView {
  number: string;
  periodStart: string;
  periodEnd: string;
  issuedOn: string;
  lines: LineView[];
  clients: ClientChargeView[];
  /** The exact sum of the lines (six places). */
  subtotalUsd: string;
  /** What is charged: the subtotal rounded once, half away from zero, to the cent. */
  totalUsd: string;
}

const PROVIDERS: Record<string, string> = { openai: "OpenAI", local: "WedSync" };

/** "OpenAI gpt-4o-mini"; the built-in rules engine by what it is, not its code. */
export function modelWords(provider: string | null, model: string | null): string {
  if (provider === "local" || model === "local-rules") return "WedSync rules engine (no AI charge)";
  if (!model) return "Unknown model";
  return provider ? `${PROVIDERS[provider] ?? provider} ${model}` : model;
}

function priceNote(p: { input: string; output: string } | null): string | null {
  return p
    ? `${formatUsd(p.input, "micros")} in / ${formatUsd(p.output, "micros")} out per million tokens`
    : null;
}

/** The API's draft invoice (billing.invoices.preview: bigints and Dates, through superjson). */
export function viewOfInvoice(invoice: Invoice): InvoiceView {
  return {
    number: invoice.number,
    periodStart: invoice.periodStart,
    periodEnd: invoice.periodEnd,
    issuedOn: invoice.issuedOn,
    lines: invoice.lines.map((l, i) => ({
      key: `${i}-${l.featureType}-${l.model}`,
      feature: featureWords(l.featureType),
      model: modelWords(l.provider, l.model),
      requests: l.requests,
      inputTokens: l.inputTokens,
      outputTokens: l.outputTokens,
      amountUsd: fromMicros(l.amountMicros, 6),
      priceNote: priceNote(
        l.unitPrice && { input: l.unitPrice.inputPerMillion, output: l.unitPrice.outputPerMillion },
      ),
    })),
    clients: invoice.clients.map((c, i) => ({
      key: c.clientId ?? `org-${i}`,
      name: c.clientName,
      requests: c.requests,
      amountUsd: fromMicros(c.amountMicros, 6),
    })),
    subtotalUsd: invoice.totals.subtotal,
    totalUsd: invoice.totals.total,
  };
}

/** An issued invoice as its JSON export says it (billing.invoices.export, format "json"). */
export function viewOfInvoiceJson(json: InvoiceJson): InvoiceView {
  return {
    number: json.number,
    periodStart: json.periodStart,
    periodEnd: json.periodEnd,
    issuedOn: json.issuedOn,
    lines: json.lines.map((l, i) => ({
      key: `${i}-${l.featureType}-${l.model}`,
      feature: featureWords(l.featureType),
      model: modelWords(l.provider, l.model),
      requests: l.requests,
      inputTokens: l.inputTokens,
      outputTokens: l.outputTokens,
      amountUsd: l.amountUsd,
      priceNote: priceNote(
        l.unitPrice && { input: l.unitPrice.inputPerMillionUsd, output: l.unitPrice.outputPerMillionUsd },
      ),
    })),
    clients: json.clients.map((c, i) => ({
      key: c.clientId ?? `org-${i}`,
      name: c.clientName,
      requests: c.requests,
      amountUsd: c.amountUsd,
    })),
    subtotalUsd: json.subtotalUsd,
    totalUsd: json.totalUsd,
  };
}
