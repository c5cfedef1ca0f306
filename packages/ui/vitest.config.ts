import react from "@vitejs/plugin-react";
import { defineConfig } from "vitest/config";

// Component tests of the shared pieces: jsdom, files beside their components.
export default defineConfig({
  plugins: [react()],
  test: {
    environment: "jsdom",
    include: ["src/**/*.test.{ts,tsx}"],
    setupFiles: ["./src/test-setup.ts"],
  },
});
