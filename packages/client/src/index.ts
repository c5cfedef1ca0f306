import {
  createTRPCClient,
  httpBatchLink,
  httpSubscriptionLink,
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

export interface WedsyncClientOptions {
  /** Base URL of the platform, e.g. "https://ai.example.com" (the client adds /trpc). */
  url: string;
  /** An organization API key ("wsk_..."), sent as Authorization: Bearer. */
  apiKey?: string;
  /** Extra headers on every request (e.g. a session cookie for server-side callers). */
  headers?: Record<string, string> | (() => Record<string, string>);
  /** A fetch implementation; the global one by default. */
  fetch?: typeof fetch;
}

function links(opts: WedsyncClientOptions): TRPCLink<AppRouter>[] {
  const url = `${opts.url.replace(/\/$/, "")}/trpc`;
  const headers = () => {
    const extra = typeof opts.headers === "function" ? opts.headers() : (opts.headers ?? {});
    return opts.apiKey ? { ...extra, authorization: `Bearer ${opts.apiKey}` } : extra;
  };
  const baseFetch = opts.fetch ?? fetch;
  return [
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
