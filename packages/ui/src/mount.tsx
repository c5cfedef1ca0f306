import { QueryClientProvider } from "@tanstack/react-query";
import { type ComponentType, StrictMode, useState } from "react";
import { createRoot } from "react-dom/client";
import { createQueryClient, createTrpcClient, trpc } from "./trpc";
import "./styles.css";

/** Render an app into #root with its tRPC and react-query clients. */
export function mount(App: ComponentType) {
  function Root() {
    const [queryClient] = useState(createQueryClient);
    const [trpcClient] = useState(createTrpcClient);
    return (
      <trpc.Provider client={trpcClient} queryClient={queryClient}>
        <QueryClientProvider client={queryClient}>
          <App />
        </QueryClientProvider>
      </trpc.Provider>
    );
  }
  createRoot(document.getElementById("root")!).render(
    <StrictMode>
      <Root />
    </StrictMode>,
  );
}
