import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

// The platform staff app, served at "/admin/". In development the API runs separately on port 3000.
export default defineConfig({
  base: "/admin/",
  plugins: [react()],
  server: { proxy: { "/trpc": "http://127.0.0.1:3000" } },
});
