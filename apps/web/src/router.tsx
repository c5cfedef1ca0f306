import { createRouter } from "@tanstack/react-router";
import { NotFound } from "./components/NotFound";
import { routeTree } from "./routeTree.gen";

export const router = createRouter({
  routeTree,
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
