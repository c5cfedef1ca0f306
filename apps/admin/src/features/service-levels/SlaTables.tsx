import { Link } from "@tanstack/react-router";
import { formatCount } from "@wedsync/ui/format";
import { useId } from "react";
import { type EndpointRow, errorPercent, type OrganizationRow, verdictWords } from "./figures";

const ms = (v: number | null) => (v === null ? "no data" : `${formatCount(v)} ms`);
const percent = (serverErrors: number, requests: number) => {
  const p = errorPercent(serverErrors, requests);
  return p === null ? "no data" : `${p}%`;
};

/** Breaches first (then the busiest), so what needs attention is at the top. */
const attentionFirst = <T extends { compliant: boolean; requests: number }>(rows: readonly T[]) =>
  [...rows].sort((a, b) => Number(a.compliant) - Number(b.compliant) || b.requests - a.requests);

function Verdict({
  row,
}: {
  row: { requests: number; compliant: boolean; breaches: EndpointRow["breaches"] };
}) {
  const words = verdictWords(row);
  if (row.compliant || row.requests === 0) return words;
  return <strong className="sla-broken">{words}</strong>;
}

/** Every endpoint over the period: counts, p50/p95/p99, server errors and the SLA verdict in words. */
export function EndpointSlaTable({
  endpoints,
  caption,
}: {
  endpoints: readonly EndpointRow[];
  caption: string;
}) {
  const id = useId();
  return (
    // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region must be focusable (WCAG 2.1.1)
    <section className="table-scroll" aria-labelledby={id} tabIndex={0}>
      <table className="data sla-table" data-testid="endpoint-sla">
        <caption id={id}>{caption}</caption>
        <thead>
          <tr>
            <th scope="col">Endpoint</th>
            <th scope="col" className="num">
              Requests
            </th>
            <th scope="col" className="num">
              p50
            </th>
            <th scope="col" className="num">
              p95
            </th>
            <th scope="col" className="num">
              p99
            </th>
            <th scope="col" className="num">
              Server errors
            </th>
            <th scope="col">SLA</th>
          </tr>
        </thead>
        <tbody>
          {attentionFirst(endpoints).map((e) => (
            <tr key={e.endpoint} className={e.compliant ? undefined : "sla-breach"}>
              <th scope="row">
                <code>{e.endpoint}</code>
              </th>
              <td className="num">{formatCount(e.requests)}</td>
              <td className="num">{ms(e.p50Ms)}</td>
              <td className="num">{ms(e.p95Ms)}</td>
              <td className="num">{ms(e.p99Ms)}</td>
              <td className="num">{percent(e.serverErrors, e.requests)}</td>
              <td>
                <Verdict row={e} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

/** Each organization's requests together, and which of its endpoints broke the SLA. */
export function OrganizationSlaTable({
  organizations,
  caption,
}: {
  organizations: readonly OrganizationRow[];
  caption: string;
}) {
  const id = useId();
  return (
    // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region must be focusable (WCAG 2.1.1)
    <section className="table-scroll" aria-labelledby={id} tabIndex={0}>
      <table className="data sla-table" data-testid="organization-sla">
        <caption id={id}>{caption}</caption>
        <thead>
          <tr>
            <th scope="col">Organization</th>
            <th scope="col" className="num">
              Requests
            </th>
            <th scope="col" className="num">
              p50
            </th>
            <th scope="col" className="num">
              p95
            </th>
            <th scope="col" className="num">
              p99
            </th>
            <th scope="col" className="num">
              Server errors
            </th>
            <th scope="col">SLA</th>
          </tr>
        </thead>
        <tbody>
          {attentionFirst(organizations).map((o) => (
            <tr key={o.organizationId} className={o.breachedEndpoints.length > 0 ? "sla-breach" : undefined}>
              <th scope="row">
                {o.name === null ? (
                  "A removed organization"
                ) : (
                  <Link to="/organizations/$orgId" params={{ orgId: o.organizationId }}>
                    {o.name}
                  </Link>
                )}
              </th>
              <td className="num">{formatCount(o.requests)}</td>
              <td className="num">{ms(o.p50Ms)}</td>
              <td className="num">{ms(o.p95Ms)}</td>
              <td className="num">{ms(o.p99Ms)}</td>
              <td className="num">{percent(o.serverErrors, o.requests)}</td>
              <td>
                {o.breachedEndpoints.length === 0 ? (
                  <Verdict row={o} />
                ) : (
                  <strong className="sla-broken">
                    Broken on{" "}
                    {o.breachedEndpoints.length === 1
                      ? "one endpoint"
                      : `${o.breachedEndpoints.length} endpoints`}
                    : {o.breachedEndpoints.join(", ")}
                  </strong>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
