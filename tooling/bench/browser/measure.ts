/**
 * One cold load: a new browser context (empty cache, nothing but the session cookie), navigation
 * to the screen, and the time until it is ready, read on the page's own clock so that
 * Playwright's round trips are not counted.
 */
import type { Browser, BrowserContextOptions } from "@playwright/test";
import { describeMain, loadFacts, READY_SCRIPT, waitUntilReady, watchNetwork } from "./harness.mjs";
import type { Sample } from "./report";

export interface LoadOptions {
  baseURL: string;
  /** The signed-in session, or undefined for a signed-out load. */
  storageState: BrowserContextOptions["storageState"];
  timeoutMs: number;
}

export async function coldLoad(browser: Browser, path: string, opts: LoadOptions): Promise<Sample> {
  const context = await browser.newContext({
    baseURL: opts.baseURL,
    storageState: opts.storageState,
    viewport: { width: 1280, height: 800 },
  });
  try {
    await context.addInitScript(READY_SCRIPT);
    const page = await context.newPage();
    const errors: string[] = [];
    page.on("pageerror", (err) => errors.push(err.message));
    const network = watchNetwork(page);
    await page.goto(path, { waitUntil: "commit" });
    let ms: number;
    try {
      ms = await waitUntilReady(page, { timeout: opts.timeoutMs });
    } catch {
      const shown = await describeMain(page);
      const thrown = errors.length ? `; page errors: ${errors.join(" | ")}` : "";
      throw new Error(`not ready after ${opts.timeoutMs} ms; the page shows: "${shown}"${thrown}`);
    }
    // What the screen still fetches by itself once ready (a chart's code, a second query) counts
    // in its JavaScript and in "network quiet", not in the time to ready.
    await network.quiet({ quietMs: 500, timeout: 5_000 });
    const facts = await loadFacts(page, ms);
    return {
      ms,
      readyJs: facts.ready,
      allJs: facts.all,
      apiCalls: facts.apiCalls,
      phases: facts.phases,
      timeline: facts.timeline,
    };
  } finally {
    await context.close();
  }
}
