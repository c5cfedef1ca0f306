import { type Extracted, extracted } from "./text-span";

const LABEL =
  /(?<!\p{L})(?:wedding[ \t]+)?(theme|colou?r[ \t]+(?:scheme|palette)|colou?rs|style|vibe)(?:[ \t]*\/[ \t]*\p{L}+)?[ \t]*(?::|=|->|=>|-|–|is|will[ \t]+be|would[ \t]+be)[ \t]+/giu;
const VALUE = /[^\n.;!?()]{1,120}/y;
const ARTICLE = /^(?:(?:a|an|the|very|much|going[ \t]+to[ \t]+be|something|kind[ \t]+of)[ \t]+)+/i;
/** "a rustic boho theme", "1920s themed wedding": the one or two words before "theme(d)". */
const THEMED =
  /(?<![\p{L}\d])((?:[\p{L}\d][\p{L}\d'’-]{0,30}[ \t]+)?[\p{L}\d][\p{L}\d'’-]{0,30})[ \t]*-?[ \t]*themed?(?!\p{L})/giu;
const STOP = new Set(
  "a an the our my your any no this that what which wedding love like want for of with some".split(" "),
);

export function findTheme(text: string): Extracted<string> | null {
  for (const m of text.matchAll(LABEL)) {
    VALUE.lastIndex = m.index + m[0].length;
    const v = VALUE.exec(text);
    if (!v) continue;
    const lead = ARTICLE.exec(v[0])?.[0].length ?? 0;
    const start = v.index + lead;
    let end = v.index + v[0].length;
    while (end > start && /[\s,:'"-]/.test(text[end - 1]!)) end--;
    if (!/\p{L}/u.test(text.slice(start, end))) continue;
    const confidence = /^theme$/i.test(m[1]!) ? 0.85 : 0.7;
    return extracted(text, text.slice(start, end).replace(/[ \t]+/g, " "), confidence, start, end);
  }
  for (const m of text.matchAll(THEMED)) {
    const words = [...m[1]!.matchAll(/\S+/g)];
    while (words.length > 0 && STOP.has(words[0]![0].toLowerCase())) words.shift();
    const first = words[0];
    const last = words[words.length - 1];
    if (!first || !last || STOP.has(last[0].toLowerCase())) continue;
    const start = m.index + first.index;
    const end = m.index + last.index + last[0].length;
    return extracted(text, text.slice(start, end).replace(/[ \t]+/g, " "), 0.65, start, end);
  }
  return null;
}
