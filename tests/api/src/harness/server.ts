import { type RunningServer, type ServerOptions, startServer } from "@wedsync/api/server";

/** A real server on a free port, on the database this project run is for (PGlite or PostgreSQL). */
export async function startTestServer(opts: ServerOptions = {}): Promise<RunningServer> {
  const onPostgres = process.env.TEST_DB === "postgres";
  return startServer({
    port: 0,
    logLevel: "silent",
    serveApps: false,
    loginLimitPerIp: 100_000,
    loginLimitPerEmail: 1_000,
    ...(onPostgres ? { databaseUrl: process.env.DATABASE_URL } : { dataDir: "memory://" }),
    ...opts,
  });
}
