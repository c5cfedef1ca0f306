/**
 * `pnpm dev:cluster`: N API instances (default 2) on one PostgreSQL and one Redis, behind a
 * round-robin load balancer, seeded with the demo data. Needs DATABASE_URL and a Redis
 * (REDIS_URL, default redis://127.0.0.1:6379).
 */
import { startBalancer } from "./balancer";
import { startCluster } from "./index";

const databaseUrl = process.env.DATABASE_URL;
if (!databaseUrl) {
  console.error("dev:cluster needs DATABASE_URL (a PostgreSQL database the instances share)");
  process.exit(1);
}
const instances = Number(process.env.INSTANCES ?? 2);
const port = Number(process.env.PORT ?? 3000);
const cluster = await startCluster({
  instances,
  databaseUrl,
  redisUrl: process.env.REDIS_URL ?? "redis://127.0.0.1:6379",
  // The instances take free ports the OS gives (fixed ones next to PORT could belong to another
  // server answering /healthz); the balancer on PORT is the address to use.
  env: { SEED_DEMO: "true", LOG_LEVEL: process.env.LOG_LEVEL ?? "info" },
  echo: true,
});
const balancer = await startBalancer(
  cluster.instances.map((i) => i.url),
  port,
).catch(async (err: Error) => {
  await cluster.stop();
  console.error(`dev:cluster: the balancer cannot listen on port ${port}: ${err.message}`);
  process.exit(1);
});
console.log(
  [
    "",
    `WedSync cluster: ${instances} instances behind ${balancer.url.replace("127.0.0.1", "localhost")}`,
    ...cluster.instances.map((i) => `  ${i.name}  ${i.url}  (pid ${i.pid}, instance ${i.id})`),
    `  Upstash-REST proxy ${cluster.upstash.url}`,
    "Demo logins and API key: see the first instance's output above.",
  ].join("\n"),
);
const stop = async () => {
  await balancer.close();
  await cluster.stop();
  process.exit(0);
};
process.on("SIGINT", stop);
process.on("SIGTERM", stop);
