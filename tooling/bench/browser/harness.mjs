// What the browser benchmark (tooling/bench/browser/run.ts) and the screenshots
// (tooling/scripts/screens.mjs) share: the real server on its own port and throwaway database
// (as tooling/e2e/playwright.config.ts starts it), Debian's Chromium, a demo sign-in, the supplier
// app's screens, and when a screen counts as ready. Plain JavaScript so that both a tsx script and
// a bare `node` script can import it (types in harness.d.mts).
import { spawn } from "node:child_process";
import { existsSync, readdirSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { connect } from "node:net";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

export const REPO_ROOT = fileURLToPath(new URL("../../..", import.meta.url));
export const DEMO_PASSWORD = "wedsync-demo";
export const DEMO_ORGANIZATION = "Evermore Wedding Planners";

/** The same flags as the end-to-end tests' Chromium (tooling/e2e/playwright.config.ts). */
export const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

/** The built supplier app to serve: WEB_DIST, or apps/web/dist. */
export function webDistFromEnv() {
  return process.env.WEB_DIST ?? join(REPO_ROOT, "apps", "web", "dist");
}

/**
 * Refuses a folder without a build (the tools never build: a build can take minutes, and which one
 * to measure is the caller's choice). `compressed` says whether the build has the brotli copies
 * that `pnpm build` writes; without them the server sends scripts uncompressed.
 */
export function checkBuild(dist) {
  if (!existsSync(join(dist, "index.html"))) {
    throw new Error(
      `${dist} has no index.html: build the supplier app first (\`pnpm build\` from the repository root, ` +
        "or `vite build --outDir <dir>` in apps/web then `node tooling/scripts/compress-dist.mjs <dir>` and WEB_DIST=<dir>)",
    );
  }
  const assets = join(dist, "assets");
  const compressed = existsSync(assets) && readdirSync(assets).some((f) => f.endsWith(".js.br"));
  return { compressed };
}

function portInUse(port) {
  return new Promise((resolve) => {
    const socket = connect({ port, host: "127.0.0.1" });
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
  });
}

/**
 * The API server (packages/api, `node --import tsx src/main.ts`) serving `webDist`, on a fresh
 * PGlite database in `dataDir` with the demo data. Resolves once /healthz answers.
 */
export async function startServer({ port, dataDir, webDist }) {
  // A server already there would answer /healthz and be measured in our place.
  if (await portInUse(port)) throw new Error(`port ${port} is already in use: choose another with --port`);
  rmSync(dataDir, { recursive: true, force: true });
  const env = {
    ...process.env,
    DATA_DIR: dataDir,
    WEB_DIST: webDist,
    PORT: String(port),
    HOST: "127.0.0.1",
    LOG_LEVEL: "warn",
    SEED_DEMO: "true",
    // One sign-in per run and person, but keep the login rate limit out of the way of reruns.
    LOGIN_LIMIT_PER_EMAIL: "1000",
    LOGIN_LIMIT_PER_IP: "1000",
  };
  // Its own PGlite database: never the PostgreSQL or Redis that CI points the integration tests at.
  delete env.DATABASE_URL;
  delete env.REDIS_URL;
  const child = spawn(process.execPath, ["--import", "tsx", "src/main.ts"], {
    cwd: join(REPO_ROOT, "packages", "api"),
    env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  const output = [];
  const keep = (chunk) => {
    output.push(...String(chunk).split("\n").filter(Boolean));
    output.splice(0, Math.max(0, output.length - 40));
  };
  child.stdout.on("data", keep);
  child.stderr.on("data", keep);
  let exited = false;
  const exit = new Promise((resolve) => child.once("exit", resolve));
  void exit.then(() => {
    exited = true;
  });
  const killOnExit = () => child.kill("SIGKILL");
  process.once("exit", killOnExit);

  const baseURL = `http://127.0.0.1:${port}`;
  const stop = async () => {
    process.off("exit", killOnExit);
    if (!exited) {
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), 5_000);
      await exit;
      clearTimeout(timer);
    }
    rmSync(dataDir, { recursive: true, force: true });
  };
  const deadline = Date.now() + 90_000;
  for (;;) {
    if (exited) {
      await stop();
      throw new Error(`the server stopped while starting:\n${output.join("\n")}`);
    }
    try {
      const res = await fetch(`${baseURL}/healthz`);
      if (res.ok) break;
    } catch {
      // Not listening yet.
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`the server did not answer ${baseURL}/healthz within 90 s:\n${output.join("\n")}`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  return { baseURL, stop, output: () => output.join("\n") };
}

/**
 * The workspace's one Playwright (tooling/e2e's @playwright/test, unless tooling/bench gets its
 * own): the same version the end-to-end tests drive Chromium with.
 */
async function playwright() {
  for (const pkg of ["tooling/bench/package.json", "tooling/e2e/package.json"]) {
    let path;
    try {
      path = createRequire(join(REPO_ROOT, pkg)).resolve("@playwright/test");
    } catch {
      continue;
    }
    const mod = await import(pathToFileURL(path).href);
    return mod.chromium ? mod : mod.default;
  }
  throw new Error("@playwright/test is not installed: run `pnpm install` from the repository root");
}

/** Debian's Chromium (CHROMIUM_PATH, or /usr/bin/chromium); never a downloaded browser. */
export async function launchChromium() {
  const executablePath = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
  if (!existsSync(executablePath)) {
    throw new Error(`${executablePath} not found: apt-get install chromium, or set CHROMIUM_PATH`);
  }
  const { chromium } = await playwright();
  return chromium.launch({ executablePath, args: CHROMIUM_ARGS });
}

/** tRPC over HTTP with a context's cookies (superjson's { json } envelope). */
async function trpc(request, path, input, method = "get") {
  const res =
    method === "get"
      ? await request.get(`/trpc/${path}?input=${encodeURIComponent(JSON.stringify({ json: input }))}`)
      : await request.post(`/trpc/${path}`, { data: { json: input } });
  if (!res.ok()) throw new Error(`${path}: HTTP ${res.status()} ${await res.text()}`);
  return (await res.json()).result.data.json;
}

/**
 * Signs a demo person in once and returns the session (a storage state for new contexts, which
 * then start with the cookie and nothing else), with the demo organization's id and one of its
 * clients (the first listed) for the screens' addresses.
 */
export async function signIn(browser, baseURL, email) {
  const context = await browser.newContext({ baseURL });
  try {
    await trpc(context.request, "auth.login", { email, password: DEMO_PASSWORD }, "post");
    const session = await trpc(context.request, "auth.session", undefined);
    const org = session.organizations.find((o) => o.name === DEMO_ORGANIZATION) ?? session.organizations[0];
    if (!org) throw new Error(`${email} is not a member of any organization`);
    const { clients } = await trpc(context.request, "clients.list", { organizationId: org.id, limit: 5 });
    if (!clients[0]) throw new Error(`${org.name} has no clients`);
    return { storageState: await context.storageState(), orgId: org.id, clientId: clients[0].id };
  } finally {
    await context.close();
  }
}

const INQUIRY =
  "Hi! We're getting married on 14 June 2026 at Hartwell Manor in the Cotswolds, about 120 guests. " +
  "Could you send your florist packages? Thanks, Priya & Tom (priya.tom@example.com)";

/**
 * The demo data has no AI usage: `count` requests through `clients.process` (field extraction and
 * smart mapping in turn, over the organization's first clients, four at a time), so that
 * analytics, quotas and billing have something to draw. The demo configuration refuses some
 * (its second client has field extraction switched off): refusals are usage too.
 */
export async function sendDemoUsage(browser, baseURL, session, count) {
  const context = await browser.newContext({ baseURL, storageState: session.storageState });
  try {
    const { clients } = await trpc(context.request, "clients.list", {
      organizationId: session.orgId,
      limit: 6,
    });
    const tally = { done: 0, refused: 0 };
    let next = 0;
    const worker = async () => {
      while (next < count) {
        const i = next++;
        const clientId = clients[i % clients.length].id;
        const request =
          // Each client gets both features in turn over the passes.
          Math.floor(i / clients.length) % 2 === 0
            ? { featureType: "field_extraction", input: { text: INQUIRY } }
            : {
                featureType: "smart_mapping",
                input: {
                  sourceFields: [
                    { name: "bride_name", value: "Priya" },
                    { name: "wedding_date", value: "2026-06-14" },
                    { name: "guests", value: "120" },
                  ],
                  targetLabels: ["Couple", "Wedding date", "Guest count"],
                },
              };
        try {
          await trpc(
            context.request,
            "clients.process",
            { organizationId: session.orgId, clientId, ...request },
            "post",
          );
          tally.done++;
        } catch {
          tally.refused++;
        }
      }
    };
    await Promise.all([worker(), worker(), worker(), worker()]);
    return tally;
  } finally {
    await context.close();
  }
}

/**
 * The supplier app's screens for one organization: `name` is a file-friendly key, `label` the
 * section's name in the app.
 */
export function supplierScreens({ orgId, clientId }) {
  const o = `/o/${orgId}`;
  return [
    { name: "config", label: "AI configuration", path: `${o}/config` },
    { name: "clients", label: "Clients", path: `${o}/clients` },
    { name: "client", label: "Client (one wedding)", path: `${o}/clients/${clientId}` },
    { name: "quotas", label: "Quotas & live cost", path: `${o}/quotas` },
    { name: "analytics", label: "Usage analytics", path: `${o}/analytics` },
    { name: "billing", label: "Billing", path: `${o}/billing` },
    { name: "alerts", label: "Alerts", path: `${o}/alerts` },
    { name: "api", label: "API & keys", path: `${o}/api` },
  ];
}

/** Screens outside an organization: the sign-in form (signed out) and the app's not-found page. */
export const SIGN_IN_SCREEN = { name: "sign-in", label: "Sign in (signed out)", path: "/" };
export const NOT_FOUND_SCREEN = { name: "not-found", label: "Not found", path: "/no-such-page" };

/**
 * Installed in every page before its scripts (context.addInitScript): watches the document and
 * keeps in window.__wsReadyAt the time, on the page's own clock (ms since navigation start), at
 * which it last became ready, or undefined while it is not. Ready: the main region (main#main, or
 * the one <main> of the sign-in and server pages) shows a visible h1, and no role=status element
 * in it says "Loading…".
 */
export const READY_SCRIPT = `(() => {
  const isReady = () => {
    const main = document.querySelector("main#main") ?? document.querySelector("main");
    const h1 = main?.querySelector("h1");
    if (!h1 || !h1.checkVisibility()) return false;
    for (const s of main.querySelectorAll('[role="status"]')) {
      if (/^\\s*Loading/.test(s.textContent ?? "")) return false;
    }
    return true;
  };
  window.__wsIsReady = isReady;
  const check = () => {
    if (!isReady()) window.__wsReadyAt = undefined;
    else if (window.__wsReadyAt === undefined) window.__wsReadyAt = performance.now();
  };
  // Attributes that can show or hide a heading or a status; not every attribute (a chart's
  // animation changes hundreds a frame, and each check lays the page out).
  new MutationObserver(check).observe(document, {
    subtree: true, childList: true, characterData: true,
    attributes: true, attributeFilter: ["hidden", "class", "style", "role", "open"],
  });
  document.addEventListener("DOMContentLoaded", check);
})();`;

/**
 * Waits until the page has been ready (READY_SCRIPT) for `stableMs` without a break, so a screen
 * that shows its heading, then starts loading a second query, is not taken as ready in between.
 * Returns the moment it became ready, in ms since navigation start.
 */
export async function waitUntilReady(page, { timeout = 20_000, stableMs = 250 } = {}) {
  await page.waitForFunction(
    (stable) => window.__wsReadyAt !== undefined && performance.now() - window.__wsReadyAt >= stable,
    stableMs,
    { timeout, polling: 50 },
  );
  return page.evaluate(() => window.__wsReadyAt);
}

/**
 * Follows a page's requests from now on, live streams (EventSource) aside, which never end.
 * `quiet()` resolves once none has been in flight for `quietMs` (true), or after `timeout` (false):
 * for what a screen loads by itself after it is ready, such as a chart's code.
 */
export function watchNetwork(page) {
  const inFlight = new Set();
  let lastChange = Date.now();
  page.on("request", (r) => {
    if (r.resourceType() === "eventsource") return;
    inFlight.add(r);
    lastChange = Date.now();
  });
  const done = (r) => {
    if (inFlight.delete(r)) lastChange = Date.now();
  };
  page.on("requestfinished", done);
  page.on("requestfailed", done);
  return {
    async quiet({ quietMs = 500, timeout = 10_000 } = {}) {
      const deadline = Date.now() + timeout;
      while (Date.now() < deadline) {
        if (inFlight.size === 0 && Date.now() - lastChange >= quietMs) return true;
        await new Promise((r) => setTimeout(r, 50));
      }
      return false;
    },
  };
}

/** What the page shows in its main region: for saying why a screen never became ready. */
export function describeMain(page) {
  return page
    .evaluate(() => {
      const main = document.querySelector("main#main") ?? document.querySelector("main");
      return (main?.textContent ?? document.body?.textContent ?? "").replace(/\s+/g, " ").slice(0, 300);
    })
    .catch((err) => `(unreadable: ${err.message})`);
}

/**
 * What this page fetched, from its own timing entries (same origin, so sizes are exposed).
 * Scripts: `encoded` is the body as sent (compressed), `decoded` as run; `ready` counts those
 * whose response had ended by `readyAt` (ms since navigation start), `all` every one so far.
 * Phases, in ms since navigation start: the HTML received, the entry module run
 * (DOMContentLoaded waits for module scripts), the last script and the last API answer (/trpc)
 * received before ready (0 when there was none), and the last response of all, ready or not
 * (read once the network is quiet, it is when the screen stopped loading); `apiCalls`: API answers received before ready;
 * `timeline`: every finished request (a live stream never finishes, so it is not there).
 */
export function loadFacts(page, readyAt) {
  return page.evaluate((ready) => {
    const sum = (entries) => ({
      encoded: entries.reduce((n, e) => n + e.encodedBodySize, 0),
      decoded: entries.reduce((n, e) => n + e.decodedBodySize, 0),
      files: entries.length,
    });
    const lastEnd = (entries) =>
      Math.max(0, ...entries.filter((e) => e.responseEnd <= ready).map((e) => e.responseEnd));
    const resources = performance.getEntriesByType("resource");
    const path = (e) => new URL(e.name).pathname;
    const scripts = resources.filter((e) => /\.m?js$/.test(path(e)));
    const api = resources.filter((e) => path(e).startsWith("/trpc/"));
    const nav = performance.getEntriesByType("navigation")[0];
    return {
      ready: sum(scripts.filter((e) => e.responseEnd <= ready)),
      all: sum(scripts),
      apiCalls: api.filter((e) => e.responseEnd <= ready).length,
      timeline: resources.map((e) => ({ path: path(e), start: e.startTime, end: e.responseEnd })),
      phases: {
        html: nav?.responseEnd ?? 0,
        entryRun: nav?.domContentLoadedEventEnd ?? 0,
        lastScript: lastEnd(scripts),
        lastApi: lastEnd(api),
        lastResponse: Math.max(0, ...resources.map((e) => e.responseEnd)),
      },
    };
  }, readyAt);
}
