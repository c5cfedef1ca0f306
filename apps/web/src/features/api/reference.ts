import { groupWords, LEVEL_WORDS, type ReferenceDocument, type ReferenceProcedure } from "./words";

export interface ProcedureGroup {
  group: string;
  title: string;
  /** The group's level when all its procedures share one (clients: client-level). */
  level: ReferenceProcedure["level"] | "mixed";
  procedures: ReferenceProcedure[];
}

/** What a search matches: the path, the group's words, the description, the level's words. */
function haystack(p: ReferenceProcedure): string {
  return [p.path, groupWords(p.group), p.description ?? "", LEVEL_WORDS[p.level].short, p.type]
    .join(" ")
    .toLowerCase();
}

/** The reference's procedures in the API's group order, filtered by every word of `query`. */
export function groupProcedures(doc: ReferenceDocument, query = ""): ProcedureGroup[] {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  const matches = (p: ReferenceProcedure) => {
    const text = haystack(p);
    return words.every((w) => text.includes(w));
  };
  return doc.groups
    .map((group) => {
      const procedures = doc.procedures.filter((p) => p.group === group && matches(p));
      const levels = new Set(procedures.map((p) => p.level));
      return {
        group,
        title: groupWords(group),
        level: levels.size === 1 ? [...levels][0]! : ("mixed" as const),
        procedures,
      };
    })
    .filter((g) => g.procedures.length > 0);
}
