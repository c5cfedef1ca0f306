/**
 * A built single-page app under `base`: its screens' addresses get its index.html (with the
 * first-paint data when the app takes it), its files are served as they are, anything else is a
 * real not-found page rather than the dashboard.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { serveStatic } from "@hono/node-server/serve-static";
import type { Context, Env, Hono } from "hono";

export interface SpaOptions {
  /** The element to write into the page for this address (supplier app: first-paint data). */
  firstPaint?: ((c: Context, path: string) => Promise<string | undefined>) | undefined;
}

export function mountSpa<E extends Env>(app: Hono<E>, base: string, dist: string, opts: SpaOptions = {}) {
  const index = join(dist, "index.html");
  if (!existsSync(index)) return;
  if (base) app.get(base, (c) => c.redirect(`${base}/`));
  app.get(`${base}/*`, async (c, next) => {
    const path = c.req.path.slice(base.length) || "/";
    if (!isAppRoute(path)) return next();
    // Read on each request (it is small) so a rebuilt app is served without a restart. The page
    // may carry the signed-in person's data: never kept by a shared cache, always revalidated.
    let html = readFileSync(index, "utf8");
    const element = opts.firstPaint ? await opts.firstPaint(c, path) : undefined;
    if (element) html = html.replace("</body>", `${element}</body>`);
    c.header("cache-control", "private, no-cache");
    c.header("vary", "cookie");
    return c.html(html);
  });
  app.use(
    `${base}/*`,
    serveStatic({
      root: dist,
      rewriteRequestPath: (path: string) => path.slice(base.length) || "/",
      // The build writes brotli and gzip copies (tooling/scripts/compress-dist.mjs): sent as asked.
      precompressed: true,
      onFound: (path, c) => {
        c.header("cache-control", cacheControlFor(path));
        c.header("vary", "accept-encoding");
      },
    }),
  );
  // A missing file or an API-like path is not a screen of the app.
  app.get(`${base}/*`, (c) => {
    c.header("cache-control", "no-cache");
    return c.html(NOT_FOUND_PAGE, 404);
  });
}

/** A path the app's router may own: no file extension in its last segment, not under /api. */
function isAppRoute(path: string): boolean {
  if (/^\/api(\/|$)/.test(path)) return false;
  const last = path.slice(path.lastIndexOf("/") + 1);
  return !last.includes(".");
}

const NOT_FOUND_PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Not found · WedSync</title><link rel="icon" href="data:,"></head>
<body><main><h1>Not found</h1><p>There is nothing at this address.</p><p><a href="/">Go to the WedSync app</a></p></main></body></html>`;

/**
 * Files under assets/ carry a hash of their content in their names (Vite): cached for a year and
 * never revalidated. Everything else (icons) is revalidated on each use, so a new release is
 * picked up at once.
 */
function cacheControlFor(path: string): string {
  return /[\\/]assets[\\/]/.test(path) ? "public, max-age=31536000, immutable" : "no-cache";
}
