import { QueryCache, QueryClient } from "@tanstack/react-query";
import { httpBatchLink, httpSubscriptionLink, splitLink } from "@trpc/client";
import { createTRPCReact, getQueryKey } from "@trpc/react-query";
import type { inferRouterOutputs } from "@trpc/server";
import type { AppRouter } from "@wedsync/api";
import superjson from "superjson";
import { isClientError, isUnauthorized } from "./errors";

// Abort a query's request when the component that asked for it goes away (navigation, sign-out):
// its answer is no longer wanted, and after sign-out it would come back 401.
export const trpc = createTRPCReact<AppRouter>({ abortOnUnmount: true });

export type RouterOutputs = inferRouterOutputs<AppRouter>;
/** Who is signed in (auth.session), when someone is. */
export type Session = NonNullable<RouterOutputs["auth"]["session"]>;
export type PlatformConfig = RouterOutputs["platform"]["config"]["get"];

/**
 * Same-origin calls: the session is an httpOnly cookie the browser sends by itself, with queries
 * and mutations as well as with subscriptions (the browser's EventSource, which reconnects by
 * itself and resumes from the last event).
 */
export function createTrpcClient() {
  return trpc.createClient({
    links: [
      splitLink({
        condition: (op) => op.type === "subscription",
        true: httpSubscriptionLink({ url: "/trpc", transformer: superjson }),
        false: httpBatchLink({
          url: "/trpc",
          transformer: superjson,
          fetch: (input, init) => fetch(input, { ...(init as RequestInit), credentials: "same-origin" }),
        }),
      }),
    ],
  });
}

/**
 * auth.session's cache key, for reading and writing the cache through the QueryClient. (trpc.useUtils()
 * cannot be used: the API's top-level `client` router collides with one of its built-in names.)
 */
export const sessionQueryKey = () => getQueryKey(trpc.auth.session, undefined, "query");

/** Whether a cached query is auth.session (tRPC keys start with the procedure path). */
export function isSessionQuery(query: { queryKey: readonly unknown[] }): boolean {
  return JSON.stringify(query.queryKey[0]) === JSON.stringify(sessionQueryKey()[0]);
}

export function createQueryClient(): QueryClient {
  const client: QueryClient = new QueryClient({
    // A session that ends while the page is open: ask auth.session again, which shows the sign-in form.
    queryCache: new QueryCache({
      onError: (err, query) => {
        if (isUnauthorized(err) && !isSessionQuery(query)) {
          void client.invalidateQueries({ queryKey: sessionQueryKey() });
        }
      },
    }),
    defaultOptions: {
      queries: { retry: (failures, err) => failures < 2 && !isClientError(err), staleTime: 30_000 },
    },
  });
  return client;
}
