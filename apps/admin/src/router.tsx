import { createRouter } from "@tanstack/react-router";
import { NotFound } from "./components/NotFound";
import { queryUtils } from "./lib/clients";
import { routeTree } from "./routeTree.gen";

export const router = createRouter({
  routeTree,
  // The API server serves this app under /admin (packages/api/src/app.ts, mountSpa).
  basepath: "/admin",
  context: { queries: queryUtils },
  // Start loading a screen's code when the pointer rests on (or focus reaches) its link.
  defaultPreload: "intent",
  defaultNotFoundComponent: () => <NotFound />,
  scrollRestoration: true,
});

declare module "@tanstack/react-router" {
  interface Register {
    router: typeof router;
  }
}
