import { defineConfig } from "vitest/config";

// The integration suite runs once on PGlite and, when DATABASE_URL is set, once more on PostgreSQL.
const databases = ["pglite", ...(process.env.DATABASE_URL ? ["postgres"] : [])];

export default defineConfig({
  test: {
    projects: databases.map((db) => ({
      test: {
        name: db,
        include: ["src/**/*.test.ts"],
        env: { TEST_DB: db },
        testTimeout: 60_000,
        hookTimeout: 60_000,
        ...(db === "postgres" && { globalSetup: ["./src/harness/postgres-setup.ts"] }),
      },
    })),
  },
});
