import { formatCount, humanize } from "@wedsync/ui/format";
import { useId } from "react";
import type { Overview } from "./figures";

export type Provider = Overview["providers"][number];

const PROVIDER_WORDS: Record<string, string> = { local: "Local rules engine", openai: "OpenAI" };
export const providerWords = (name: string) => PROVIDER_WORDS[name] ?? humanize(name);

const ROLE_WORDS: Record<Provider["role"], string> = { primary: "Primary", fallback: "Fallback" };

const TIME = new Intl.DateTimeFormat("en-GB", { dateStyle: "medium", timeStyle: "medium", timeZone: "UTC" });
const at = (d: Date | string) => `${TIME.format(new Date(d))} UTC`;

/** The circuit breaker's state in words: what it means for requests, not its code. */
export function breakerWords(p: Pick<Provider, "circuit" | "openedAt">): string {
  switch (p.circuit) {
    case "open":
      return `Failing: requests skip it and go to the fallback${p.openedAt ? ` (since ${at(p.openedAt)})` : ""}`;
    case "half-open":
      return "Recovering: one trial request is let through";
    default:
      return "Healthy";
  }
}

/**
 * Each AI provider of this server: role, breaker state in words, calls, failures and calls
 * skipped while failing, then its last failures with time and message.
 */
export function ProviderHealth({ providers }: { providers: readonly Provider[] }) {
  const id = useId();
  const failing = providers.filter((p) => p.recentFailures.length > 0);
  return (
    <>
      {/* biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region must be focusable (WCAG 2.1.1) */}
      <section className="table-scroll" aria-labelledby={id} tabIndex={0}>
        <table className="data" data-testid="providers">
          <caption id={id}>
            AI providers of this server: the primary answers first, the fallback takes over while it fails.
          </caption>
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
              <th scope="col" className="num">
                Skipped while failing
              </th>
            </tr>
          </thead>
          <tbody>
            {providers.map((p) => (
              <tr key={p.name} className={p.circuit === "closed" ? undefined : "sla-breach"}>
                <th scope="row">{providerWords(p.name)}</th>
                <td>{ROLE_WORDS[p.role]}</td>
                <td>
                  {p.circuit === "closed" ? breakerWords(p) : <strong>{breakerWords(p)}</strong>}
                  {p.consecutiveFailures > 0 && (
                    <span className="muted small block">
                      {formatCount(p.consecutiveFailures)} failures in a row
                    </span>
                  )}
                </td>
                <td className="num">{formatCount(p.totalCalls)}</td>
                <td className="num">{formatCount(p.totalFailures)}</td>
                <td className="num">{formatCount(p.shortCircuited)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
      {failing.length === 0 ? (
        <p className="muted">No provider has failed since this server started.</p>
      ) : (
        failing.map((p) => (
          <section key={p.name} aria-labelledby={`${id}-${p.name}`} className="recent-failures">
            <h3 id={`${id}-${p.name}`}>{providerWords(p.name)}: last failures, newest first</h3>
            <ol>
              {p.recentFailures.map((f, i) => (
                <li key={`${String(f.at)}-${i}`}>
                  <time dateTime={new Date(f.at).toISOString()}>{at(f.at)}</time>: {f.message}
                </li>
              ))}
            </ol>
          </section>
        ))
      )}
    </>
  );
}

/** The configuration cache's hit rate on this server, with the counts behind it. */
export function CacheFigures({ cache }: { cache: Overview["configCache"] }) {
  const lookups = cache.hits + cache.sharedHits + cache.misses;
  return (
    <p data-testid="config-cache">
      {cache.hitRate === null || lookups === 0 ? (
        "No configuration has been looked up on this server since it started."
      ) : (
        <>
          <strong>{(cache.hitRate * 100).toFixed(1)}%</strong> of {formatCount(lookups)} configuration lookups
          on this server were answered from the cache ({formatCount(cache.hits)} from its own memory,{" "}
          {formatCount(cache.sharedHits)} from the shared cache); {formatCount(cache.misses)} read the
          database.
        </>
      )}
    </p>
  );
}
