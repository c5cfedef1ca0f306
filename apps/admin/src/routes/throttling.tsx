import { createFileRoute } from "@tanstack/react-router";
import { z } from "zod";
import { ThrottlingScreen } from "../features/throttling/ThrottlingScreen";
import { prefetchForStaff } from "../lib/clients";

/** ?organizationId=… opens the form with that organization chosen (from its page, say). */
const search = z.object({ organizationId: z.uuid().optional().catch(undefined) });

export const Route = createFileRoute("/throttling")({
  validateSearch: search,
  loader: ({ context }) => {
    prefetchForStaff(
      context.queries,
      () => void context.queries.throttles.list.prefetch({ active: true, limit: 200 }),
    );
  },
  component: Screen,
});

function Screen() {
  const { organizationId } = Route.useSearch();
  return <ThrottlingScreen key={organizationId ?? ""} organizationId={organizationId} />;
}
