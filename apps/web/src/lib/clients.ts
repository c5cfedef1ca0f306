import { createAppClients, type LoaderSession, type RouterContext } from "@wedsync/ui/clients";

/** The app's one query cache and tRPC client, shared by the React tree and the router's loaders. */
export const { queryClient, trpcClient, queryUtils } = createAppClients();
export type { RouterContext };

type SignedInSession = NonNullable<LoaderSession>;

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
      prefetch(membership?.role !== "member", session);
    },
    () => {},
  );
}
