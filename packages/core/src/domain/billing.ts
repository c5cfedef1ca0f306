/**
 * Monthly breakdowns and invoices from usage rows. Every amount is a sum of the per-request costs
 * stored on the rows (already rounded once, to the micro-dollar, when each row was completed):
 * nothing is re-priced here, so a breakdown, an invoice and the monthly spend counter always agree.
 * The only other rounding is the invoice total's, once, half-up to the cent.
 *
 * Billed: completed requests, succeeded or failed (a failed request may still have used tokens,
 * and its stored cost says what it cost). Never billed: pending (not finished) and rejected
 * (turned away before the provider). Whether a row is billed follows `status`, not `success`.
 */

import type { UsageLogRow } from "../schema/usage";
import type { FeatureType, UsageStatus } from "./codes";
import { fromMicros, toMicros } from "./money";
import { type ModelPrice, priceAt } from "./pricing";

export type BillingUsageRow = Pick<
  UsageLogRow,
  | "status"
  | "featureType"
  | "clientId"
  | "model"
  | "costUsd"
  | "inputTokens"
  | "outputTokens"
  | "cachedInputTokens"
>;

export type InvoiceUsageRow = BillingUsageRow & Pick<UsageLogRow, "provider" | "createdAt">;

/**
 * How many requests a row stands for (absent: one). Breakdowns and invoices are sums, so rows
 * that agree on every key may be summed first (tokens and stored costs added, `requests`
 * counted): the database does, for an invoice, grouping a period's rows by status, feature,
 * client, provider, model and price segment (see pricing.ts priceChangeInstants).
 */
type Weighted = { requests?: number };
const weight = (row: Weighted) => row.requests ?? 1;

export function isBilled(status: UsageStatus): boolean {
  return status === "succeeded" || status === "failed";
}

export interface UsageTotals {
  requests: number;
  succeeded: number;
  failed: number;
  /** All input tokens, cached ones included. */
  inputTokens: number;
  /** The part of inputTokens served from the provider's cache. */
  cachedInputTokens: number;
  outputTokens: number;
  costMicros: bigint;
}

export interface MonthlyBreakdown {
  total: UsageTotals;
  byFeature: Array<{ featureType: FeatureType } & UsageTotals>;
  byClient: Array<{ clientId: string | null } & UsageTotals>;
  byModel: Array<{ model: string | null } & UsageTotals>;
  /** Rows seen but not billed, so that a breakdown can be reconciled with the raw log. */
  unbilled: { pending: number; rejected: number };
}

const emptyTotals = (): UsageTotals => ({
  requests: 0,
  succeeded: 0,
  failed: 0,
  inputTokens: 0,
  cachedInputTokens: 0,
  outputTokens: 0,
  costMicros: 0n,
});

/** The stored cost of a billed row; a completed row always has one, so a missing one is corrupt data. */
function storedCost(row: BillingUsageRow): bigint {
  if (row.costUsd === null) throw new RangeError(`a ${row.status} usage row has no cost`);
  const micros = toMicros(row.costUsd);
  if (micros < 0n) throw new RangeError(`negative usage cost: ${row.costUsd}`);
  return micros;
}

function add(t: UsageTotals, row: BillingUsageRow & Weighted, cost: bigint) {
  const n = weight(row);
  t.requests += n;
  if (row.status === "succeeded") t.succeeded += n;
  else t.failed += n;
  t.inputTokens += row.inputTokens;
  t.cachedInputTokens += row.cachedInputTokens;
  t.outputTokens += row.outputTokens;
  t.costMicros += cost;
}

/** Largest cost first, then by key with null last, so that the same rows always list the same way. */
function ranked<K extends string | null>(groups: Map<K, UsageTotals>): Array<[K, UsageTotals]> {
  return [...groups].sort(([ka, a], [kb, b]) => {
    if (a.costMicros !== b.costMicros) return a.costMicros > b.costMicros ? -1 : 1;
    if (ka === kb) return 0;
    if (ka === null) return 1;
    if (kb === null) return -1;
    return ka < kb ? -1 : 1;
  });
}

