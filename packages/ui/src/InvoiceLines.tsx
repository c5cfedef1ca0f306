import { formatCount, formatUsd } from "./format";
import type { ClientChargeView, LineView } from "./invoice-lines";

/**
 * An invoice's charges: one row per feature and model (and price, when it changed mid-period),
 * then the exact subtotal and the total charged, rounded once to the cent. Line amounts keep
 * their six places so that they visibly add up to the subtotal.
 */
export function InvoiceLines({
  caption,
  lines,
  subtotalUsd,
  totalUsd,
}: {
  caption: string;
  lines: LineView[];
  subtotalUsd: string;
  totalUsd: string;
}) {
  return (
    <div className="table-scroll">
      <table className="data invoice-lines">
        <caption>{caption}</caption>
        <thead>
          <tr>
            <th scope="col">Feature</th>
            <th scope="col">Model</th>
            <th scope="col" className="num">
              Requests
            </th>
            <th scope="col" className="num">
              Tokens in / out
            </th>
            <th scope="col" className="num">
              Amount
            </th>
          </tr>
        </thead>
        <tbody>
          {lines.length === 0 ? (
            <tr>
              <td colSpan={5} className="muted">
                No billable requests in this period.
              </td>
            </tr>
          ) : (
            lines.map((l) => (
              <tr key={l.key}>
                <th scope="row">{l.feature}</th>
                <td>
                  {l.model}
                  {l.priceNote && <span className="muted small block">{l.priceNote}</span>}
                </td>
                <td className="num">{formatCount(l.requests)}</td>
                <td className="num">
                  {formatCount(l.inputTokens)} / {formatCount(l.outputTokens)}
                </td>
                <td className="num">{formatUsd(l.amountUsd, "micros")}</td>
              </tr>
            ))
          )}
        </tbody>
        <tfoot>
          <tr>
            <th scope="row" colSpan={4}>
              Subtotal
            </th>
            <td className="num" data-testid="invoice-subtotal">
              {formatUsd(subtotalUsd, "micros")}
            </td>
          </tr>
          <tr className="invoice-total">
            <th scope="row" colSpan={4}>
              Total (rounded once, to the cent)
            </th>
            <td className="num" data-testid="invoice-total">
              {formatUsd(totalUsd, "cents")}
            </td>
          </tr>
        </tfoot>
      </table>
    </div>
  );
}

/** The same charges by client (wedding): a second view of the lines, not added to them. */
export function ClientCharges({ clients }: { clients: ClientChargeView[] }) {
  if (clients.length === 0) return null;
  return (
    <div className="table-scroll">
      <table className="data">
        <caption>The same charges by client (not added to the total again)</caption>
        <thead>
          <tr>
            <th scope="col">Client</th>
            <th scope="col" className="num">
              Requests
            </th>
            <th scope="col" className="num">
              Amount
            </th>
          </tr>
        </thead>
        <tbody>
          {clients.map((c) => (
            <tr key={c.key}>
              <th scope="row">{c.name}</th>
              <td className="num">{formatCount(c.requests)}</td>
              <td className="num">{formatUsd(c.amountUsd, "micros")}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
