import { EmptyState } from "@wedsync/ui/Page";
import { type AlertItem, alertMessageWords, deliveryWords, KIND_WORDS } from "./words";

/** Alerts raised, newest first; those that arrived while the page was open are marked New. */
export function AlertHistoryTable({
  alerts,
  freshIds,
  timeZone,
}: {
  alerts: AlertItem[];
  freshIds: ReadonlySet<number>;
  timeZone: string;
}) {
  if (alerts.length === 0) {
    return (
      <EmptyState title="No alerts yet">
        <p>
          An alert appears here, and as a notification, the moment a rule's threshold is reached. Create a
          rule above to start.
        </p>
      </EmptyState>
    );
  }
  const when = new Intl.DateTimeFormat("en-US", { dateStyle: "medium", timeStyle: "short", timeZone });
  const time = (d: Date) => `at ${when.format(d)}`;
  return (
    <div className="table-scroll">
      <table className="data" data-testid="alert-history">
        <caption>Alerts raised, newest first</caption>
        <thead>
          <tr>
            <th scope="col">Raised</th>
            <th scope="col">Rule</th>
            <th scope="col">What happened</th>
            <th scope="col">Webhook</th>
          </tr>
        </thead>
        <tbody>
          {alerts.map((a) => {
            const fresh = freshIds.has(a.id);
            return (
              <tr key={a.id} className={fresh ? "alert-new" : undefined} data-alert-id={a.id}>
                <td>
                  {fresh && <span className="badge badge-new">New</span>} {when.format(a.createdAt)}
                </td>
                <th scope="row">{KIND_WORDS[a.kind].name}</th>
                <td>{alertMessageWords(a.message)}</td>
                <td>{deliveryWords(a.delivery, time)}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
