import { ErrorNotice, Loading } from "@wedsync/ui/StatusViews";
import { trpc } from "@wedsync/ui/trpc";

const CIRCUIT_LABEL = {
  closed: "Healthy",
  "half-open": "Recovering",
  open: "Failing (circuit open)",
} as const;

/** Each AI provider's circuit breaker, failures and last error, refreshed every 15 s. */
export function ProviderHealth() {
  const health = trpc.admin.providers.health.useQuery(undefined, { refetchInterval: 15_000 });
  if (health.isPending) return <Loading label="Loading provider health…" />;
  if (health.error) return <ErrorNotice error={health.error} onRetry={() => void health.refetch()} />;
  return (
    <table className="data">
      <caption>AI providers: the primary answers first; the fallback takes over when it fails.</caption>
      <thead>
        <tr>
          <th scope="col">Provider</th>
          <th scope="col">Role</th>
          <th scope="col">State</th>
          <th scope="col" className="num">
            Calls
          </th>
          <th scope="col" className="num">
            Failures
          </th>
          <th scope="col">Last error</th>
        </tr>
      </thead>
      <tbody>
        {health.data.map((p) => (
          <tr key={p.name}>
            <th scope="row">{p.name}</th>
            <td>{p.role}</td>
            <td>{CIRCUIT_LABEL[p.circuit]}</td>
            <td className="num">{p.totalCalls}</td>
            <td className="num">{p.totalFailures}</td>
            <td>{p.lastErrorMessage ?? "—"}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
