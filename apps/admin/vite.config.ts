import { tanstackRouter } from "@tanstack/router-plugin/vite";
import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

// The platform staff app, served at "/admin/" (the router's basepath). In development the API runs
// separately on port 3000. Routes are files under src/routes; the plugin writes src/routeTree.gen.ts
// (committed, so the typecheck needs no build) and splits every route's component into its own chunk.
export default defineConfig({
  base: "/admin/",
  plugins: [tanstackRouter({ target: "react", autoCodeSplitting: true }), react()],
  server: { proxy: { "/trpc": "http://127.0.0.1:3000" } },
});
