import { useCallback, useEffect, useState } from "react";

function fromLocation(): string | null {
  return new URLSearchParams(window.location.search).get("org");
}

/** The selected organization, kept in the address (?org=<id>) so reload, back and forward work. */
export function useSelectedOrganization() {
  const [selected, setSelected] = useState<string | null>(fromLocation);

  useEffect(() => {
    const onPopState = () => setSelected(fromLocation());
    window.addEventListener("popstate", onPopState);
    return () => window.removeEventListener("popstate", onPopState);
  }, []);

  const select = useCallback((id: string) => {
    window.history.pushState(null, "", `?org=${encodeURIComponent(id)}`);
    setSelected(id);
  }, []);

  return [selected, select] as const;
}
