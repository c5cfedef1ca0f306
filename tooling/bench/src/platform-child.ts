/**
 * The platform under test, in a process of its own: startServer on PostgreSQL, rate limits in
 * Redis through the Upstash REST proxy, the OpenAI provider pointed at the fake upstream. Seeds one
 * organization with caps far above what the run can reach and an API key, then reports
 * `{ type: "ready", url, organizationId, apiKey }` over IPC. SIGTERM (or the parent going away)
 * closes the server, which drains pending usage writes, and exits 0 (so --cpu-prof is written).
 */
import { startServer } from "@wedsync/api/server";
import { aiPlatformConfigs } from "@wedsync/core";
import { eq } from "drizzle-orm";
import { instrument, type PhaseStat } from "./phases";

export interface PlatformPhases {
  type: "phases";
  stats: PhaseStat[];
}

export interface PlatformReady {
  type: "ready";
  url: string;
  organizationId: string;
  apiKey: string;
}

const env = (name: string) => {
  const value = process.env[name];
  if (!value) throw new Error(`platform-child: ${name} is not set`);
  return value;
};

const server = await startServer({
  port: 0,
  host: "127.0.0.1",
  databaseUrl: env("DATABASE_URL"),
  providers: { openai: { apiKey: "sk-fake", baseURL: env("FAKE_OPENAI_URL") } },
  upstash: { url: env("UPSTASH_URL"), token: env("UPSTASH_TOKEN") },
  logLevel: "warn",
  serveApps: false,
});

// Generous caps: this measures the governance path's cost, not its rejections.
const org = await server.services.organizations.createOrganization({
  name: "Bench Weddings Ltd",
  slug: `bench-${Date.now()}`,
  tier: "enterprise",
  billingEmail: "bench@wedsync.invalid",
  monthlyCreditLimit: "9999999999.99", // numeric(12, 2) maximum
});
await server.services.db
  .update(aiPlatformConfigs)
  .set({
    isEnabled: true,
    maxRequestsPerDay: 2_000_000_000,
    maxCostPerDay: "99999999.99", // numeric(10, 2) maximum
    rateLimitPerMinute: 2_000_000_000,
  })
  .where(eq(aiPlatformConfigs.organizationId, org.id));
const { secret } = await server.services.auth.createApiKey({
  organizationId: org.id,
  name: "bench",
  role: "member",
  defaultFeature: "field_extraction",
  createdBy: null,
});

// Phase timing (BENCH_PHASES=1): the parent asks for the figures with { type: "phases" }.
if (process.env.BENCH_PHASES === "1") {
  const read = instrument(server.services);
  process.on("message", (m: { type?: string }) => {
    if (m?.type === "phases") process.send?.({ type: "phases", stats: read() } satisfies PlatformPhases);
  });
}

let closing = false;
async function shutdown(code: number) {
  if (closing) return;
  closing = true;
  try {
    await server.close();
  } catch (err) {
    console.error("platform-child: close failed", err);
    code = 1;
  }
  process.exit(code);
}
process.once("SIGTERM", () => void shutdown(0));
process.once("SIGINT", () => void shutdown(0));
process.once("disconnect", () => void shutdown(0));

const ready: PlatformReady = { type: "ready", url: server.url, organizationId: org.id, apiKey: secret };
process.send?.(ready);
