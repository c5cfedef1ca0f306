import react from "@vitejs/plugin-react";
import { defineConfig } from "vitest/config";

// Component tests: jsdom (not happy-dom, which enforces CORS on fetch), files beside their components.
export default defineConfig({
  plugins: [react()],
  test: {
    environment: "jsdom",
    include: ["src/**/*.test.{ts,tsx}", "build/**/*.test.ts"],
    setupFiles: ["./src/test/setup.ts"],
  },
});
