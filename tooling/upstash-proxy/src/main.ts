import { startUpstashProxy } from "./index";

const redisUrl = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";
const token = process.env.UPSTASH_PROXY_TOKEN ?? "dev-token";
const port = Number(process.env.UPSTASH_PROXY_PORT ?? 8079);
const host = process.env.UPSTASH_PROXY_HOST ?? "127.0.0.1";

const proxy = await startUpstashProxy({ redisUrl, token, port, host });
console.log(`Upstash REST proxy for ${redisUrl} listening on ${proxy.url}`);
console.log(`  UPSTASH_REDIS_REST_URL=${proxy.url} UPSTASH_REDIS_REST_TOKEN=${token}`);

for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => {
    void proxy.close().then(() => process.exit(0));
  });
}
