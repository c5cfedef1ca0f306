import { useId } from "react";
import { featureLabel, formatCount, formatUsd, tierLabel } from "./format";
import type { PlatformConfig } from "./trpc";

/** One organization's platform configuration: a row per AI feature. */
export function ConfigTable({
  caption,
  features,
}: {
  caption: string;
  features: PlatformConfig["features"];
}) {
  const captionId = useId();
  return (
    // On narrow screens the table scrolls sideways inside this region; keyboard users focus it to scroll.
    // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region must be focusable (WCAG 2.1.1)
    <section className="table-scroll" aria-labelledby={captionId} tabIndex={0}>
      <table className="data">
        <caption id={captionId}>{caption}</caption>
        <thead>
          <tr>
            <th scope="col">Feature</th>
            <th scope="col">Enabled</th>
            <th scope="col" className="num">
              Daily requests cap
            </th>
            <th scope="col" className="num">
              Daily cost cap
            </th>
            <th scope="col" className="num">
              Rate limit / min
            </th>
            <th scope="col">Model</th>
            <th scope="col">Availability</th>
          </tr>
        </thead>
        <tbody>
          {features.map((f) => (
            <tr key={f.id}>
              <th scope="row">{featureLabel(f.featureType)}</th>
              <td>
                <span className={f.isEnabled ? "pill pill-on" : "pill pill-off"}>
                  {f.isEnabled ? "Yes" : "No"}
                </span>
              </td>
              <td className="num">{formatCount(f.maxRequestsPerDay)}</td>
              <td className="num">{formatUsd(f.maxCostPerDay)}</td>
              <td className="num">{formatCount(f.rateLimitPerMinute)}</td>
              <td>
                <code>{f.model}</code>
              </td>
              <td>
                {f.availableOnTier ? (
                  "Included"
                ) : (
                  <span className="locked">Requires {tierLabel(f.requiredTier)}</span>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
