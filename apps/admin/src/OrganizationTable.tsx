import { tierLabel } from "@wedsync/ui/format";
import type { RouterOutputs } from "@wedsync/ui/trpc";
import type { MouseEvent } from "react";

type Organization = RouterOutputs["admin"]["organizations"]["list"][number];

/** Every organization; each name opens that organization's configuration. */
export function OrganizationTable({
  organizations,
  selectedId,
  onSelect,
}: {
  organizations: Organization[];
  selectedId: string | null;
  onSelect: (id: string) => void;
}) {
  function open(event: MouseEvent<HTMLAnchorElement>, id: string) {
    if (event.metaKey || event.ctrlKey || event.shiftKey || event.button !== 0) return; // new tab/window
    event.preventDefault();
    onSelect(id);
  }

  return (
    <table className="data">
      <caption>
        Every organization on the platform ({organizations.length}). Choose one to see its configuration.
      </caption>
      <thead>
        <tr>
          <th scope="col">Organization</th>
          <th scope="col">Tier</th>
          <th scope="col" className="num">
            Clients
          </th>
          <th scope="col">Time zone</th>
        </tr>
      </thead>
      <tbody>
        {organizations.map((o) => (
          <tr key={o.id} className={o.id === selectedId ? "selected" : undefined}>
            <th scope="row">
              <a
                href={`?org=${encodeURIComponent(o.id)}`}
                aria-current={o.id === selectedId ? "true" : undefined}
                onClick={(e) => open(e, o.id)}
              >
                {o.name}
              </a>
              <span className="id">{o.slug}</span>
            </th>
            <td>{tierLabel(o.tier)}</td>
            <td className="num">{o.clientCount}</td>
            <td>{o.timezone}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
