/**
 * How alike two field names are, after normalising away spelling differences: case,
 * punctuation, camelCase/snake_case, plurals, accents, and common wedding-form synonyms
 * ("bride" = "partner 1", "headcount" = "guest count", "e-mail" = "email").
 */

/** Multi-word phrases first (longest first), on stemmed tokens: they become one canonical token. */
const PHRASES: Array<[string[], string]> = [
  [["date", "of", "wedding"], "date"],
  [["number", "of", "guest"], "guest"],
  [["no", "of", "guest"], "guest"],
  [["first", "partner"], "partner1"],
  [["second", "partner"], "partner2"],
  ...(["partner", "person", "spouse", "client"].flatMap((w) => [
    [[w, "1"], "partner1"],
    [[w, "one"], "partner1"],
    [[w, "a"], "partner1"],
    [[w, "2"], "partner2"],
    [[w, "two"], "partner2"],
    [[w, "b"], "partner2"],
  ]) as Array<[string[], string]>),
  [["guest", "count"], "guest"],
  [["guest", "number"], "guest"],
  [["head", "count"], "guest"],
  [["num", "guest"], "guest"],
  [["wedding", "date"], "date"],
  [["event", "date"], "date"],
  [["ceremony", "date"], "date"],
  [["big", "day"], "date"],
  [["e", "mail"], "email"],
  [["email", "address"], "email"],
  [["phone", "number"], "phone"],
  [["contact", "number"], "phone"],
  [["mobile", "number"], "phone"],
  [["telephone", "number"], "phone"],
  [["price", "range"], "budget"],
];

const SYNONYMS: Record<string, string> = {
  bride: "partner1",
  groom: "partner2",
  telephone: "phone",
  tel: "phone",
  mobile: "phone",
  cell: "phone",
  cellphone: "phone",
  location: "venue",
  place: "venue",
  headcount: "guest",
  attendee: "guest",
  pax: "guest",
  spend: "budget",
  spending: "budget",
  colour: "color",
  favorite: "favourite",
  surname: "lastname",
  mail: "email",
};

/** Words that say nothing about which field it is ("bride_name" and "Partner 1 name" are the same field). */
const NOISE = new Set(["the", "of", "a", "an", "your", "our", "my", "name", "field", "please", "enter"]);

function stem(t: string): string {
  return t.length > 3 && t.endsWith("s") && !t.endsWith("ss") ? t.slice(0, -1) : t;
}

export function normaliseName(name: string): string[] {
  const spaced = name
    .replace(/([\p{Ll}\d])(\p{Lu})/gu, "$1 $2")
    .replace(/(\p{Lu})(\p{Lu}\p{Ll})/gu, "$1 $2")
    .replace(/(\p{L})(\d)/gu, "$1 $2")
    .normalize("NFKD")
    .replace(/\p{M}/gu, "")
    .toLowerCase();
  let tokens = spaced
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean)
    .map(stem);
  for (const [phrase, canonical] of PHRASES) tokens = replacePhrase(tokens, phrase, canonical);
  tokens = tokens.map((t) => SYNONYMS[t] ?? t);
  const meaningful = tokens.filter((t) => !NOISE.has(t));
  return meaningful.length > 0 ? meaningful : tokens;
}

function replacePhrase(tokens: string[], phrase: string[], canonical: string): string[] {
  const out: string[] = [];
  for (let i = 0; i < tokens.length; i++) {
    if (phrase.every((p, k) => tokens[i + k] === p)) {
      out.push(canonical);
      i += phrase.length - 1;
    } else out.push(tokens[i]!);
  }
  return out;
}

/** Edit distance counting an adjacent swap as one edit ("bugdet"/"budget"); names are short. */
export function editDistance(a: string, b: string): number {
  let prev2: number[] = [];
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      let d = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        d = Math.min(d, prev2[j - 2]! + 1);
      cur.push(d);
    }
    prev2 = prev;
    prev = cur;
  }
  return prev[b.length]!;
}

/**
 * 1 for equal tokens; a typo-level match ("adress"/"address") scores its normalised edit
 * similarity when both are long enough to carry a typo and neither holds a digit (so
 * "partner1" never fuzzily equals "partner2").
 */
function tokenSimilarity(a: string, b: string): number {
  if (a === b) return 1;
  if (a.length < 5 || b.length < 5 || /\d/.test(a + b)) return 0;
  const sim = 1 - editDistance(a, b) / Math.max(a.length, b.length);
  return sim >= 0.8 ? sim : 0;
}

/**
 * Qualifiers that tell fields apart however similar the rest is: "bride email" is never
 * "partner 2 email", "ceremony venue" is never "reception venue".
 */
const EXCLUSIVE = [
  ["partner1", "partner2"],
  ["ceremony", "reception"],
  ["start", "end", "finish"],
];

function conflicting(a: string[], b: string[]): boolean {
  return EXCLUSIVE.some((group) => {
    const inA = group.filter((t) => a.includes(t));
    const inB = group.filter((t) => b.includes(t));
    return inA.length > 0 && inB.length > 0 && !inA.some((t) => inB.includes(t));
  });
}

/**
 * 0..1: half soft token Jaccard, a fifth containment (|A∩B| / min), and the rest for sharing the
 * head noun (the last token), so "venue" is close to "ceremony venue" but "bride email" is not
 * close to "bride name".
 */
export function nameSimilarity(a: string[], b: string[]): number {
  if (a.length === 0 || b.length === 0 || conflicting(a, b)) return 0;
  const used = new Set<number>();
  let shared = 0;
  for (const x of a) {
    let bestJ = -1;
    let bestSim = 0;
    b.forEach((y, j) => {
      const s = used.has(j) ? 0 : tokenSimilarity(x, y);
      if (s > bestSim) {
        bestSim = s;
        bestJ = j;
      }
    });
    if (bestJ >= 0) {
      used.add(bestJ);
      shared += bestSim;
    }
  }
  const jaccard = shared / (a.length + b.length - shared);
  const containment = shared / Math.min(a.length, b.length);
  const head = tokenSimilarity(a[a.length - 1]!, b[b.length - 1]!);
  return Math.min(1, 0.5 * jaccard + 0.2 * containment + 0.3 * head);
}
