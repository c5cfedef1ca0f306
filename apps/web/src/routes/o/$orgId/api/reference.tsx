import { createFileRoute } from "@tanstack/react-router";
import { z } from "zod";
import { ReferenceScreen } from "../../../../features/api/ReferenceScreen";

/** ?q= the search, ?p= the open procedure's path: a shared link opens the same procedure. */
const search = z.object({
  q: z.string().max(200).optional().catch(undefined),
  p: z.string().max(200).optional().catch(undefined),
});

export const Route = createFileRoute("/o/$orgId/api/reference")({
  validateSearch: search,
  component: Screen,
});

function Screen() {
  const { q, p } = Route.useSearch();
  const navigate = Route.useNavigate();
  return (
    <ReferenceScreen
      query={q ?? ""}
      selected={p ?? null}
      onQueryChange={(next) =>
        void navigate({ search: (s) => ({ ...s, q: next || undefined }), replace: true })
      }
    />
  );
}
