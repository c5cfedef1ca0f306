/**
 * The built apps as a browser gets them: hashed assets compressed as the browser accepts (brotli,
 * else gzip, else as they are) and cached for a year, the HTML revalidated on every use.
 */
import { existsSync, readFileSync } from "node:fs";
import { get as httpGet, type IncomingHttpHeaders } from "node:http";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { brotliDecompressSync, gunzipSync } from "node:zlib";
import type { FirstPaint } from "@wedsync/api";
import type { RunningServer } from "@wedsync/api/server";
import { createWedsyncSessionClient } from "@wedsync/client";
import { CHANGE_HISTORY_PAGE } from "@wedsync/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer } from "./harness/server";
import { skipNote } from "./harness/skips";
import { createTenant, TEST_PASSWORD } from "./harness/tenant";

const WEB_DIST = fileURLToPath(new URL("../../../apps/web/dist", import.meta.url));
const ADMIN_DIST = fileURLToPath(new URL("../../../apps/admin/dist", import.meta.url));
const built = existsSync(join(WEB_DIST, "index.html")) && existsSync(join(ADMIN_DIST, "index.html"));
const name = skipNote(
  "the built apps, served",
  built ? null : "the apps are not built (npm test builds them first)",
);

/** GET over node:http, not fetch: fetch decodes the body, and the bytes on the wire are the point. */
function rawGet(url: string, encoding: string | null) {
  return new Promise<{ headers: IncomingHttpHeaders; body: Buffer }>((resolve, reject) => {
    httpGet(url, { headers: encoding ? { "accept-encoding": encoding } : {} }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (chunk: Buffer) => chunks.push(chunk));
      res.on("end", () => resolve({ headers: res.headers, body: Buffer.concat(chunks) }));
      res.on("error", reject);
    }).on("error", reject);
  });
}

/** The app's entry script, as its index.html names it: its URL and its file. */
function entryScript(dist: string, base: string): { url: string; file: string } {
  const html = readFileSync(join(dist, "index.html"), "utf8");
  const src = html.match(/src="([^"]*\/assets\/[^"]+\.js)"/)?.[1];
  expect(src, "index.html names its entry script").toBeDefined();
  return { url: src!, file: join(dist, src!.slice(base.length)) };
}

