import { defineConfig } from "vitest/config";

// Some suites open and migrate a database in their setup: seconds on a quiet machine, more when
// the rest of `npm test` shares its two cores.
export default defineConfig({ test: { include: ["src/**/*.test.ts"], hookTimeout: 60_000 } });
