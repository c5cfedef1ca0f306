import { readEnv } from "./env";
import { openDatabase } from "./infra/database";

/**
 * `node dist/migrate.js` (built by build.mjs): apply the pending migrations to DATABASE_URL and
 * exit. The Kubernetes Job runs it once per release, before the Deployment is updated
 * (tooling/deploy/kubernetes/migrate-job.yaml); the server itself also migrates at start.
 */
async function main() {
  const url = readEnv().DATABASE_URL;
  if (!url) throw new Error("DATABASE_URL is not set: migrations are applied to a PostgreSQL server");
  const db = await openDatabase({ url });
  try {
    await db.migrate();
  } finally {
    await db.close();
  }
  console.log("migrations applied");
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
