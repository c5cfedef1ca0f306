import { ApiErrorNotice } from "@wedsync/ui/ApiErrorNotice";
import { ConfirmDialog } from "@wedsync/ui/ConfirmDialog";
import type { ApiError } from "@wedsync/ui/errors";
import { useState } from "react";
import { endWords, type RowThrottle, throttleWords } from "./throttle-state";

/**
 * The emergency throttles reaching the organization now, strictest first, each with a "Lift"
 * behind a confirmation (a feature's or the platform's throttle is lifted for every organization,
 * and the dialog says so).
 */
export function ActiveThrottles({
  throttles,
  onLift,
}: {
  throttles: readonly RowThrottle[];
  onLift: (throttle: RowThrottle) => Promise<unknown>;
}) {
  if (throttles.length === 0)
    return <p>Not throttled: AI requests are admitted as usual (within the organization's own limits).</p>;
  return (
    <ul className="org-throttles" aria-label="Throttles in force">
      {throttles.map((t) => (
        <ThrottleItem key={t.id} throttle={t} onLift={onLift} />
      ))}
    </ul>
  );
}

function ThrottleItem({
  throttle: t,
  onLift,
}: {
  throttle: RowThrottle;
  onLift: (throttle: RowThrottle) => Promise<unknown>;
}) {
  const [error, setError] = useState<ApiError | null>(null);
  const [pending, setPending] = useState(false);
  const words = throttleWords(t);
  return (
    <li className="panel org-throttle">
      <p>
        <strong>{words}</strong>, {endWords(t.expiresAt)}.
      </p>
      <p className="small">Reason: {t.reason}</p>
      <ConfirmDialog
        trigger={<>Lift</>}
        title="Lift this throttle?"
        confirmLabel="Lift the throttle"
        pending={pending}
        onConfirm={async () => {
          setPending(true);
          setError(null);
          try {
            await onLift(t);
          } catch (err) {
            setError(err as ApiError);
            throw err;
          } finally {
            setPending(false);
          }
        }}
      >
        <p>
          {words}. Lifting it admits new AI requests again at once
          {t.scope === "organization" ? "." : ", for every organization it reaches, not only this one."}
        </p>
        <p className="small">Reason given: {t.reason}</p>
        {error && <ApiErrorNotice error={error} />}
      </ConfirmDialog>
    </li>
  );
}
