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

type SignedInSession = NonNullable<Awaited<ReturnType<typeof queryUtils.auth.session.ensureData>>>;

/**
 * For a route loader: start a screen's queries while its code downloads, once the session says
 * this person may open the organization (signed out or elsewhere they would answer 401 / 404).
 * `prefetch` gets whether they may change things (owner, admin or staff). Never throws.
 */
export function prefetchInOrganization(
  queries: RouterContext["queries"],
  organizationId: string,
  prefetch: (canAdmin: boolean, session: SignedInSession) => void,
) {
  void queries.auth.session.ensureData().then(
    (session) => {
      if (!session) return;
      const membership = session.organizations.find((o) => o.id === organizationId);
      if (!membership && !session.user.isPlatformStaff) return;
      prefetch(!membership || membership.role !== "member", session);
    },
    () => {},
  );
}
