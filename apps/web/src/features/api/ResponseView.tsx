import { errorHint } from "@wedsync/ui/errors";
import { CodeBlock } from "./CopyButton";
import { type TryAuth, type TryResponse, trpcErrorOf } from "./http";

const KEY_REFUSED =
  "The key was not accepted: check it was pasted whole, or whether it was revoked (see Keys), and create a new one if needed.";

/** What the person should do about an error, with a key's own advice for "not signed in". */
export function hintFor(code: string | null, auth: TryAuth["kind"]): string | undefined {
  if (code === "UNAUTHORIZED" && auth === "apiKey") return KEY_REFUSED;
  return errorHint(code ?? undefined);
}

/** The answer: status and timing, the error explained (code, request id, what to do), headers, body. */
export function ResponseView({ response, auth }: { response: TryResponse; auth: TryAuth["kind"] }) {
  const error = response.status >= 400 ? trpcErrorOf(response.body) : null;
  const body = typeof response.body === "string" ? response.body : JSON.stringify(response.body, null, 2);
  return (
    <div className="api-response" data-status={response.status}>
      <p className="api-response-status">
        <strong>
          Status {response.status}
          {response.statusText ? ` ${response.statusText}` : ""}
        </strong>{" "}
        <span className="muted">· {response.ms} ms</span>
      </p>
      {error && (
        <div className="notice notice-error" role="alert">
          <p>
            <strong>{error.code ?? "Error"}</strong>: {error.message}
          </p>
          {error.fieldErrors.length > 0 && (
            <ul>
              {error.fieldErrors.map((f) => (
                <li key={`${f.field}:${f.message}`}>
                  <code>{f.field}</code>: {f.message}
                </li>
              ))}
            </ul>
          )}
          <p className="hint">{hintFor(error.code, auth)}</p>
          {error.requestId && (
            <p className="small">
              Request id <code>{error.requestId}</code>
            </p>
          )}
        </div>
      )}
      <h4>Response headers</h4>
      <dl className="api-headers">
        {response.headers.map(([name, value]) => (
          <div key={name}>
            <dt>{name}</dt>
            <dd>{value}</dd>
          </div>
        ))}
      </dl>
      <h4>Response body</h4>
      <CodeBlock code={body} label="Response body" />
    </div>
  );
}
