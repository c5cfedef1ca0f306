import { useIsMutating, useQueryClient } from "@tanstack/react-query";
import { getMutationKey } from "@trpc/react-query";
import { isSessionQuery, type Session, sessionQueryKey, trpc } from "./trpc";

/** Sign in: the answer is what auth.session would say, so store it instead of asking again. */
export function useSignIn() {
  const queryClient = useQueryClient();
  return trpc.auth.login.useMutation({
    onSuccess: (session) => queryClient.setQueryData<Session>(sessionQueryKey(), session),
  });
}

/**
 * Sign out. While the server ends the session, SessionGate shows "Signing out…" instead of the
 * signed-in pages: they unmount, which aborts their requests and closes their live streams (a
 * request still running when the session ends would come back 401), and the sign-in form only
 * appears once the server has answered, so signing straight back in cannot race the logout's
 * cleared cookie. Then forget everything cached for this person and ask auth.session again.
 */
export function useSignOut() {
  const queryClient = useQueryClient();
  return trpc.auth.logout.useMutation({
    onMutate: () => queryClient.cancelQueries({ predicate: (q) => !isSessionQuery(q) }),
    onSettled: async () => {
      queryClient.removeQueries({ predicate: (q) => !isSessionQuery(q) });
      await queryClient.resetQueries({ queryKey: sessionQueryKey() });
    },
  });
}

/** Whether a sign-out is in progress (the logout request has not been answered yet). */
export function useSigningOut(): boolean {
  return useIsMutating({ mutationKey: getMutationKey(trpc.auth.logout) }) > 0;
}

/** After switching organization: ask auth.session again (its currentOrganizationId drives the page). */
export function useSwitchOrganization() {
  const queryClient = useQueryClient();
  return trpc.auth.switchOrganization.useMutation({
    onSuccess: () => queryClient.invalidateQueries({ queryKey: sessionQueryKey() }),
  });
}
