import { createAppClients, type RouterContext } from "@wedsync/ui/clients";

/** The app's one query cache and tRPC client, shared by the React tree and the router's loaders. */
export const { queryClient, trpcClient, queryUtils } = createAppClients();
export type { RouterContext };

/**
 * For a route loader: start a screen's queries while its code downloads, once the session says a
 * member of platform staff is signed in (anyone else would get 401 or 403). Never throws.
 */
export function prefetchForStaff(queries: RouterContext["queries"], prefetch: () => void) {
  void queries.auth.session.ensureData().then(
    (session) => {
      if (session?.user.isPlatformStaff) prefetch();
    },
    () => {},
  );
}
