import { useQueryClient } from "@tanstack/react-query";
import { isSessionQuery, type Session, sessionQueryKey, trpc } from "./trpc";

/** Sign in: the answer is what auth.session would say, so store it instead of asking again. */
export function useSignIn() {
  const queryClient = useQueryClient();
  return trpc.auth.login.useMutation({
    onSuccess: (session) => queryClient.setQueryData<Session>(sessionQueryKey(), session),
  });
}

/**
 * Sign out, forget everything cached for this person, and ask auth.session again: it answers
 * null, which shows the sign-in form.
 */
export function useSignOut() {
  const queryClient = useQueryClient();
  return trpc.auth.logout.useMutation({
    onSettled: async () => {
      queryClient.removeQueries({ predicate: (q) => !isSessionQuery(q) });
      await queryClient.resetQueries({ queryKey: sessionQueryKey() });
    },
  });
}

/** After switching organization: ask auth.session again (its currentOrganizationId drives the page). */
export function useSwitchOrganization() {
  const queryClient = useQueryClient();
  return trpc.auth.switchOrganization.useMutation({
    onSuccess: () => queryClient.invalidateQueries({ queryKey: sessionQueryKey() }),
  });
}
