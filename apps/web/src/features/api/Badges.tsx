import { ACCESS_WORDS, LEVEL_WORDS, type ReferenceProcedure } from "./words";

const TYPE_SHORT: Record<ReferenceProcedure["type"], string> = {
  query: "Query",
  mutation: "Mutation",
  subscription: "Subscription",
};

export function LevelBadge({ level }: { level: ReferenceProcedure["level"] }) {
  return <span className={`api-badge api-level-${level}`}>{LEVEL_WORDS[level].short}</span>;
}

/** A procedure's marks: type, level, who may call it (staff-only stands out). */
export function ProcedureBadges({ procedure: p }: { procedure: ReferenceProcedure }) {
  return (
    <span className="api-badges">
      <span className={`api-badge api-type-${p.type}`}>{TYPE_SHORT[p.type]}</span>
      <LevelBadge level={p.level} />
      <span className={p.staffOnly ? "api-badge api-staff" : "api-badge"}>
        {ACCESS_WORDS[p.access].short}
      </span>
    </span>
  );
}
