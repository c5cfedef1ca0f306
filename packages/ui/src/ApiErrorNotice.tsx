import { Button } from "react-aria-components";
import { type ApiError, errorCode, errorHint, errorMessage, requestIdOf } from "./errors";

/** An API error as a person reads it: what happened, what to do next, and the request id for support. */
export function ApiErrorNotice({ error, onRetry }: { error: ApiError; onRetry?: () => void }) {
  const requestId = requestIdOf(error);
  return (
    <div className="notice notice-error" role="alert">
      <p>{errorMessage(error)}</p>
      <p className="hint">{errorHint(errorCode(error))}</p>
      {requestId && (
        <p className="muted small">
          Request id <code>{requestId}</code>
        </p>
      )}
      {onRetry && (
        <Button className="secondary" onPress={onRetry}>
          Try again
        </Button>
      )}
    </div>
  );
}
