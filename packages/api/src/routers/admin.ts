import { router, staffProcedure } from "../trpc";

/** Platform staff only: the view across every organization. */
export const adminRouter = router({
  organizations: router({
    list: staffProcedure.query(({ ctx }) => ctx.services.organizations.listOrganizations()),
  }),
});
