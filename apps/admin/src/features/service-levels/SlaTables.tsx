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

type Figures = Pick<EndpointRow, "requests" | "p50Ms" | "p95Ms" | "p99Ms" | "serverErrors">;

/** The figure cells both tables share: requests, p50/p95/p99 and server errors. */
function FigureCells({ row }: { row: Figures }) {
  return (
    <>
      <td className="num">{formatCount(row.requests)}</td>
      <td className="num">{ms(row.p50Ms)}</td>
      <td className="num">{ms(row.p95Ms)}</td>
      <td className="num">{ms(row.p99Ms)}</td>
      <td className="num">{percent(row.serverErrors, row.requests)}</td>
    </>
  );
}

/** A scrollable, captioned table with the shared columns after `firstColumn`. */
function SlaTable({
  caption,
  firstColumn,
  testId,
  children,
}: {
  caption: string;
  firstColumn: string;
  testId: string;
  children: React.ReactNode;
}) {
  const id = useId();
  return (
    // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region must be focusable (WCAG 2.1.1)
    <section className="table-scroll" aria-labelledby={id} tabIndex={0}>
      <table className="data sla-table" data-testid={testId}>
        <caption id={id}>{caption}</caption>
        <thead>
          <tr>
            <th scope="col">{firstColumn}</th>
            {["Requests", "p50", "p95", "p99", "Server errors"].map((label) => (
              <th key={label} scope="col" className="num">
                {label}
              </th>
            ))}
            <th scope="col">SLA</th>
          </tr>
        </thead>
        <tbody>{children}</tbody>
      </table>
    </section>
  );
}

/** Every endpoint over the period: counts, p50/p95/p99, server errors and the SLA verdict in words. */
export function EndpointSlaTable({
  endpoints,
  caption,
}: {
  endpoints: readonly EndpointRow[];
  caption: string;
}) {
  return (
    <SlaTable caption={caption} firstColumn="Endpoint" testId="endpoint-sla">
      {attentionFirst(endpoints).map((e) => (
        <tr key={e.endpoint} className={e.compliant ? undefined : "sla-breach"}>
          <th scope="row">
            <code>{e.endpoint}</code>
          </th>
          <FigureCells row={e} />
          <td>
            <Verdict row={e} />
          </td>
        </tr>
      ))}
    </SlaTable>
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
  return (
    <SlaTable caption={caption} firstColumn="Organization" testId="organization-sla">
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
          <FigureCells row={o} />
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
    </SlaTable>
  );
}
