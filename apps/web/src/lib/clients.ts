import { createTRPCQueryUtils } from "@trpc/react-query";
import type { AppRouter } from "@wedsync/api";
import { createQueryClient, createTrpcClient } from "@wedsync/ui/trpc";

/** The app's one query cache and tRPC client, shared by the React tree and the router's loaders. */
export const queryClient = createQueryClient();
export const trpcClient = createTrpcClient();
/** tRPC's cache helpers outside React: route loaders start their screen's queries with them. */
export const queryUtils = createTRPCQueryUtils<AppRouter>({ queryClient, client: trpcClient });

export interface RouterContext {
  queries: typeof queryUtils;
}