/** Requests, tokens and cost of the billed rows, in total and by feature, client and model. */
export function monthlyBreakdown(rows: readonly (BillingUsageRow & Weighted)[]): MonthlyBreakdown {
  const total = emptyTotals();
  const features = new Map<FeatureType, UsageTotals>();
  const clients = new Map<string | null, UsageTotals>();
  const models = new Map<string | null, UsageTotals>();
  const unbilled = { pending: 0, rejected: 0 };
  const bucket = <K>(map: Map<K, UsageTotals>, k: K) => {
    const t = map.get(k) ?? emptyTotals();
    map.set(k, t);
    return t;
  };
  for (const row of rows) {
    if (row.status === "pending" || row.status === "rejected") {
      unbilled[row.status] += weight(row);
      continue;
    }
    const cost = storedCost(row);
    for (const t of [
      total,
      bucket(features, row.featureType),
      bucket(clients, row.clientId),
      bucket(models, row.model),
    ])
      add(t, row, cost);
  }
  return {
    total,
    byFeature: ranked(features).map(([featureType, t]) => ({ featureType, ...t })),
    byClient: ranked(clients).map(([clientId, t]) => ({ clientId, ...t })),
    byModel: ranked(models).map(([model, t]) => ({ model, ...t })),
    unbilled,
  };
}

export type UnitPrice = Pick<
  ModelPrice,
  "inputPerMillion" | "cachedInputPerMillion" | "outputPerMillion" | "effectiveFrom"
>;

export interface InvoiceLine {
  featureType: FeatureType;
  provider: string | null;
  model: string | null;
  /**
   * The per-million-token prices in force for these requests (null when none is known). A price
   * change mid-period splits a feature and model into one line per price.
   */
  unitPrice: UnitPrice | null;
  requests: number;
  inputTokens: number;
  cachedInputTokens: number;
  outputTokens: number;
  /**
   * The sum of the requests' stored costs. Tokens times unit prices may differ from it by up to
   * half a micro-dollar per request: each request was rounded once, to the micro-dollar.
   */
  amountMicros: bigint;
}

/**
 * The price a row was charged at: the row in force when the request was made, under the model
 * name it reports or, for a dated snapshot ("gpt-4o-mini-2024-07-18"), the undated name, as
 * the API's pricing does. The row's created_at stands for the request time the API priced at:
 * they differ by the admission round trip, which only matters for a request made in the very
 * moment a new price takes effect, and then only for the unit price shown, never the amount.
 */
function priceForRow(prices: readonly ModelPrice[], row: InvoiceUsageRow): ModelPrice | null {
  if (row.provider === null || row.model === null) return null;
  for (const model of [row.model, row.model.replace(/-\d{4}-\d{2}-\d{2}$/, "")]) {
    const price = priceAt(prices, row.provider, model, row.createdAt);
    if (price) return price;
  }
  return null;
}

/** One line per feature, provider, model and price in force, over the billed rows. */
export function invoiceLines(
  rows: readonly (InvoiceUsageRow & Weighted)[],
  prices: readonly ModelPrice[] = [],
): InvoiceLine[] {
  const lines = new Map<string, InvoiceLine>();
  for (const row of rows) {
    if (!isBilled(row.status)) continue;
    const cost = storedCost(row);
    const price = priceForRow(prices, row);
    const key = JSON.stringify([
      row.featureType,
      row.provider,
      row.model,
      price?.effectiveFrom.getTime() ?? null,
    ]);
    let line = lines.get(key);
    if (!line) {
      line = {
        featureType: row.featureType,
        provider: row.provider,
        model: row.model,
        unitPrice: price && {
          inputPerMillion: price.inputPerMillion,
          cachedInputPerMillion: price.cachedInputPerMillion,
          outputPerMillion: price.outputPerMillion,
          effectiveFrom: price.effectiveFrom,
        },
        requests: 0,
        inputTokens: 0,
        cachedInputTokens: 0,
        outputTokens: 0,
        amountMicros: 0n,
      };
      lines.set(key, line);
    }
    line.requests += weight(row);
    line.inputTokens += row.inputTokens;
    line.cachedInputTokens += row.cachedInputTokens;
    line.outputTokens += row.outputTokens;
    line.amountMicros += cost;
  }
  const order = (l: InvoiceLine) =>
    [
      l.featureType,
      l.provider ?? "\uffff",
      l.model ?? "\uffff",
      l.unitPrice?.effectiveFrom.getTime() ?? 0,
    ] as const;
  return [...lines.values()].sort((a, b) => {
    const [x, y] = [order(a), order(b)];
    for (let i = 0; i < x.length; i++) if (x[i]! !== y[i]!) return x[i]! < y[i]! ? -1 : 1;
    return 0;
  });
}

