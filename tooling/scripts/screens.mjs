#!/usr/bin/env node
// `npm run screens`: screenshots of every supplier screen into docs/screens/ (and its README.md),
// taken in Debian's Chromium against the real server with the demo data, as owner@evermore.demo
// (and member@evermore.demo for the read-only view), after sending a few AI requests (--usage=40;
// the demo data has none). Build the supplier app first; WEB_DIST picks the build (default
// apps/web/dist), --port the server's port (default 4207).
import { mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { parseArgs } from "node:util";
import {
  checkBuild,
  DEMO_PASSWORD,
  describeMain,
  launchChromium,
  NOT_FOUND_SCREEN,
  READY_SCRIPT,
  REPO_ROOT,
  SIGN_IN_SCREEN,
  sendDemoUsage,
  signIn,
  startServer,
  supplierScreens,
  waitUntilReady,
  watchNetwork,
  webDistFromEnv,
} from "../bench/browser/harness.mjs";

const { values: flags } = parseArgs({
  args: process.argv.slice(2).filter((a) => a !== "--"),
  options: {
    port: { type: "string" },
    out: { type: "string" },
    timeout: { type: "string" },
    usage: { type: "string" },
  },
});
const port = Number(flags.port ?? process.env.SCREENS_PORT ?? 4207);
const outDir = flags.out ?? join(REPO_ROOT, "docs", "screens");
const timeout = Number(flags.timeout ?? 30_000);
/** AI requests sent first: the demo data has none, and empty charts show little. */
const usage = Number(flags.usage ?? 40);

const DESKTOP = { width: 1280, height: 800 };
const PHONE = { width: 375, height: 740 };
/** A page up to this many viewports tall is captured whole; a longer one, its first viewport. */
const WHOLE_PAGE_UP_TO = 2;

/** Every picture: file name, what it shows, who is signed in (none: signed out), the window. */
function shots(owner, member) {
  const screens = supplierScreens(owner);
  const config = screens.find((s) => s.name === "config");
  const client = screens.find((s) => s.name === "client");
  const memberScreen = (s) => supplierScreens(member).find((m) => m.name === s.name);
  return [
    { ...SIGN_IN_SCREEN, who: undefined, viewport: DESKTOP },
    ...screens.map((s) => ({ ...s, who: "owner", viewport: DESKTOP })),
    { ...config, name: "config-375", label: `${config.label} on a phone`, who: "owner", viewport: PHONE },
    {
      ...memberScreen(config),
      name: "config-member",
      label: `${config.label}, read-only`,
      who: "member",
      viewport: DESKTOP,
    },
    {
      ...memberScreen(client),
      name: "client-member",
      label: `${client.label}, read-only`,
      who: "member",
      viewport: DESKTOP,
    },
    { ...NOT_FOUND_SCREEN, who: "owner", viewport: DESKTOP },
    ...adminScreens(owner.orgId).map((s) => ({ ...s, who: "staff", viewport: DESKTOP })),
  ];
}

/** The admin app's sections (apps/admin, served under /admin), as platform staff see them. */
function adminScreens(orgId) {
  return [
    { name: "admin-organizations", label: "Admin: organizations", path: "/admin/organizations" },
    { name: "admin-organization", label: "Admin: one organization", path: `/admin/organizations/${orgId}` },
    { name: "admin-bulk", label: "Admin: bulk changes", path: "/admin/bulk" },
    { name: "admin-throttling", label: "Admin: emergency throttling", path: "/admin/throttling" },
    { name: "admin-model-prices", label: "Admin: model prices", path: "/admin/model-prices" },
    { name: "admin-audit", label: "Admin: audit", path: "/admin/audit" },
    { name: "admin-service-levels", label: "Admin: service levels", path: "/admin/service-levels" },
    { name: "admin-invoices", label: "Admin: invoices", path: "/admin/invoices" },
  ];
}

/** Platform staff (no organization of their own, so not through signIn): their session. */
async function signInStaff(browser, baseURL) {
  const context = await browser.newContext({ baseURL });
  try {
    const res = await context.request.post("/trpc/auth.login", {
      data: { json: { email: "staff@wedsync.demo", password: DEMO_PASSWORD } },
    });
    if (!res.ok()) throw new Error(`staff sign-in: HTTP ${res.status()} ${await res.text()}`);
    return await context.storageState();
  } finally {
    await context.close();
  }
}

async function take(browser, baseURL, shot, storageState) {
  const context = await browser.newContext({
    baseURL,
    storageState,
    viewport: shot.viewport,
    deviceScaleFactor: 1,
    // Charts drawn at once rather than caught mid-animation.
    reducedMotion: "reduce",
    colorScheme: "light",
  });
  try {
    await context.addInitScript(READY_SCRIPT);
    const page = await context.newPage();
    const network = watchNetwork(page);
    await page.goto(shot.path);
    let problem;
    try {
      await waitUntilReady(page, { timeout });
    } catch {
      problem = `did not finish loading within ${timeout} ms (shows: "${await describeMain(page)}")`;
    }
    // What a ready screen still fetches by itself (a chart's code), web fonts, and a moment for
    // what renders after them (charts size themselves after the first paint).
    await network.quiet({ quietMs: 500, timeout: 10_000 });
    await page.evaluate(() => document.fonts.ready.then(() => undefined));
    await page.waitForTimeout(400);
    const height = await page.evaluate(() => document.documentElement.scrollHeight);
    const fullPage = height <= shot.viewport.height * WHOLE_PAGE_UP_TO;
    const file = join(outDir, `${shot.name}.png`);
    await page.screenshot({ path: file, fullPage, animations: "disabled", caret: "hide" });
    return { file, fullPage, pageHeight: height, problem };
  } finally {
    await context.close();
  }
}

function readme(taken) {
  const lines = taken.map(({ shot, result }) => {
    const { width, height } = shot.viewport;
    const size =
      result.pageHeight <= height
        ? `${width}×${height}`
        : result.fullPage
          ? `${width}×${result.pageHeight} (the whole page)`
          : `${width}×${height} (the top of a ${result.pageHeight} px page)`;
    const who = !shot.who
      ? "signed out"
      : shot.who === "staff"
        ? "as staff@wedsync.demo"
        : `as ${shot.who}@evermore.demo`;
    const path = shot.path
      .replace(/^\/o\/[^/]+/, "/o/<org>")
      .replace(/^\/admin\/organizations\/[^/]+$/, "/admin/organizations/<org>")
      .replace(/\/clients\/[^/]+$/, "/clients/<client>");
    const warn = result.problem ? ` **(${result.problem})**` : "";
    return `- [${shot.name}.png](${shot.name}.png): ${shot.label}, \`${path}\`, ${who}, ${size}${warn}`;
  });
  const sent = usage > 0 ? ` and ${usage} AI requests sent through \`clients.process\` just before` : "";
  return `# Screens of the supplier and admin apps

Generated by \`npm run screens\` (\`tooling/scripts/screens.mjs\`): the real server with the demo data
(Evermore Wedding Planners, enterprise tier)${sent}, in Debian's Chromium, each screen captured
once its heading shows and nothing on it is still loading. Build both apps first
(\`pnpm build\`, or set \`WEB_DIST\` and \`ADMIN_DIST\`). Do not edit by hand: rerun the command.

${lines.join("\n")}
`;
}

async function main() {
  const webDist = webDistFromEnv();
  checkBuild(webDist);
  mkdirSync(outDir, { recursive: true });
  const server = await startServer({ port, dataDir: join(tmpdir(), `wedsync-screens-${port}`), webDist });
  let failed = 0;
  try {
    const browser = await launchChromium();
    try {
      const owner = await signIn(browser, server.baseURL, "owner@evermore.demo");
      const member = await signIn(browser, server.baseURL, "member@evermore.demo");
      const staff = await signInStaff(browser, server.baseURL);
      if (usage > 0) {
        const sent = await sendDemoUsage(browser, server.baseURL, owner, usage);
        console.log(`sent ${sent.done} AI requests (${sent.refused} refused) so the usage screens have data`);
      }
      const sessions = { owner: owner.storageState, member: member.storageState, staff };
      const taken = [];
      for (const shot of shots(owner, member)) {
        const result = await take(browser, server.baseURL, shot, shot.who ? sessions[shot.who] : undefined);
        taken.push({ shot, result });
        const kb = (statSync(result.file).size / 1024).toFixed(0);
        console.log(`${result.problem ? "!!" : "ok"} ${relative(REPO_ROOT, result.file)} (${kb} kB)`);
        if (result.problem) {
          failed++;
          console.error(`   ${shot.name}: ${result.problem}`);
        }
      }
      // Pictures of screens that no longer exist would mislead.
      const names = new Set(taken.map(({ shot }) => `${shot.name}.png`));
      for (const f of readdirSync(outDir)) if (f.endsWith(".png") && !names.has(f)) rmSync(join(outDir, f));
      writeFileSync(join(outDir, "README.md"), readme(taken));
      console.log(`${relative(REPO_ROOT, join(outDir, "README.md"))}: ${taken.length} screens`);
    } finally {
      await browser.close();
    }
  } finally {
    await server.stop();
  }
  return failed ? 1 : 0;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (err) => {
    console.error(`screens: ${err.message}`);
    process.exitCode = 2;
  },
);
