import type { DiffLine } from "./audit";

/** Settings that changed, each "before → after" (read as "from … to …"), or only the value a first setup gave it. */
export function DiffList({ lines, label }: { lines: readonly DiffLine[]; label: string }) {
  return (
    <ul className="diff" aria-label={label}>
      {lines.map((l) => (
        <li key={l.field} data-field={l.field}>
          <span className="diff-field">{l.label}:</span>{" "}
          {l.before !== null && (
            <>
              <span className="visually-hidden">from </span>
              <span className="diff-before">{l.before}</span> <span aria-hidden="true">→</span>
              <span className="visually-hidden"> to</span>{" "}
            </>
          )}
          <span className="diff-after">{l.after}</span>
        </li>
      ))}
    </ul>
  );
}
