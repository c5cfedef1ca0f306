/**
 * Route-aware preloading. The router splits every screen into chunks that the browser would only
 * discover once the entry bundle has run (about half a second on a cold load here), and then the
 * screen's API calls wait for those chunks. This plugin writes into index.html a small inline
 * script holding, for each route file, a pattern of the addresses it serves and the chunks it
 * needs; the script adds `<link rel="modulepreload">` for the current address's chunks, so they
 * download and compile while the entry does.
 */
import type { Plugin } from "vite";

/** What the plugin needs of a chunk in Rollup's bundle. */
export interface ChunkFacts {
  fileName: string;
  facadeModuleId: string | null;
  imports: readonly string[];
  isEntry: boolean;
}

/** One row of the table: an address pattern and the files to preload when it matches. */
export type PreloadRow = [pattern: string, files: string[]];

const ROUTES_DIR = "/src/routes/";

/**
 * The address pattern a route file serves, after TanStack Router's file conventions:
 * `route.tsx` is its folder's layout (a prefix of deeper addresses), `index.tsx` its folder's own
 * address, `$name` one path segment, `_name` and `(name)` add no segment. Undefined for files that
 * are not routes (`-name`) and for the root, whose chunks every address needs anyway.
 */
export function routePattern(routeFile: string): string | undefined {
  const parts = routeFile.replace(/\.(t|j)sx?$/, "").split("/");
  if (parts.some((p) => p.startsWith("-"))) return undefined;
  const last = parts.pop();
  if (last === "__root") return undefined;
  const layout = last === "route";
  if (last !== "route" && last !== "index" && last !== undefined) parts.push(last);
  const segments = parts
    .filter((p) => !/^\(.*\)$/.test(p))
    .flatMap((p) => p.split("."))
    .filter((p) => !p.startsWith("_"))
    .map((p) => (p.startsWith("$") ? "[^/]+" : p.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")));
  const path = segments.length ? `/${segments.join("/")}` : "";
  return layout ? `^${path}(?:/|$)` : `^${path}/?$`;
}

/** Every chunk a chunk statically imports, itself included, depth first. */
function closure(fileName: string, byFile: Map<string, ChunkFacts>, into = new Set<string>()): Set<string> {
  if (into.has(fileName)) return into;
  into.add(fileName);
  for (const imported of byFile.get(fileName)?.imports ?? []) closure(imported, byFile, into);
  return into;
}

/**
 * The preload table for a build: for each route file's split component chunk, its pattern and
 * the chunks it needs beyond those the entry already loads. Routes whose files share a pattern
 * (a split of the same file) are merged.
 */
export function preloadTable(chunks: readonly ChunkFacts[]): PreloadRow[] {
  const byFile = new Map(chunks.map((c) => [c.fileName, c]));
  const entryFiles = new Set<string>();
  for (const c of chunks) if (c.isEntry) closure(c.fileName, byFile, entryFiles);
  const rows = new Map<string, Set<string>>();
  for (const c of chunks) {
    const id = c.facadeModuleId;
    if (!id?.includes("tsr-split=component")) continue;
    const at = id.indexOf(ROUTES_DIR);
    if (at < 0) continue;
    const pattern = routePattern(id.slice(at + ROUTES_DIR.length).split("?")[0] ?? "");
    if (!pattern) continue;
    const files = rows.get(pattern) ?? new Set<string>();
    for (const f of closure(c.fileName, byFile)) if (!entryFiles.has(f)) files.add(f);
    rows.set(pattern, files);
  }
  return [...rows].map(([pattern, files]) => [pattern, [...files].sort()]);
}

/** The inline script: match the current address against the table, preload what matches. */
export function preloadScript(table: PreloadRow[], base: string): string {
  return `(function(){var t=${JSON.stringify(table)},p=location.pathname,s={};for(var i=0;i<t.length;i++)if(new RegExp(t[i][0]).test(p))for(var j=0;j<t[i][1].length;j++){var f=t[i][1][j];if(s[f])continue;s[f]=1;var l=document.createElement("link");l.rel="modulepreload";l.href=${JSON.stringify(base)}+f;document.head.appendChild(l)}})()`;
}

export function routePreload(): Plugin {
  let base = "/";
  return {
    name: "wedsync:route-preload",
    apply: "build",
    configResolved(config) {
      base = config.base;
    },
    transformIndexHtml: {
      order: "post",
      handler(html, ctx) {
        if (!ctx.bundle) return;
        const chunks: ChunkFacts[] = [];
        for (const out of Object.values(ctx.bundle)) {
          if (out.type !== "chunk") continue;
          chunks.push({
            fileName: out.fileName,
            facadeModuleId: out.facadeModuleId,
            imports: out.imports,
            isEntry: out.isEntry,
          });
        }
        // Before the stylesheet: a classic script after it would wait for the stylesheet to load.
        const script = `<script>${preloadScript(preloadTable(chunks), base)}</script>`;
        const stylesheet = html.search(/<link rel="stylesheet"/);
        return stylesheet < 0
          ? html.replace("</head>", `${script}</head>`)
          : `${html.slice(0, stylesheet)}${script}\n    ${html.slice(stylesheet)}`;
      },
    },
  };
}
