#!/usr/bin/env node
// `pnpm --filter @wedsync/api build`: the API server as JavaScript, for production (`node dist/main.js`)
// and the migration Job (`node dist/migrate.js`), without tsx.
//
// - Our workspace packages (@wedsync/*, TypeScript sources) are inlined; npm dependencies stay
//   imports, resolved at run time from packages/api/node_modules (a `pnpm install --prod` of
//   @wedsync/api). PGlite, for one, finds its WASM and data files beside its own module.
// - Every npm package the bundle imports must be a dependency of @wedsync/api (not only of
//   @wedsync/core), else a production install would lack it: checked below.
// - `import.meta.url` in our sources keeps meaning "this source file": the migrations folder
//   (`infra/database.ts`) and the apps' dist folders (`app.ts`) are found relative to it, at
//   different depths. In one bundle they would all become dist/main.js, so each occurrence is
//   replaced by the URL its source file would have, computed from the bundle's own location. The
//   bundle therefore needs the repository layout around it (drizzle/, apps/*/dist), as the
//   sources did; the sources themselves need not be there.
import { readFileSync } from "node:fs";
import { dirname, join, relative, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const PACKAGE = dirname(fileURLToPath(import.meta.url));
const OUT = join(PACKAGE, "dist");
const manifest = JSON.parse(readFileSync(join(PACKAGE, "package.json"), "utf8"));
const declared = new Set(Object.keys(manifest.dependencies ?? {}));

/** "drizzle-orm/pg-core" -> "drizzle-orm", "@upstash/redis" -> "@upstash/redis". */
const packageOf = (specifier) =>
  specifier
    .split("/")
    .slice(0, specifier.startsWith("@") ? 2 : 1)
    .join("/");

const externalDependencies = {
  name: "external-dependencies",
  setup(b) {
    const imported = new Set();
    b.onResolve({ filter: /^[^./]/ }, (args) => {
      if (args.path.startsWith("node:") || args.path.startsWith("@wedsync/")) {
        return args.path.startsWith("node:") ? { external: true } : undefined;
      }
      imported.add(packageOf(args.path));
      return { external: true };
    });
    b.onEnd((result) => {
      const missing = [...imported].filter((p) => !declared.has(p)).sort();
      if (missing.length > 0) {
        result.errors.push({
          text: `imported but not in @wedsync/api's dependencies (a production install would lack them): ${missing.join(", ")}`,
        });
      }
    });
  },
};

const sourceFileUrls = {
  name: "source-file-urls",
  setup(b) {
    b.onLoad({ filter: /\.tsx?$/ }, (args) => {
      if (args.path.includes(`${sep}node_modules${sep}`)) return undefined;
      const text = readFileSync(args.path, "utf8");
      if (!text.includes("import.meta.url")) return undefined;
      const fromBundle = relative(OUT, args.path).split(sep).join("/");
      return {
        contents: text.replaceAll(
          "import.meta.url",
          `new URL(${JSON.stringify(fromBundle)}, import.meta.url).href`,
        ),
        loader: args.path.endsWith(".tsx") ? "tsx" : "ts",
      };
    });
  },
};

const result = await build({
  absWorkingDir: PACKAGE,
  entryPoints: { main: "src/main.ts", migrate: "src/migrate.ts" },
  outdir: OUT,
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node20",
  // Stack traces keep the source's names; `NODE_OPTIONS=--enable-source-maps` maps them to lines.
  keepNames: true,
  sourcemap: "linked",
  legalComments: "none",
  logLevel: "warning",
  metafile: true,
  plugins: [externalDependencies, sourceFileUrls],
});
const sizes = Object.entries(result.metafile.outputs)
  .filter(([file]) => file.endsWith(".js"))
  .map(([file, out]) => `${relative(PACKAGE, join(PACKAGE, file))} ${(out.bytes / 1024).toFixed(0)} kB`);
console.log(`built ${sizes.join(", ")}`);
