import {
  createTRPCClient,
  httpBatchLink,
  httpSubscriptionLink,
  isTRPCClientError,
  retryLink,
  splitLink,
  type TRPCClientError,
  type TRPCLink,
} from "@trpc/client";
import type { inferRouterInputs, inferRouterOutputs } from "@trpc/server";
import type { AppRouter } from "@wedsync/api";
import { EventSource } from "eventsource";
import superjson from "superjson";

export type { AppRouter };
export type RouterInputs = inferRouterInputs<AppRouter>;
export type RouterOutputs = inferRouterOutputs<AppRouter>;
export type WedsyncClientError = TRPCClientError<AppRouter>;
export type WedsyncClient = ReturnType<typeof createTRPCClient<AppRouter>>;

/** Whether a thrown value is the platform's answer (code, fieldErrors, details, requestId in `data`). */
export function isWedsyncError(err: unknown): err is WedsyncClientError {
  return isTRPCClientError<AppRouter>(err);
}

export interface WedsyncClientOptions {
  /** Base URL of the platform, e.g. "https://ai.example.com" (the client adds /trpc). */
  url: string;
  /** An organization API key ("wsk_..."), sent as Authorization: Bearer. */
  apiKey?: string;
  /** Extra headers on every request (e.g. a session cookie for server-side callers). */
  headers?: Record<string, string> | (() => Record<string, string>);
  /** A fetch implementation; the global one by default. */
  fetch?: typeof fetch;
  /**
   * Queries (reads, safe to repeat) that fail with 503 SERVICE_UNAVAILABLE or never reach the
   * platform are retried with exponential backoff and jitter. Mutations are never retried here: a
   * document to process is retried by sending it again with the same idempotencyKey, which the
   * platform answers once. `false` turns retries off.
   */
  retry?: RetryOptions | false;
}

export interface RetryOptions {
  /** Retries after the first attempt (default 3). */
  retries?: number;
  /** The first retry's delay in ms; each next one doubles it, up to maxDelayMs (defaults 250 and 4000). */
  baseDelayMs?: number;
  maxDelayMs?: number;
}

/** Whether a failed call may be made again: a read, refused for a moment or lost on the way. */
export function isRetryable(op: { type: string }, error: { data?: { httpStatus?: number } | null }): boolean {
  if (op.type !== "query") return false;
  const status = error.data?.httpStatus;
  // No status: the request or its answer was lost (connection refused, reset); 503: try again later.
  return status === undefined || status === 503;
}

/** The wait before retry number `attempt` (1-based): exponential, capped, with full jitter. */
export function retryDelay(attempt: number, opts: RetryOptions = {}, random = Math.random): number {
  const base = opts.baseDelayMs ?? 250;
  const cap = Math.min(opts.maxDelayMs ?? 4_000, base * 2 ** (attempt - 1));
  return Math.round(cap / 2 + (random() * cap) / 2);
}

function links(opts: WedsyncClientOptions): TRPCLink<AppRouter>[] {
  const url = `${opts.url.replace(/\/$/, "")}/trpc`;
  const headers = () => {
    const extra = typeof opts.headers === "function" ? opts.headers() : (opts.headers ?? {});
    return opts.apiKey ? { ...extra, authorization: `Bearer ${opts.apiKey}` } : extra;
  };
  const baseFetch = opts.fetch ?? fetch;
  const retry = opts.retry === false ? null : (opts.retry ?? {});
  return [
    ...(retry
      ? [
          retryLink<AppRouter>({
            retry: ({ op, error, attempts }) => attempts <= (retry.retries ?? 3) && isRetryable(op, error),
            retryDelayMs: (attempt) => retryDelay(attempt, retry),
          }),
        ]
      : []),
    splitLink({
      // Subscriptions (platform.onConfigChange, clients.onConfigChange, usage.onUsage) are
      // Server-Sent Events; the EventSource reconnects by itself and resumes from the last event.
      condition: (op) => op.type === "subscription",
      true: httpSubscriptionLink({
        url,
        transformer: superjson,
        EventSource,
        eventSourceOptions: () => ({
          fetch: (input, init) => baseFetch(input, { ...init, headers: { ...init.headers, ...headers() } }),
        }),
      }),
      false: httpBatchLink({
        url,
        transformer: superjson,
        headers,
        ...(opts.fetch && { fetch: opts.fetch }),
      }),
    }),
  ];
}

/** The fully typed client another TypeScript service uses to call the platform. */
export function createWedsyncClient(opts: WedsyncClientOptions): WedsyncClient {
  return createTRPCClient<AppRouter>({ links: links(opts) });
}

/** Holds the session cookie for a session client; read it to inspect or reuse the session. */
export interface CookieJar {
  cookie: string;
}

/**
 * A client that signs in with email and password and keeps the session cookie itself
 * (for scripts and server-side callers without a browser's cookie jar).
 */
export function createWedsyncSessionClient(
  opts: Omit<WedsyncClientOptions, "apiKey" | "headers"> & { jar?: CookieJar },
): WedsyncClient {
  const jar = opts.jar ?? { cookie: "" };
  const baseFetch = opts.fetch ?? fetch;
  const cookieFetch: typeof fetch = async (input, init) => {
    const headers = new Headers(init?.headers);
    if (jar.cookie) headers.set("cookie", jar.cookie);
    const res = await baseFetch(input, { ...init, headers });
    for (const set of res.headers.getSetCookie()) {
      const pair = set.split(";")[0] ?? "";
      jar.cookie = pair.slice(pair.indexOf("=") + 1) ? pair : "";
    }
    return res;
  };
  return createWedsyncClient({ ...opts, fetch: cookieFetch });
}
