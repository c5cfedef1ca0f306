import { afterEach, describe, expect, it } from "vitest";
import { type ChunkFacts, preloadScript, preloadTable, routePattern } from "./route-preload";

describe("routePattern", () => {
  const matches = (file: string, path: string) => new RegExp(routePattern(file)!).test(path);

  it("a folder's route.tsx is a layout: its address and every deeper one", () => {
    expect(matches("o/$orgId/route.tsx", "/o/e03decac-1238-4eaf-b40b-19dc26d68f99")).toBe(true);
    expect(matches("o/$orgId/route.tsx", "/o/abc/config")).toBe(true);
    expect(matches("o/$orgId/route.tsx", "/other/abc")).toBe(false);
    expect(matches("o/$orgId/route.tsx", "/o")).toBe(false);
  });

  it("a leaf or index file is its address alone, with or without a trailing slash", () => {
    expect(matches("o/$orgId/config.tsx", "/o/abc/config")).toBe(true);
    expect(matches("o/$orgId/config.tsx", "/o/abc/config/")).toBe(true);
    expect(matches("o/$orgId/config.tsx", "/o/abc/config/more")).toBe(false);
    expect(matches("o/$orgId/clients/index.tsx", "/o/abc/clients")).toBe(true);
    expect(matches("o/$orgId/clients/index.tsx", "/o/abc/clients/xyz")).toBe(false);
    expect(matches("o/$orgId/clients/$clientId.tsx", "/o/abc/clients/xyz")).toBe(true);
    expect(matches("index.tsx", "/")).toBe(true);
    expect(matches("index.tsx", "/o/abc")).toBe(false);
  });

  it("pathless (_x) and group ((x)) segments add nothing; dotted names are nested segments", () => {
    expect(matches("_auth/(settings)/profile.tsx", "/profile")).toBe(true);
    expect(matches("billing.invoices.$invoiceId.tsx", "/billing/invoices/7")).toBe(true);
  });

  it("the root and files excluded from routing (-name) have no pattern", () => {
    expect(routePattern("__root.tsx")).toBeUndefined();
    expect(routePattern("o/-components/Thing.tsx")).toBeUndefined();
  });
});

const ROUTES = "/repo/apps/web/src/routes/";

function chunk(
  fileName: string,
  imports: string[],
  facade: string | null = null,
  isEntry = false,
): ChunkFacts {
  return { fileName, imports, facadeModuleId: facade, isEntry };
}

describe("preloadTable", () => {
  const chunks = [
    chunk("assets/index.js", ["assets/react.js"], "/repo/apps/web/src/main.tsx", true),
    chunk("assets/react.js", []),
    chunk(
      "assets/layout.js",
      ["assets/react.js", "assets/live.js"],
      `${ROUTES}o/$orgId/route.tsx?tsr-split=component`,
    ),
    chunk("assets/live.js", ["assets/words.js"]),
    chunk("assets/words.js", []),
    chunk(
      "assets/config.js",
      ["assets/form.js", "assets/react.js"],
      `${ROUTES}o/$orgId/config.tsx?tsr-split=component`,
    ),
    chunk("assets/form.js", ["assets/words.js"]),
    // Not a screen's component: a lazily loaded chart, and a route's error boundary.
    chunk("assets/charts.js", [], "/repo/apps/web/src/features/usage/Charts.tsx"),
    chunk("assets/error.js", [], `${ROUTES}o/$orgId/config.tsx?tsr-split=errorComponent`),
  ];

  it("lists each screen's chunks and everything they import, but not what the entry loads", () => {
    const table = Object.fromEntries(preloadTable(chunks));
    expect(table).toEqual({
      "^/o/[^/]+(?:/|$)": ["assets/layout.js", "assets/live.js", "assets/words.js"],
      "^/o/[^/]+/config/?$": ["assets/config.js", "assets/form.js", "assets/words.js"],
    });
  });
});

describe("preloadScript", () => {
  afterEach(() => {
    for (const link of document.head.querySelectorAll("link")) link.remove();
    history.replaceState(null, "", "/");
  });

  const table = preloadTable([
    chunk("assets/index.js", [], "/src/main.tsx", true),
    chunk("assets/layout.js", ["assets/shared.js"], `${ROUTES}o/$orgId/route.tsx?tsr-split=component`),
    chunk("assets/config.js", ["assets/shared.js"], `${ROUTES}o/$orgId/config.tsx?tsr-split=component`),
    chunk("assets/shared.js", []),
    chunk("assets/alerts.js", [], `${ROUTES}o/$orgId/alerts.tsx?tsr-split=component`),
  ]);

  function preloadedAt(path: string): string[] {
    history.replaceState(null, "", path);
    new Function(preloadScript(table, "/"))();
    return [...document.head.querySelectorAll<HTMLLinkElement>('link[rel="modulepreload"]')].map(
      (l) => l.getAttribute("href")!,
    );
  }

  it("adds one modulepreload per chunk the address needs, once each", () => {
    expect(preloadedAt("/o/abc/config").sort()).toEqual([
      "/assets/config.js",
      "/assets/layout.js",
      "/assets/shared.js",
    ]);
  });

  it("adds nothing for an address no screen serves", () => {
    expect(preloadedAt("/elsewhere")).toEqual([]);
  });
});
