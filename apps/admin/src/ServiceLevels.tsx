import { ErrorNotice, Loading } from "@wedsync/ui/StatusViews";
import { trpc } from "@wedsync/ui/trpc";

/** The platform-wide SLA over the last 24 hours: p95 at most 500 ms, success at least 99.9%, per endpoint. */
export function ServiceLevels() {
  const sla = trpc.performance.sla.useQuery({ hours: 24 }, { refetchInterval: 60_000 });
  if (sla.isPending) return <Loading label="Loading service levels…" />;
  if (sla.error) return <ErrorNotice error={sla.error} onRetry={() => void sla.refetch()} />;
  const { policy, endpoints, breaches } = sla.data;
  return (
    <>
      <p data-testid="sla-verdict">
        {endpoints.length === 0
          ? "No traffic in the last 24 hours."
          : breaches.length === 0
            ? `All ${endpoints.length} endpoints met the SLA in the last 24 hours.`
            : `${breaches.length} of ${endpoints.length} endpoints broke the SLA in the last 24 hours.`}
      </p>
      {endpoints.length > 0 && (
        <table className="config-table">
          <caption>
            Endpoints, last 24 hours (SLA: p95 ≤ {policy.p95LimitMs} ms, success ≥{" "}
            {policy.minSuccessRate * 100}%)
          </caption>
          <thead>
            <tr>
              <th scope="col">Endpoint</th>
              <th scope="col">Requests</th>
              <th scope="col">p95</th>
              <th scope="col">Success</th>
              <th scope="col">SLA</th>
            </tr>
          </thead>
          <tbody>
            {[...endpoints]
              .sort((a, b) => Number(a.compliant) - Number(b.compliant) || b.requests - a.requests)
              .slice(0, 25)
              .map((e) => (
                <tr key={e.endpoint}>
                  <th scope="row">{e.endpoint}</th>
                  <td>{e.requests}</td>
                  <td>{e.p95Ms === null ? "—" : `${e.p95Ms} ms`}</td>
                  <td>{e.successRate === null ? "—" : `${(e.successRate * 100).toFixed(2)}%`}</td>
                  <td>{e.compliant ? "Met" : "Broken"}</td>
                </tr>
              ))}
          </tbody>
        </table>
      )}
    </>
  );
}
