import { ApiErrorNotice } from "@wedsync/ui/ApiErrorNotice";
import { ConfirmDialog } from "@wedsync/ui/ConfirmDialog";
import type { ApiError } from "@wedsync/ui/errors";
import { EmptyState } from "@wedsync/ui/Page";
import { useId, useState } from "react";
import { whenWords } from "../../lib/when";
import { expiryWords, liftWords, modeWords, scopeWords, type ThrottleItem } from "./words";

/**
 * The throttles in force: whom each reaches, what it does, why, who set it and when it ends,
 * each with Lift behind a confirmation. Shows only those still in force at `now`, so one that
 * expires leaves the table at its time.
 */
export function ActiveThrottles({
  throttles,
  now,
  onLift,
}: {
  throttles: readonly ThrottleItem[];
  now: Date;
  onLift: (throttle: ThrottleItem) => Promise<unknown>;
}) {
  const captionId = useId();
  const inForce = throttles.filter((t) => !t.expiresAt || t.expiresAt.getTime() > now.getTime());
  if (inForce.length === 0) {
    return (
      <EmptyState title="No throttle is in force">
        Every AI request is admitted within each organization's own limits. Set one below if a provider fails
        or an organization floods the platform.
      </EmptyState>
    );
  }
  return (
    // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region must be focusable (WCAG 2.1.1)
    <section className="table-scroll th-scroll" aria-labelledby={captionId} tabIndex={0}>
      <table className="data">
        <caption id={captionId}>Throttles in force ({inForce.length}), newest first</caption>
        <thead>
          <tr>
            <th scope="col">Applies to</th>
            <th scope="col">Effect</th>
            <th scope="col">Reason</th>
            <th scope="col">Set by</th>
            <th scope="col">Ends</th>
            <th scope="col">
              <span className="visually-hidden">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {inForce.map((t) => (
            <tr key={t.id}>
              <th scope="row">{scopeWords(t)}</th>
              <td>{modeWords(t)}</td>
              <td className="th-reason">{t.reason}</td>
              <td>
                {t.createdBy?.name ?? "Platform staff"}
                <span className="muted small block">{whenWords(t.createdAt, now)}</span>
              </td>
              <td>{expiryWords(t.expiresAt, now)}</td>
              <td>
                <LiftButton throttle={t} now={now} onLift={onLift} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

function LiftButton({
  throttle,
  now,
  onLift,
}: {
  throttle: ThrottleItem;
  now: Date;
  onLift: (throttle: ThrottleItem) => Promise<unknown>;
}) {
  const [error, setError] = useState<ApiError | null>(null);
  const [pending, setPending] = useState(false);
  const whom = scopeWords(throttle);
  return (
    <ConfirmDialog
      trigger={
        <>
          Lift <span className="visually-hidden">the throttle on {whom}</span>
        </>
      }
      title={`Lift the throttle on ${whom}?`}
      confirmLabel="Lift it now"
      pending={pending}
      onConfirm={async () => {
        setError(null);
        setPending(true);
        try {
          await onLift(throttle);
        } catch (err) {
          setError(err as ApiError);
          throw err;
        } finally {
          setPending(false);
        }
      }}
    >
      <p>{liftWords(throttle)}</p>
      <p>
        The banner leaves the supplier app. The throttle stays in the history, with you as the one who lifted
        it{throttle.expiresAt ? ` (it would have ended ${whenWords(throttle.expiresAt, now)})` : ""}.
      </p>
      {error && <ApiErrorNotice error={error} />}
    </ConfirmDialog>
  );
}
