import { createFileRoute, useNavigate } from "@tanstack/react-router";
import { useCallback } from "react";
import { BulkScreen } from "../features/bulk/BulkScreen";
import { type BulkSearch, parseBulkSearch } from "../features/bulk/search";

/** /admin/bulk?orgs=<id>,<id> (chosen in the list) or ?tier=…&q=… (a filter). */
export const Route = createFileRoute("/bulk")({
  validateSearch: parseBulkSearch,
  component: Bulk,
});

function Bulk() {
  const search = Route.useSearch();
  const navigate = useNavigate({ from: Route.fullPath });
  const onSearch = useCallback(
    (next: BulkSearch) => void navigate({ search: next, replace: true }),
    [navigate],
  );
  return <BulkScreen search={search} onSearch={onSearch} />;
}
