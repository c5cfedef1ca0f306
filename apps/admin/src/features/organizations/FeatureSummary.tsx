import { formatCount, formatUsd } from "@wedsync/ui/format";
import type { RouterOutputs } from "@wedsync/ui/trpc";
import { featureWords, tierWords } from "@wedsync/ui/words";
import { plural } from "./words";

export type OrganizationOverview = RouterOutputs["admin"]["organizations"]["get"];

/** Each feature's platform configuration, and how many clients depart from it. */
export function FeatureSummary({
  name,
  features,
}: {
  name: string;
  features: OrganizationOverview["features"];
}) {
  return (
    // On narrow screens the table scrolls sideways inside this region; keyboard users focus it to scroll.
    // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region must be focusable (WCAG 2.1.1)
    <section className="table-scroll" aria-labelledby="org-features-caption" tabIndex={0}>
      <table className="data">
        <caption id="org-features-caption">AI platform configuration for {name}</caption>
        <thead>
          <tr>
            <th scope="col">Feature</th>
            <th scope="col">Status</th>
            <th scope="col" className="num">
              Daily request cap
            </th>
            <th scope="col" className="num">
              Daily cost cap
            </th>
            <th scope="col" className="num">
              Rate limit / min
            </th>
            <th scope="col">Model</th>
            <th scope="col">Clients' own settings</th>
          </tr>
        </thead>
        <tbody>
          {features.map((f) => (
            <tr key={f.id}>
              <th scope="row">{featureWords(f.featureType)}</th>
              <td>
                {f.availableOnTier ? (
                  <span className={f.isEnabled ? "pill pill-on" : "pill pill-off"}>
                    {f.isEnabled ? "On" : "Off"}
                  </span>
                ) : (
                  <span className="locked">Requires {tierWords(f.requiredTier)}</span>
                )}
              </td>
              <td className="num">{formatCount(f.maxRequestsPerDay)}</td>
              <td className="num">{formatUsd(f.maxCostPerDay)}</td>
              <td className="num">{formatCount(f.rateLimitPerMinute)}</td>
              <td>
                <code>{f.model}</code>
              </td>
              <td>
                {f.clientOverrides === 0
                  ? "All inherit"
                  : `${plural(f.clientOverrides, "client")} with own settings`}
                {f.clientsSwitchedOff > 0 && (
                  <span className="muted small org-block">
                    {plural(f.clientsSwitchedOff, "client")} switched it off
                  </span>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
