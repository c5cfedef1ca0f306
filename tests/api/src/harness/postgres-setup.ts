import { openDatabase } from "@wedsync/api/database";

/** Apply migrations once before the files run in parallel (concurrent migrators would race). */
export default async function setup() {
  const handle = await openDatabase({ url: process.env.DATABASE_URL, maxConnections: 1 });
  await handle.migrate();
  await handle.close();
}
