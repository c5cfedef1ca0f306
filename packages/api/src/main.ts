import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { readEnv } from "./env";
import { type DemoCredentials, seedDemo } from "./seed/demo";
import { startServer } from "./server";

/** `npm start`: the whole product on one port, seeded with demo data on first run. */
async function main() {
  const env = readEnv();
  const dataDir = resolve(env.DATA_DIR);
  const server = await startServer({
    port: env.PORT,
    host: env.HOST,
    databaseUrl: env.DATABASE_URL,
    databaseReadUrl: env.DATABASE_READ_URL,
    databaseListenUrl: env.DATABASE_LISTEN_URL,
    databasePoolMax: env.DATABASE_POOL_MAX,
    databasePreparedStatements: env.DATABASE_PREPARED_STATEMENTS,
    configCacheTtlMs: env.CONFIG_CACHE_TTL_MS,
    dataDir: join(dataDir, "pglite"),
    logLevel: env.LOG_LEVEL,
    webDist: env.WEB_DIST,
    adminDist: env.ADMIN_DIST,
    trustProxy: env.TRUST_PROXY,
    loginLimitPerEmail: env.LOGIN_LIMIT_PER_EMAIL,
    loginLimitPerIp: env.LOGIN_LIMIT_PER_IP,
    instanceId: env.WEDSYNC_INSTANCE_ID,
    alerts: { webhook: { allowPrivateAddresses: env.ALERT_WEBHOOK_ALLOW_PRIVATE } },
    jobs: {
      queue: env.JOBS_QUEUE,
      work: env.JOBS_WORK,
      concurrency: env.JOBS_CONCURRENCY,
      pollSeconds: env.JOBS_POLL_SECONDS,
      maintenanceSeconds: env.JOBS_MAINTENANCE_SECONDS,
      expireSeconds: env.JOBS_EXPIRE_SECONDS,
      retryLimit: env.JOBS_RETRY_LIMIT,
      retryDelaySeconds: env.JOBS_RETRY_DELAY_SECONDS,
    },
    providers: {
      openai: env.OPENAI_API_KEY ? { apiKey: env.OPENAI_API_KEY, baseURL: env.OPENAI_BASE_URL } : undefined,
      timeoutMs: env.AI_TIMEOUT_MS,
      concurrency: { openai: env.AI_PROVIDER_CONCURRENCY, local: env.AI_LOCAL_CONCURRENCY },
      queueMaxWaitMs: env.AI_QUEUE_MAX_WAIT_MS,
    },
    upstash:
      env.UPSTASH_REDIS_REST_URL && env.UPSTASH_REDIS_REST_TOKEN
        ? { url: env.UPSTASH_REDIS_REST_URL, token: env.UPSTASH_REDIS_REST_TOKEN }
        : undefined,
  });

  // The demo API key's secret is only known at creation; keep it beside the data so restarts can show it.
  const credentialsFile = join(dataDir, "demo-credentials.json");
  let demo: DemoCredentials | null = null;
  if (env.SEED_DEMO && (await server.services.organizations.isEmpty())) {
    demo = await seedDemo(server.services);
    // With DATABASE_URL nothing else creates DATA_DIR.
    mkdirSync(dataDir, { recursive: true });
    writeFileSync(credentialsFile, JSON.stringify(demo, null, 2), { mode: 0o600 });
  } else if (existsSync(credentialsFile)) {
    demo = JSON.parse(readFileSync(credentialsFile, "utf8")) as DemoCredentials;
  }

  const base = `http://localhost:${server.port}`;
  const lines = [
    "",
    `WedSync AI Platform is running (${server.database.kind === "pglite" ? `PGlite in ${dataDir}` : "PostgreSQL"})`,
    `  Supplier app   ${base}/`,
    `  Admin app      ${base}/admin/`,
    `  tRPC API       ${base}/trpc`,
    `  Health         ${base}/healthz`,
  ];
  if (demo) {
    lines.push("", `Demo logins (password: ${demo.password})`);
    for (const l of demo.logins)
      lines.push(`  ${l.email.padEnd(28)} ${l.role.padEnd(15)} ${l.organization ?? "all organizations"}`);
    lines.push(
      "",
      `Demo API key (${demo.apiKey.organization}, ${demo.apiKey.role}):`,
      `  ${demo.apiKey.key}`,
    );
  }
  console.log(lines.join("\n"));

  // Once, whatever arrives: a terminal's Ctrl-C reaches a supervised process twice (SIGINT from the
  // terminal, SIGTERM from its supervisor), and a second close would close closed things.
  let stopping: Promise<void> | null = null;
  const stop = () => {
    stopping ??= server.close().then(
      () => process.exit(0),
      (err: unknown) => {
        console.error("shutdown failed", err);
        process.exit(1);
      },
    );
    return stopping;
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
