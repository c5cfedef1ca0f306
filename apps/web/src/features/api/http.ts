import type { ReferenceProcedure } from "./words";

/** How "Try it" authenticates: this browser's session cookie, or an API key pasted in. */
export type TryAuth = { kind: "session" } | { kind: "apiKey"; key: string };

export interface PreparedRequest {
  method: "GET" | "POST";
  url: string;
  /** Headers the page sets itself. */
  headers: Array<[string, string]>;
  /** The session cookie, which the browser adds by itself (shown in the preview, not settable). */
  cookie: boolean;
  body: string | null;
}

/**
 * The exact tRPC-over-HTTP request for a call (superjson's envelope, {"json": input}): a query is
 * GET /trpc/<path>?input=<encoded envelope>, a mutation POST /trpc/<path> with the envelope as the
 * body. `input` undefined: the procedure takes none, and none is sent.
 */
export function buildTrpcRequest(opts: {
  origin: string;
  path: string;
  type: Exclude<ReferenceProcedure["type"], "subscription">;
  input: unknown;
  auth: TryAuth;
}): PreparedRequest {
  const envelope = opts.input === undefined ? null : JSON.stringify({ json: opts.input });
  const base = `${opts.origin}/trpc/${opts.path}`;
  const headers: Array<[string, string]> = [];
  if (opts.auth.kind === "apiKey") headers.push(["Authorization", `Bearer ${opts.auth.key}`]);
  const cookie = opts.auth.kind === "session";
  if (opts.type === "query") {
    const url = envelope === null ? base : `${base}?input=${encodeURIComponent(envelope)}`;
    return { method: "GET", url, headers, cookie, body: null };
  }
  headers.push(["Content-Type", "application/json"]);
  return { method: "POST", url: base, headers, cookie, body: envelope };
}

/** The request as text, the way it goes on the wire: request line, headers, blank line, body. */
export function requestPreview(req: PreparedRequest): string {
  const lines = [`${req.method} ${req.url}`];
  for (const [name, value] of req.headers) lines.push(`${name}: ${value}`);
  if (req.cookie) lines.push("Cookie: wedsync_session=… (your session, added by the browser)");
  if (req.body !== null) lines.push("", req.body);
  return lines.join("\n");
}

export interface TryResponse {
  status: number;
  statusText: string;
  headers: Array<[string, string]>;
  /** Parsed JSON, or the raw text when the answer is not JSON. */
  body: unknown;
  ms: number;
}

/** Sends it: with the session cookie (same origin) or, for a key, with no cookie at all. */
export async function sendRequest(req: PreparedRequest, signal?: AbortSignal): Promise<TryResponse> {
  const started = performance.now();
  const res = await fetch(req.url, {
    method: req.method,
    headers: req.headers,
    credentials: req.cookie ? "same-origin" : "omit",
    ...(req.body !== null && { body: req.body }),
    ...(signal && { signal }),
  });
  const text = await res.text();
  const ms = Math.round(performance.now() - started);
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // Not JSON (a proxy's error page): shown as text.
  }
  return { status: res.status, statusText: res.statusText, headers: [...res.headers.entries()], body, ms };
}

export interface TrpcErrorInfo {
  code: string | null;
  message: string;
  requestId: string | null;
  fieldErrors: Array<{ field: string; message: string }>;
}

/** The error in a tRPC answer ({"error": {"json": {message, data: {code, requestId, …}}}}), or null. */
export function trpcErrorOf(body: unknown): TrpcErrorInfo | null {
  const error = (body as { error?: { json?: unknown } } | null)?.error;
  if (!error) return null;
  const json = (error.json ?? error) as {
    message?: unknown;
    data?: { code?: unknown; requestId?: unknown; fieldErrors?: unknown };
  };
  const data = json.data ?? {};
  return {
    code: typeof data.code === "string" ? data.code : null,
    message: typeof json.message === "string" ? json.message : "The request failed",
    requestId: typeof data.requestId === "string" ? data.requestId : null,
    fieldErrors: Array.isArray(data.fieldErrors) ? (data.fieldErrors as TrpcErrorInfo["fieldErrors"]) : [],
  };
}
