import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

// The supplier app, served at "/". In development the API runs separately on port 3000.
export default defineConfig({
  base: "/",
  plugins: [react()],
  server: { proxy: { "/trpc": "http://127.0.0.1:3000" } },
});
