import { QueryClientProvider } from "@tanstack/react-query";
import { type AnyRouter, RouterProvider } from "@tanstack/react-router";
import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import type { createAppClients } from "./clients";
import { trpc } from "./trpc";
import "./styles.css";

type Clients = Pick<ReturnType<typeof createAppClients>, "queryClient" | "trpcClient">;

/** Render a routed app into #root with its tRPC and react-query clients (the ones its loaders use). */
export function mount(router: AnyRouter, { queryClient, trpcClient }: Clients) {
  createRoot(document.getElementById("root")!).render(
    <StrictMode>
      <trpc.Provider client={trpcClient} queryClient={queryClient}>
        <QueryClientProvider client={queryClient}>
          <RouterProvider router={router} />
        </QueryClientProvider>
      </trpc.Provider>
    </StrictMode>,
  );
}
