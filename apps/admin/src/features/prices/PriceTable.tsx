import { EmptyState } from "@wedsync/ui/Page";
import { useId } from "react";
import { Button, Disclosure, DisclosurePanel, Heading } from "react-aria-components";
import { whenWords } from "../../lib/when";
import { type ModelEntry, modelKey, type PriceRow, perMillion } from "./words";

const figures = (p: PriceRow) =>
  `${perMillion(p.inputPerMillion)} input, ${perMillion(p.cachedInputPerMillion)} cached, ${perMillion(p.outputPerMillion)} output`;

/**
 * The price table: per model, what input, cached input and output tokens cost per million now,
 * since when, and the next price scheduled; "Schedule a new price" opens the form on that model.
 */
export function PriceTable({
  models,
  now,
  onSchedule,
}: {
  models: readonly ModelEntry[];
  now: Date;
  onSchedule: (entry: ModelEntry) => void;
}) {
  const captionId = useId();
  if (models.length === 0) {
    return (
      <EmptyState title="No model has a price yet">
        Requests cannot be billed without one: add a model below with its price per million tokens.
      </EmptyState>
    );
  }
  return (
    // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region must be focusable (WCAG 2.1.1)
    <section className="table-scroll th-scroll" aria-labelledby={captionId} tabIndex={0}>
      <table className="data">
        <caption id={captionId}>Model prices in US dollars per million tokens, by provider and model</caption>
        <thead>
          <tr>
            <th scope="col">Model</th>
            <th scope="col">Provider</th>
            <th scope="col" className="num">
              Input
            </th>
            <th scope="col" className="num">
              Cached input
            </th>
            <th scope="col" className="num">
              Output
            </th>
            <th scope="col">In force since</th>
            <th scope="col">Next scheduled</th>
            <th scope="col">
              <span className="visually-hidden">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {models.map((m) => (
            <tr key={modelKey(m)}>
              <th scope="row">{m.model}</th>
              <td>{m.provider}</td>
              {m.current ? (
                <>
                  <td className="num">{perMillion(m.current.inputPerMillion)}</td>
                  <td className="num">{perMillion(m.current.cachedInputPerMillion)}</td>
                  <td className="num">{perMillion(m.current.outputPerMillion)}</td>
                  <td>{whenWords(m.current.effectiveFrom, now)}</td>
                </>
              ) : (
                <td colSpan={4}>No price in force yet</td>
              )}
              <td>
                {m.next ? (
                  <>
                    {whenWords(m.next.effectiveFrom, now)}
                    <span className="muted small block">{figures(m.next)}</span>
                  </>
                ) : (
                  "None"
                )}
              </td>
              <td>
                <Button className="secondary" onPress={() => onSchedule(m)}>
                  Schedule a new price <span className="visually-hidden">for {m.model}</span>
                </Button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

/** Each model's prices over time, newest first, one disclosure per model. */
export function PriceHistory({ models, now }: { models: readonly ModelEntry[]; now: Date }) {
  return (
    <div className="pr-history">
      {models.map((m) => (
        <Disclosure key={modelKey(m)} className="disclosure">
          <Heading level={3} className="disclosure-heading">
            <Button slot="trigger" className="disclosure-trigger">
              {m.model} ({m.provider}): {m.history.length} {m.history.length === 1 ? "price" : "prices"}
            </Button>
          </Heading>
          <DisclosurePanel className="disclosure-panel">
            <section
              className="table-scroll th-scroll"
              aria-label={`Prices of ${m.model} (${m.provider})`}
              // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region must be focusable (WCAG 2.1.1)
              tabIndex={0}
            >
              <table className="data">
                <caption className="visually-hidden">
                  Prices of {m.model} ({m.provider}), newest first
                </caption>
                <thead>
                  <tr>
                    <th scope="col">Starts</th>
                    <th scope="col" className="num">
                      Input
                    </th>
                    <th scope="col" className="num">
                      Cached input
                    </th>
                    <th scope="col" className="num">
                      Output
                    </th>
                    <th scope="col">Status</th>
                    <th scope="col">Scheduled by</th>
                  </tr>
                </thead>
                <tbody>
                  {m.history.map((p) => (
                    <tr key={p.id}>
                      <th scope="row">{whenWords(p.effectiveFrom, now)}</th>
                      <td className="num">{perMillion(p.inputPerMillion)}</td>
                      <td className="num">{perMillion(p.cachedInputPerMillion)}</td>
                      <td className="num">{perMillion(p.outputPerMillion)}</td>
                      <td>{statusWords(m, p)}</td>
                      <td>
                        {p.scheduledBy ?? "The platform's starting prices"}
                        {p.scheduledBy && (
                          <span className="muted small block">{whenWords(p.scheduledAt, now)}</span>
                        )}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </section>
          </DisclosurePanel>
        </Disclosure>
      ))}
    </div>
  );
}

function statusWords(m: ModelEntry, p: PriceRow): string {
  if (m.current?.id === p.id) return "In force";
  if (p.effectiveFrom.getTime() > (m.current?.effectiveFrom.getTime() ?? Number.NEGATIVE_INFINITY)) {
    return "Scheduled";
  }
  return "Replaced";
}
