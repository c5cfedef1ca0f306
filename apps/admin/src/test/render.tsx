import { QueryClientProvider } from "@tanstack/react-query";
import { createMemoryHistory, createRootRoute, createRouter, RouterProvider } from "@tanstack/react-router";
import { render } from "@testing-library/react";
import { createQueryClient, createTrpcClient, trpc } from "@wedsync/ui/trpc";
import type { ReactNode } from "react";
import superjson from "superjson";
import { vi } from "vitest";

/** A live stream that never says anything (the screens' live updates are tested end to end). */
class SilentEventSource extends EventTarget {
  readyState = 0;
  onerror = null;
  onmessage = null;
  onopen = null;
  close() {
    this.readyState = 2;
  }
}

/** A signed-in person as auth.session says it; platform staff unless told otherwise. */
export function sessionOf(over: { isPlatformStaff?: boolean; email?: string; name?: string } = {}) {
  return {
    user: {
      id: "99999999-9999-4999-8999-999999999999",
      name: over.name ?? "Sam Staff",
      email: over.email ?? "staff@wedsync.demo",
      isPlatformStaff: over.isPlatformStaff ?? true,
    },
    organizations: [],
    currentOrganizationId: null,
  };
}

/**
 * Renders `ui` as the admin app would: at `path` under /admin (links get their real addresses),
 * with the tRPC and react-query clients. `answers` are what the stubbed API returns per procedure
 * (anything else answers NOT_FOUND); `calls` lists the procedures asked for.
 */
export async function renderAdmin(
  ui: ReactNode,
  { path = "/", answers = {} }: { path?: string; answers?: Record<string, unknown> } = {},
) {
  const calls: string[] = [];
  // jsdom has neither: the router scrolls on navigation, live streams open an EventSource.
  window.scrollTo = () => {};
  vi.stubGlobal("EventSource", SilentEventSource);
  vi.stubGlobal(
    "fetch",
    vi.fn(async (input: RequestInfo | URL) => {
      const url = new URL(String(input), "http://localhost");
      const procedures = url.pathname.replace(/^\/trpc\//, "").split(",");
      calls.push(...procedures);
      const body = procedures.map((p) =>
        p in answers
          ? { result: { data: superjson.serialize(answers[p]) } }
          : {
              error: superjson.serialize({
                message: "Not found",
                code: -32004,
                data: { code: "NOT_FOUND", httpStatus: 404 },
              }),
            },
      );
      return new Response(JSON.stringify(body), { headers: { "content-type": "application/json" } });
    }),
  );
  const queryClient = createQueryClient();
  const trpcClient = createTrpcClient();
  const root = createRootRoute({ component: () => <>{ui}</> });
  const router = createRouter({
    routeTree: root,
    basepath: "/admin",
    history: createMemoryHistory({ initialEntries: [`/admin${path}`] }),
  });
  await router.load();
  const result = render(
    <trpc.Provider client={trpcClient} queryClient={queryClient}>
      <QueryClientProvider client={queryClient}>
        <RouterProvider router={router} />
      </QueryClientProvider>
    </trpc.Provider>,
  );
  return { ...result, calls, router };
}
