import { QueryClientProvider } from "@tanstack/react-query";
import { RouterProvider } from "@tanstack/react-router";
import { trpc } from "@wedsync/ui/trpc";
import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import "@wedsync/ui/styles.css";
import "./app.css";
import { queryClient, queryUtils, trpcClient } from "./lib/clients";
import { seedFirstPaint } from "./lib/first-paint";
import { router } from "./router";

seedFirstPaint(queryUtils);

createRoot(document.getElementById("root")!).render(
  <StrictMode>
    <trpc.Provider client={trpcClient} queryClient={queryClient}>
      <QueryClientProvider client={queryClient}>
        <RouterProvider router={router} />
      </QueryClientProvider>
    </trpc.Provider>
  </StrictMode>,
);