export interface InvoiceTotals {
  /** The exact sum of the lines, in micro-dollars. */
  subtotalMicros: bigint;
  /** "12.345678": the subtotal with all six places. */
  subtotal: string;
  /** The subtotal rounded once, half-up (away from zero), to the cent: what is charged. */
  totalMicros: bigint;
  /** "12.35" */
  total: string;
}

/** Sums the lines exactly, then rounds once: rounding each line first could move the total by cents. */
export function invoiceTotals(lines: readonly Pick<InvoiceLine, "amountMicros">[]): InvoiceTotals {
  const subtotalMicros = lines.reduce((s, l) => s + l.amountMicros, 0n);
  const total = fromMicros(subtotalMicros, 2);
  return { subtotalMicros, subtotal: fromMicros(subtotalMicros, 6), totalMicros: toMicros(total), total };
}

/**
 * "ACME-2026-0001": the organization's prefix, the year, and its sequence number within the
 * organization, at least four digits. The sequence itself is allocated where it can be made
 * gap-free and unique (a database counter); this only formats it.
 */
export function formatInvoiceNumber(orgPrefix: string, year: number, sequence: number): string {
  const prefix = orgPrefix.trim().toUpperCase();
  if (!/^[A-Z0-9]+(?:-[A-Z0-9]+)*$/.test(prefix) || prefix.length > 24)
    throw new RangeError(
      `invoice prefix must be letters and digits (dash-separated), got ${JSON.stringify(orgPrefix)}`,
    );
  if (!Number.isInteger(year) || year < 2000 || year > 9999)
    throw new RangeError(`bad invoice year: ${year}`);
  if (!Number.isSafeInteger(sequence) || sequence < 1)
    throw new RangeError(`invoice sequence must be a positive integer, got ${sequence}`);
  return `${prefix}-${year}-${String(sequence).padStart(4, "0")}`;
}

export interface ClientCharge {
  clientId: string | null;
  clientName: string;
  requests: number;
  amountMicros: bigint;
}

export interface Invoice {
  number: string;
  organizationName: string;
  /** Calendar days in the organization's timezone, both inclusive: "2026-06-01" to "2026-06-30". */
  periodStart: string;
  periodEnd: string;
  issuedOn: string;
  currency: "USD";
  lines: Array<InvoiceLine & { featureName: string }>;
  /** The same charges by client (wedding): a second view of the lines, not added to them. */
  clients: ClientCharge[];
  totals: InvoiceTotals;
}

export interface BuildInvoiceParams {
  number: string;
  organizationName: string;
  periodStart: string;
  periodEnd: string;
  issuedOn: string;
  /** The period's usage rows (any status: only completed ones are billed), possibly pre-summed. */
  rows: readonly (InvoiceUsageRow & Weighted)[];
  prices?: readonly ModelPrice[];
  /**
   * The same usage's charges by client, summed elsewhere (the client rollups: `rows` come from an
   * organization-level one that has no client). A client without requests is left out.
   */
  clientCharges: readonly Pick<ClientCharge, "clientId" | "requests" | "amountMicros">[];
  /** Display names; a client not in the map shows its id. */
  clientNames?: ReadonlyMap<string, string>;
  featureName?: (featureType: FeatureType) => string;
}

export const NO_CLIENT_NAME = "Organization (no client)";

/** Everything an invoice shows, ready for export (invoice-export.ts). */
export function buildInvoice(p: BuildInvoiceParams): Invoice {
  const featureName = p.featureName ?? ((f: FeatureType) => f);
  const lines = invoiceLines(p.rows, p.prices).map((l) => ({
    ...l,
    featureName: featureName(l.featureType),
  }));
  const charges = ranked(
    new Map(
      p.clientCharges
        .filter((c) => c.requests > 0)
        .map((c) => [c.clientId, { ...emptyTotals(), requests: c.requests, costMicros: c.amountMicros }]),
    ),
  );
  const clients = charges.map(([clientId, t]) => ({
    clientId,
    clientName: clientId === null ? NO_CLIENT_NAME : (p.clientNames?.get(clientId) ?? clientId),
    requests: t.requests,
    amountMicros: t.costMicros,
  }));
  return {
    number: p.number,
    organizationName: p.organizationName,
    periodStart: p.periodStart,
    periodEnd: p.periodEnd,
    issuedOn: p.issuedOn,
    currency: "USD",
    lines,
    clients,
    totals: invoiceTotals(lines),
  };
}