describe.skipIf(!built)(name, () => {
  let server: RunningServer;
  beforeAll(async () => {
    server = await startTestServer({ serveApps: true });
  });
  afterAll(() => server?.close());

  it.each([
    ["supplier app", WEB_DIST, ""],
    ["admin app", ADMIN_DIST, "/admin"],
  ])("%s: its hashed script in brotli, gzip or as it is, immutable for a year", async (_app, dist, base) => {
    const { url, file } = entryScript(dist, base);
    const original = readFileSync(file);

    const br = await rawGet(`${server.url}${url}`, "gzip, deflate, br");
    expect(br.headers["content-encoding"]).toBe("br");
    expect(br.headers["cache-control"]).toBe("public, max-age=31536000, immutable");
    expect(br.headers.vary?.toLowerCase()).toContain("accept-encoding");
    expect(br.headers["content-type"]).toMatch(/javascript/);
    expect(br.body.length).toBeLessThan(original.length / 2);
    expect(brotliDecompressSync(br.body).equals(original)).toBe(true);

    const gz = await rawGet(`${server.url}${url}`, "gzip");
    expect(gz.headers["content-encoding"]).toBe("gzip");
    expect(gunzipSync(gz.body).equals(original)).toBe(true);

    const plain = await rawGet(`${server.url}${url}`, null);
    expect(plain.headers["content-encoding"]).toBeUndefined();
    expect(plain.body.equals(original)).toBe(true);
  });

  it.each([
    ["/", "supplier app"],
    ["/some/route/of/the/app", "supplier app route"],
    ["/admin/", "admin app"],
    ["/admin/organizations/x", "admin app route"],
  ])("%s (%s): the HTML, revalidated on every use and never kept by a shared cache", async (path) => {
    const res = await fetch(`${server.url}${path}`, { headers: { "accept-encoding": "br, gzip" } });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/text\/html/);
    expect(res.headers.get("cache-control")).toBe("private, no-cache");
    expect(res.headers.get("vary")?.toLowerCase()).toContain("cookie");
    expect(await res.text()).toMatch(/<div id="root">/);
  });

  describe("first-paint data in the supplier app's page", () => {
    /** The page at `path` as the holder of `cookie` gets it, and the data written into it. */
    async function page(path: string, cookie?: string): Promise<{ html: string; first?: FirstPaint }> {
      const res = await fetch(`${server.url}${path}`, { headers: cookie ? { cookie } : {} });
      expect(res.status).toBe(200);
      const html = await res.text();
      const text = html.match(
        /<script type="application\/json" id="wedsync-first-paint">(.*?)<\/script>/s,
      )?.[1];
      // superjson's envelope: the values are under `json` (dates as ISO strings).
      return {
        html,
        first: text === undefined ? undefined : (JSON.parse(text) as { json: FirstPaint }).json,
      };
    }

    async function cookieOf(email: string): Promise<string> {
      const jar = { cookie: "" };
      await createWedsyncSessionClient({ url: server.url, jar }).auth.login.mutate({
        email,
        password: TEST_PASSWORD,
      });
      expect(jar.cookie).not.toBe("");
      return jar.cookie;
    }

    it("signed in, under one of their organizations: who they are and that organization's configuration", async () => {
      const tenant = await createTenant(server);
      const cookie = await cookieOf(tenant.emails.member);
      const { first } = await page(`/o/${tenant.organizationId}/config`, cookie);
      expect(first?.session?.user.email).toBe(tenant.emails.member);
      expect(first?.organizationConfig?.organizationId).toBe(tenant.organizationId);
      // The same answer the procedure gives over HTTP.
      const member = await tenant.as("member");
      const config = await member.platform.config.get.query({ organizationId: tenant.organizationId });
      expect(first?.organizationConfig?.config).toEqual(JSON.parse(JSON.stringify(config)));
    });

    it("on the configuration screen, an owner's page also holds the priced models and the change history's first page", async () => {
      const tenant = await createTenant(server);
      const owner = await tenant.as("owner");
      const organizationId = tenant.organizationId;
      // One change, so the history has an entry to carry.
      await owner.platform.config.update.mutate({
        organizationId,
        featureType: "pdf_analysis",
        expectedVersion: 1,
        patch: { maxRequestsPerDay: 250 },
      });
      const cookie = await cookieOf(tenant.emails.owner);
      const { first } = await page(`/o/${organizationId}/config`, cookie);
      const screen = first?.configScreen;
      expect(screen?.organizationId).toBe(organizationId);
      expect(screen?.changeHistory.limit).toBe(CHANGE_HISTORY_PAGE);
      // The same answers as over HTTP, under the same inputs the screen asks with.
      const history = await owner.platform.audit.list.query({ organizationId, limit: CHANGE_HISTORY_PAGE });
      expect(history.entries.length).toBeGreaterThan(0);
      expect(screen?.changeHistory.page).toEqual(JSON.parse(JSON.stringify(history)));
      const models = await owner.platform.models.query({ organizationId });
      expect(screen?.models).toEqual(JSON.parse(JSON.stringify(models)));
      // Only that screen: the clients screen's page carries the configuration alone.
      const throttles = await owner.throttles.active.query({ organizationId });
      expect(first?.throttles).toEqual({ organizationId, active: JSON.parse(JSON.stringify(throttles)) });
      const clients = await page(`/o/${organizationId}/clients`, cookie);
      expect(clients.first?.organizationConfig?.organizationId).toBe(organizationId);
      expect(clients.first?.throttles?.organizationId).toBe(organizationId);
      expect(clients.first?.configScreen).toBeUndefined();
    });

    it("on the configuration screen, a member's page has no change history (the procedure refuses members)", async () => {
      const tenant = await createTenant(server);
      const cookie = await cookieOf(tenant.emails.member);
      const { first } = await page(`/o/${tenant.organizationId}/config`, cookie);
      expect(first?.organizationConfig?.organizationId).toBe(tenant.organizationId);
      expect(first?.configScreen).toBeUndefined();
    });

    it("under another organization: who they are, nothing of that organization", async () => {
      const [mine, theirs] = await Promise.all([createTenant(server), createTenant(server)]);
      const cookie = await cookieOf(mine.emails.owner);
      const { first, html } = await page(`/o/${theirs.organizationId}/config`, cookie);
      expect(first?.session?.user.email).toBe(mine.emails.owner);
      expect(first?.organizationConfig).toBeUndefined();
      expect(html).not.toContain(theirs.slug);
    });

    it("signed out, or with a session cookie that is not one: signed out, and the page still served", async () => {
      const tenant = await createTenant(server);
      expect((await page(`/o/${tenant.organizationId}/config`)).first).toEqual({ session: null });
      expect((await page("/", "wedsync_session=forged")).first).toEqual({ session: null });
    });
  });

  it.each([
    "/api/v2/clients",
    "/api",
    "/assets/missing-0123abcd.js",
    "/admin/assets/missing.css",
    "/favicon.ico",
  ])("%s: a real not-found page, not the dashboard", async (path) => {
    const res = await fetch(`${server.url}${path}`);
    expect(res.status).toBe(404);
    const html = await res.text();
    expect(html).toContain("<h1>Not found</h1>");
    expect(html).not.toMatch(/<div id="root">/);
  });
});
