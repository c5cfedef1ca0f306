import { createTRPCQueryUtils } from "@trpc/react-query";
import type { AppRouter } from "@wedsync/api";
import { createQueryClient, createTrpcClient } from "./trpc";

/**
 * An app's one query cache and tRPC client, shared by its React tree and its router's loaders,
 * and tRPC's cache helpers outside React (`queryUtils`), with which route loaders start their
 * screen's queries while its code downloads.
 */
export function createAppClients() {
  const queryClient = createQueryClient();
  const trpcClient = createTrpcClient();
  const queryUtils = createTRPCQueryUtils<AppRouter>({ queryClient, client: trpcClient });
  return { queryClient, trpcClient, queryUtils };
}

export type QueryUtils = ReturnType<typeof createAppClients>["queryUtils"];

/** What every route's loader gets from the router. */
export interface RouterContext {
  queries: QueryUtils;
}

/** Who is signed in, as a loader reads it (null when nobody is). */
export type LoaderSession = Awaited<ReturnType<QueryUtils["auth"]["session"]["ensureData"]>>;
