import { defineConfig } from "drizzle-kit";

// Migrations are generated from the schema into the repository's top-level drizzle/ folder.
export default defineConfig({
  dialect: "postgresql",
  schema: "./src/schema/index.ts",
  out: "../../drizzle",
});
