import { productWords } from "../bulk/words";
import type { OrganizationOverview } from "./FeatureSummary";

const KIND_WORDS: Record<string, string> = {
  daily_cost: "Daily spend",
  monthly_cost: "Monthly spend",
  error_rate: "Failed requests",
  p95_latency: "Slow responses",
};

const when = new Intl.DateTimeFormat("en-GB", { dateStyle: "medium", timeStyle: "short" });

/** The organization's last alerts, newest first, in words. */
export function RecentAlerts({ alerts }: { alerts: OrganizationOverview["recentAlerts"] }) {
  if (alerts.length === 0) return <p>No alerts have been raised for this organization.</p>;
  return (
    <ul className="org-alerts" aria-label="Last alerts">
      {alerts.map((a) => (
        <li key={a.id}>
          <strong>{KIND_WORDS[a.kind] ?? "Alert"}</strong>{" "}
          <span className="muted small">{when.format(new Date(a.createdAt))}</span>
          <span className="org-block">{productWords(a.message).replace(/\bp95\b/, "95th-percentile")}</span>
        </li>
      ))}
    </ul>
  );
}
