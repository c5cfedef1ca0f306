import { z } from "zod";
import { clearSessionCookie, setSessionCookie } from "../auth/cookies";
import { authedProcedure, memberProcedure, publicProcedure, router, userProcedure } from "../trpc";

export const authRouter = router({
  /** Email + password; sets the httpOnly session cookie and returns who you are. */
  login: publicProcedure
    .input(z.object({ email: z.email().max(254), password: z.string().min(1).max(200) }))
    .mutation(async ({ ctx, input }) => {
      const { token, expiresAt } = await ctx.services.auth.login({ ...input, ip: ctx.clientIp });
      setSessionCookie(ctx.resHeaders, token, expiresAt, ctx.secureCookies);
      const principal = await ctx.services.auth.resolveSession(token);
      return ctx.services.auth.describe(principal!);
    }),

  logout: userProcedure.mutation(async ({ ctx }) => {
    await ctx.services.auth.logout(ctx.principal.sessionId);
    clearSessionCookie(ctx.resHeaders, ctx.secureCookies);
    return { ok: true as const };
  }),

  /** Who is signed in, or null: lets a page decide between sign-in form and dashboard without an error. */
  session: publicProcedure.query(({ ctx }) =>
    ctx.principal?.kind === "user" ? ctx.services.auth.describe(ctx.principal) : null,
  ),

  /** The signed-in user and their organizations, or the API key's organization and role. */
  me: authedProcedure.query(async ({ ctx }) => {
    const p = ctx.principal;
    if (p.kind === "apiKey") {
      return {
        kind: "apiKey" as const,
        apiKey: { id: p.apiKeyId, organizationId: p.organizationId, role: p.role },
      };
    }
    return { kind: "user" as const, ...(await ctx.services.auth.describe(p)) };
  }),

  /** Make another of your organizations the current one for this session. */
  switchOrganization: memberProcedure.mutation(async ({ ctx }) => {
    if (ctx.principal.kind !== "user") return { organizationId: ctx.scope.organizationId };
    await ctx.services.auth.switchOrganization(ctx.principal, ctx.scope);
    return { organizationId: ctx.scope.organizationId };
  }),
});
