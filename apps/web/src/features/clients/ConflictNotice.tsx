import type { ClientOverride, OverridableField } from "@wedsync/core/domain";
import { Button } from "react-aria-components";
import type { ClientConfigView } from "./types";
import { FIELD_WORDS, fieldValue } from "./words";

/** What the API sends with a CONFLICT on clients.config.update: the row as it is now. */
export interface Conflict {
  current: ClientConfigView | null;
  currentVersion: number;
}

export function conflictOf(error: unknown): Conflict | null {
  const data = (error as { data?: { code?: string; details?: unknown } } | null)?.data;
  if (data?.code !== "CONFLICT") return null;
  const details = data.details as Partial<Conflict> | null | undefined;
  return { current: details?.current ?? null, currentVersion: details?.currentVersion ?? 0 };
}

/** "Requests a day: 150" for each value set, "inherited" for the rest. */
export function overrideWords(o: Partial<ClientOverride> | null | undefined): string[] {
  return (Object.keys(FIELD_WORDS) as OverridableField[]).flatMap((field) => {
    if (!o || !(field in o)) return [];
    const v = o[field];
    return [`${FIELD_WORDS[field]}: ${v === null || v === undefined ? "inherited" : fieldValue(field, v)}`];
  });
}

/**
 * A save that lost a race: what the other person's save left, what this person meant to change,
 * and the two ways on (apply theirs, or apply mine on top of theirs).
 */
export function ConflictNotice({
  conflict,
  theirs,
  mine,
  pending,
  onReapply,
  onDiscard,
}: {
  conflict: Conflict;
  /** Their state in words (the fields this form shows). */
  theirs: string[];
  /** This person's change in words. */
  mine: string[];
  pending: boolean;
  onReapply: () => void;
  onDiscard: () => void;
}) {
  return (
    <div className="notice cl-conflict" role="alert">
      <p>
        <strong>Someone else saved a change a moment ago</strong> (now version {conflict.currentVersion}), so
        yours was not saved.
      </p>
      <div className="cl-conflict-sides">
        <div>
          <p className="small muted">Now saved</p>
          <ul>
            {theirs.length > 0 ? theirs.map((t) => <li key={t}>{t}</li>) : <li>Everything inherited</li>}
          </ul>
        </div>
        <div>
          <p className="small muted">Your change</p>
          <ul>
            {mine.map((m) => (
              <li key={m}>{m}</li>
            ))}
          </ul>
        </div>
      </div>
      <div className="toolbar">
        <Button className="primary" onPress={onReapply} isPending={pending}>
          Apply my change on top
        </Button>
        <Button className="secondary" onPress={onDiscard} isDisabled={pending}>
          Keep theirs
        </Button>
      </div>
    </div>
  );
}
