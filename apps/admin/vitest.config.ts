import react from "@vitejs/plugin-react";
import { defineConfig } from "vitest/config";

// Component tests: jsdom, files beside their components; the setup is shared with packages/ui.
export default defineConfig({
  plugins: [react()],
  test: {
    environment: "jsdom",
    include: ["src/**/*.test.{ts,tsx}"],
    setupFiles: ["./src/test/setup.ts"],
  },
});
