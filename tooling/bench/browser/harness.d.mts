// Types of harness.mjs (plain JavaScript, shared with tooling/scripts/screens.mjs).
import type { Browser, Page } from "@playwright/test";

export declare const REPO_ROOT: string;
export declare const DEMO_PASSWORD: string;
export declare const DEMO_ORGANIZATION: string;
export declare const CHROMIUM_ARGS: string[];
export declare const READY_SCRIPT: string;

export interface Screen {
  /** File-friendly key (docs/screens/<name>.png). */
  name: string;
  /** The section's name in the app. */
  label: string;
  path: string;
}

export interface Server {
  baseURL: string;
  /** Stops the server and removes its database. */
  stop(): Promise<void>;
  /** Its last lines of output. */
  output(): string;
}

export interface DemoSession {
  storageState: Awaited<ReturnType<import("@playwright/test").BrowserContext["storageState"]>>;
  orgId: string;
  clientId: string;
}

export declare function webDistFromEnv(): string;
export declare function checkBuild(dist: string): { compressed: boolean };
export declare function startServer(opts: {
  port: number;
  dataDir: string;
  webDist: string;
}): Promise<Server>;
export declare function launchChromium(): Promise<Browser>;
export declare function signIn(browser: Browser, baseURL: string, email: string): Promise<DemoSession>;
export declare function sendDemoUsage(
  browser: Browser,
  baseURL: string,
  session: DemoSession,
  count: number,
): Promise<{ done: number; refused: number }>;
export declare function supplierScreens(ids: { orgId: string; clientId: string }): Screen[];
export declare const SIGN_IN_SCREEN: Screen;
export declare const NOT_FOUND_SCREEN: Screen;
export declare function waitUntilReady(
  page: Page,
  opts?: { timeout?: number; stableMs?: number },
): Promise<number>;
export declare function watchNetwork(page: Page): {
  quiet(opts?: { quietMs?: number; timeout?: number }): Promise<boolean>;
};
export declare function describeMain(page: Page): Promise<string>;

export interface ScriptBytes {
  encoded: number;
  decoded: number;
  files: number;
}
export interface TimelineEntry {
  path: string;
  start: number;
  end: number;
}
export interface Phases {
  html: number;
  entryRun: number;
  lastScript: number;
  lastApi: number;
  lastResponse: number;
}
export declare function loadFacts(
  page: Page,
  readyAt: number,
): Promise<{
  ready: ScriptBytes;
  all: ScriptBytes;
  apiCalls: number;
  phases: Phases;
  timeline: TimelineEntry[];
}>;
