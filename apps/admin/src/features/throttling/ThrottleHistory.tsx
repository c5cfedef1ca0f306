import { EmptyState } from "@wedsync/ui/Page";
import { useId } from "react";
import { Button } from "react-aria-components";
import { whenWords } from "../../lib/when";
import { endWords, modeWords, scopeWords, type ThrottleItem } from "./words";

/** Throttles that ended (lifted by hand or expired), newest first, a page at a time. */
export function ThrottleHistory({
  throttles,
  now,
  hasMore,
  loadingMore,
  onLoadMore,
}: {
  throttles: readonly ThrottleItem[];
  now: Date;
  hasMore: boolean;
  loadingMore: boolean;
  onLoadMore: () => void;
}) {
  const captionId = useId();
  if (throttles.length === 0) {
    return (
      <EmptyState title="No throttle has ended yet">
        Throttles lifted by hand or past their end time are listed here, with who set and lifted them.
      </EmptyState>
    );
  }
  return (
    <>
      {/* biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region must be focusable (WCAG 2.1.1) */}
      <section className="table-scroll th-scroll" aria-labelledby={captionId} tabIndex={0}>
        <table className="data">
          <caption id={captionId}>Throttles that ended, newest first</caption>
          <thead>
            <tr>
              <th scope="col">Applied to</th>
              <th scope="col">Effect</th>
              <th scope="col">Reason</th>
              <th scope="col">Set by</th>
              <th scope="col">Ended</th>
            </tr>
          </thead>
          <tbody>
            {throttles.map((t) => (
              <tr key={t.id}>
                <th scope="row">{scopeWords(t)}</th>
                <td>{modeWords(t)}</td>
                <td className="th-reason">{t.reason}</td>
                <td>
                  {t.createdBy?.name ?? "Platform staff"}
                  <span className="muted small block">{whenWords(t.createdAt, now)}</span>
                </td>
                <td>{endWords(t, now)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
      {hasMore && (
        <Button className="secondary" onPress={onLoadMore} isDisabled={loadingMore}>
          {loadingMore ? "Loading…" : "Load older throttles"}
        </Button>
      )}
    </>
  );
}
