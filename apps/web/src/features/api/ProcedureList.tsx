import type { ReactNode } from "react";
import { LevelBadge, ProcedureBadges } from "./Badges";
import type { ProcedureGroup } from "./reference";
import type { ReferenceProcedure } from "./words";

/**
 * The reference's procedures grouped by router, each marked platform- or client-level, with its
 * type and who may call it. `renderLink` makes each one a link to its own address.
 */
export function ProcedureList({
  groups,
  selected,
  renderLink,
}: {
  groups: ProcedureGroup[];
  selected: string | null;
  renderLink: (procedure: ReferenceProcedure, current: boolean, children: ReactNode) => ReactNode;
}) {
  return (
    <div className="api-proc-list">
      {groups.map((g) => (
        <section key={g.group} aria-labelledby={`api-group-${g.group}`} data-group={g.group}>
          <h3 id={`api-group-${g.group}`}>
            {g.title} {g.level !== "mixed" && <LevelBadge level={g.level} />}
          </h3>
          <ul>
            {g.procedures.map((p) => (
              <li key={p.path} data-path={p.path}>
                {renderLink(
                  p,
                  p.path === selected,
                  <>
                    <code className="api-path">{p.path}</code>
                    <ProcedureBadges procedure={p} />
                  </>,
                )}
              </li>
            ))}
          </ul>
        </section>
      ))}
    </div>
  );
}
