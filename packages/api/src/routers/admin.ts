import { router, staffProcedure } from "../trpc";

/** Platform staff only: the view across every organization. */
export const adminRouter = router({
  organizations: router({
    list: staffProcedure.query(({ ctx }) => ctx.services.organizations.listOrganizations()),
  }),
  /** Each AI provider's circuit state, failures and last error. */
  providers: router({
    health: staffProcedure.query(({ ctx }) => ctx.services.ai.checkServiceHealth()),
  }),
});
