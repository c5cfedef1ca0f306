/**
 * Background jobs for heavy documents (issue 15): clients.process with mode "async" (or above the
 * documented size) admits and reserves at enqueue and answers with a job id; the job calls the
 * provider (the fake OpenAI upstream, a real HTTP server) and completes the same usage row once;
 * jobs.get / list / cancel / onProgress follow it. On PostgreSQL, a job whose instance is killed
 * mid-run finishes on another instance, billed once.
 */
import { randomUUID } from "node:crypto";
import type { RunningServer, ServerOptions } from "@wedsync/api/server";
import { createWedsyncClient } from "@wedsync/client";
import { type Cluster, startCluster } from "@wedsync/cluster";
import { aiJobs, BACKGROUND_TEXT_CHARS, fromMicros } from "@wedsync/core";
import { type FakeOpenAI, startFakeOpenAI } from "@wedsync/fake-openai";
import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { expectError } from "./harness/errors";
import { expectCountersEqualLog } from "./harness/ledger";
import { startTestServer } from "./harness/server";
import { postgresOnly, skipNote } from "./harness/skips";
import { firstEvent, subscribe } from "./harness/subscriptions";
import { createTenant, type SessionClient, type Tenant } from "./harness/tenant";
import { countersOf, usageRows } from "./harness/usage";

const TEXT = "Emma & Liam, 12 June 2027, Kew Gardens, 120 guests, emma@example.com";
const FINISHED = ["succeeded", "failed", "cancelled"];

/** A queue of this file's own: on PostgreSQL other files' servers share the database. */
const queue = `jobs-test-${randomUUID().slice(0, 8)}`;

const providers = (fake: FakeOpenAI): ServerOptions["providers"] => ({
  openai: { apiKey: "sk-test", baseURL: fake.url },
  timeoutMs: 5_000,
  // One attempt per run: retries here are the job engine's.
  retry: { maxAttempts: 1, initialDelayMs: 5, maxDelayMs: 20 },
  breaker: { failureThreshold: 1_000, halfOpenAfterMs: 60_000 },
});
const jobOptions = { pollSeconds: 0.5, retryLimit: 2, retryDelaySeconds: 1, maintenanceSeconds: 1 };

let fake: FakeOpenAI;
let server: RunningServer;
beforeAll(async () => {
  fake = await startFakeOpenAI();
  server = await startTestServer({ providers: providers(fake), jobs: { ...jobOptions, queue } });
});
afterAll(async () => {
  await server?.close();
  await fake?.close();
});
beforeEach(() => fake.reset());

type JobOf = Awaited<ReturnType<SessionClient["jobs"]["get"]["query"]>>;

async function waitForJob(client: SessionClient, jobId: string, statuses = FINISHED): Promise<JobOf> {
  const until = Date.now() + 20_000;
  for (;;) {
    const job = await client.jobs.get.query({ jobId });
    if (statuses.includes(job.status)) return job;
    if (Date.now() > until) throw new Error(`job ${jobId} still ${job.status}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** A client that never falls back to the local engine, so the upstream's failures reach the job. */
async function noFallback(t: Tenant, clientId = t.clientIds[0]!) {
  await (await t.as("owner")).clients.config.update.mutate({
    clientId,
    featureType: "field_extraction",
    expectedVersion: 0,
    processingPreferences: { allowFallback: false },
  });
}

const processAsync = (c: SessionClient, clientId: string, text = TEXT) =>
  c.clients.process.mutate({ clientId, featureType: "field_extraction", input: { text }, mode: "async" });

describe("background jobs", () => {
  it("async: queued at once, then succeeded with the result; one usage row, billed once", async () => {
    const t = await createTenant(server);
    const member = await t.as("member");
    const queued = await processAsync(member, t.clientIds[0]!);
    expect(queued).toMatchObject({ status: "queued", result: null, usage: { costUsd: "0.000000" } });
    if (!queued.jobId) throw new Error("expected a job");

    const job = await waitForJob(member, queued.jobId);
    expect(job).toMatchObject({ status: "succeeded", progress: 100, attempts: 1, error: null });
    expect(job.requestId).toBe(queued.usage.requestId);
    expect(job.result?.usage.requestId).toBe(queued.usage.requestId);
    expect(job.result?.result).toHaveProperty("fields");

    const rows = await usageRows(server, t.organizationId);
    expect(rows.map((r) => [r.requestId, r.status])).toEqual([[queued.usage.requestId, "succeeded"]]);
    expect(rows[0]!.costUsd).toBe(job.result?.usage.costUsd);
    expect(Number(rows[0]!.costUsd)).toBeGreaterThan(0);
    expect(fake.requestCount).toBe(1);
    await expectCountersEqualLog(server.services.db, t.organizationId);

    const list = await member.jobs.list.query({});
    expect(list.jobs.map((j) => j.id)).toEqual([queued.jobId]);
    expect((await member.jobs.list.query({ status: "failed" })).jobs).toEqual([]);
  });

  it("without a mode, text above the documented size goes to a job; small text is answered at once", async () => {
    const t = await createTenant(server);
    const member = await t.as("member");
    const small = await member.clients.process.mutate({
      clientId: t.clientIds[0]!,
      featureType: "field_extraction",
      input: { text: TEXT },
    });
    expect(small.jobId).toBeUndefined();
    const big = `${TEXT} `
      .repeat(Math.ceil((BACKGROUND_TEXT_CHARS + 1) / (TEXT.length + 1)))
      .slice(0, BACKGROUND_TEXT_CHARS + 1);
    const heavy = await member.clients.process.mutate({
      clientId: t.clientIds[0]!,
      featureType: "field_extraction",
      input: { text: big },
    });
    if (!heavy.jobId) throw new Error("expected a job");
    expect((await waitForJob(member, heavy.jobId)).status).toBe("succeeded");
  });

  it("a cap reached at enqueue refuses the job: no job is created", async () => {
    const t = await createTenant(server);
    const owner = await t.as("owner");
    await owner.clients.config.update.mutate({
      clientId: t.clientIds[0]!,
      featureType: "field_extraction",
      expectedVersion: 0,
      overrides: { maxRequestsPerDay: 1 },
    });
    const member = await t.as("member");
    await processAsync(member, t.clientIds[0]!);
    const e = await expectError(processAsync(member, t.clientIds[0]!), "TOO_MANY_REQUESTS");
    expect(e.data?.details).toMatchObject({ reason: "daily_request_cap" });
    expect((await member.jobs.list.query({})).jobs).toHaveLength(1);
  });

  it("a retryable provider failure is retried with backoff: succeeded on the second run, billed once", async () => {
    const t = await createTenant(server);
    await noFallback(t);
    fake.setBehavior([{ kind: "status", status: 503 }, { kind: "ok" }]);
    const member = await t.as("member");
    const queued = await processAsync(member, t.clientIds[0]!);
    if (!queued.jobId) throw new Error("expected a job");
    const job = await waitForJob(member, queued.jobId);
    expect(job).toMatchObject({ status: "succeeded", attempts: 2, error: null });
    expect(fake.requestCount).toBe(2);
    const rows = await usageRows(server, t.organizationId);
    expect(rows.map((r) => r.status)).toEqual(["succeeded"]);
    await expectCountersEqualLog(server.services.db, t.organizationId);
  });

  it("a provider that refuses the request fails the job at once: the row failed, nothing charged", async () => {
    const t = await createTenant(server);
    await noFallback(t);
    fake.setBehavior({ kind: "status", status: 400 });
    const member = await t.as("member");
    const queued = await processAsync(member, t.clientIds[0]!);
    if (!queued.jobId) throw new Error("expected a job");
    const job = await waitForJob(member, queued.jobId);
    expect(job).toMatchObject({
      status: "failed",
      attempts: 1,
      result: null,
      error: { code: "BAD_REQUEST" },
    });
    const rows = await usageRows(server, t.organizationId);
    expect(rows.map((r) => [r.status, r.costUsd])).toEqual([["failed", "0.000000"]]);
    await expectCountersEqualLog(server.services.db, t.organizationId);
  });

  it("cancelling a running job aborts the provider call; the job ends cancelled and its row failed", async () => {
    const t = await createTenant(server);
    await noFallback(t);
    fake.setBehavior({ kind: "hang" });
    const member = await t.as("member");
    const queued = await processAsync(member, t.clientIds[0]!);
    if (!queued.jobId) throw new Error("expected a job");
    await waitForJob(member, queued.jobId, ["running", ...FINISHED]);
    const asked = await member.jobs.cancel.mutate({ jobId: queued.jobId });
    expect(asked.cancelRequested).toBe(true);
    const job = await waitForJob(member, queued.jobId);
    expect(job).toMatchObject({ status: "cancelled", error: { code: "CANCELLED" } });
    const rows = await usageRows(server, t.organizationId);
    expect(rows.map((r) => [r.status, r.costUsd])).toEqual([["failed", "0.000000"]]);
    await expectError(member.jobs.cancel.mutate({ jobId: queued.jobId }), "CONFLICT");
    await expectCountersEqualLog(server.services.db, t.organizationId);
  });

  it("another organization's job is NOT_FOUND (get, cancel, onProgress); nothing changes", async () => {
    const t = await createTenant(server);
    const other = await createTenant(server);
    const member = await t.as("member");
    const queued = await processAsync(member, t.clientIds[0]!);
    if (!queued.jobId) throw new Error("expected a job");
    await waitForJob(member, queued.jobId);
    for (const attacker of [await other.as("owner"), (await other.apiKey("admin")).client]) {
      await expectError(attacker.jobs.get.query({ jobId: queued.jobId }), "NOT_FOUND");
      await expectError(attacker.jobs.cancel.mutate({ jobId: queued.jobId }), "NOT_FOUND");
      await expectError(
        firstEvent((h) => attacker.jobs.onProgress.subscribe({ jobId: queued.jobId }, h)),
        "NOT_FOUND",
      );
      expect((await attacker.jobs.list.query({})).jobs).toEqual([]);
    }
    expect((await member.jobs.get.query({ jobId: queued.jobId })).status).toBe("succeeded");
  });
});

describe("jobs queued on an instance that does not run them yet", () => {
  let idle: RunningServer;
  beforeAll(async () => {
    idle = await startTestServer({
      providers: providers(fake),
      jobs: { ...jobOptions, queue: `${queue}-idle`, work: false },
    });
  });
  afterAll(() => idle?.close());

  it("cancelling a queued job releases its reservation: a request that did not fit fits again", async () => {
    const t = await createTenant(idle);
    const owner = await t.as("owner");
    const clientId = t.clientIds[0]!;
    // gpt-4o and a 16 000-token output budget: a reservation of about $0.16.
    await owner.platform.config.update.mutate({
      featureType: "field_extraction",
      expectedVersion: 1,
      patch: { model: "gpt-4o" },
    });
    await owner.clients.config.update.mutate({
      clientId,
      featureType: "field_extraction",
      expectedVersion: 0,
      featureSettings: { maxOutputTokens: 16_000 },
    });
    const member = await t.as("member");
    const first = await processAsync(member, clientId);
    if (!first.jobId) throw new Error("expected a job");
    const [row] = await usageRows(idle, t.organizationId);
    const reserved = row!.reservedMicros;
    expect(reserved).toBeGreaterThan(0n);
    // Room for one reservation, not two.
    await owner.clients.config.update.mutate({
      clientId,
      featureType: "field_extraction",
      expectedVersion: 1,
      overrides: { maxCostPerDay: fromMicros((reserved * 3n) / 2n, 2) },
    });
    const e = await expectError(processAsync(member, clientId), "TOO_MANY_REQUESTS");
    expect(e.data?.details).toMatchObject({ reason: "daily_cost_cap" });

    const cancelled = await member.jobs.cancel.mutate({ jobId: first.jobId });
    expect(cancelled).toMatchObject({ status: "cancelled", error: { code: "CANCELLED" } });
    const rows = await usageRows(idle, t.organizationId);
    const firstRow = rows.find((r) => r.requestId === first.usage.requestId)!;
    expect([firstRow.status, firstRow.costUsd]).toEqual(["failed", "0.000000"]);
    const { orgDaily } = await countersOf(idle, t.organizationId);
    expect(orgDaily.map((d) => d.reservedMicros)).toEqual([0n]);

    const again = await processAsync(member, clientId);
    expect(again.jobId && again.status).toBe("queued");
    await expectCountersEqualLog(idle.services.db, t.organizationId);
    expect(
      (await idle.services.db.select().from(aiJobs).where(eq(aiJobs.id, first.jobId)))[0]?.input,
    ).toBeNull();
  });

  it("a job the engine gave up on (every run lost) ends failed, its row failed at no charge, its reservation released", async () => {
    const t = await createTenant(idle);
    const member = await t.as("member");
    const queued = await processAsync(member, t.clientIds[0]!);
    if (!queued.jobId) throw new Error("expected a job");
    // Nothing to sweep while the engine still holds the job.
    await idle.services.db.execute(
      sql`update ai_jobs set created_at = now() - interval '1 minute' where id = ${queued.jobId}`,
    );
    await idle.services.jobs.sweepLost();
    expect((await member.jobs.get.query({ jobId: queued.jobId })).status).toBe("queued");
    // What pg-boss does once a job's retries have all expired: the entry is failed for good.
    await idle.services.db.execute(sql`update pgboss.job set state = 'failed' where id = ${queued.jobId}`);
    expect(await idle.services.jobs.sweepLost()).toBeGreaterThanOrEqual(1);

    const job = await member.jobs.get.query({ jobId: queued.jobId });
    expect(job).toMatchObject({ status: "failed", error: { code: "SERVICE_UNAVAILABLE" } });
    const [row] = await usageRows(idle, t.organizationId);
    expect([row!.status, row!.costUsd]).toEqual(["failed", "0.000000"]);
    const { orgDaily } = await countersOf(idle, t.organizationId);
    expect(orgDaily.map((d) => d.reservedMicros)).toEqual([0n]);
    await expectCountersEqualLog(idle.services.db, t.organizationId);
    // Sweeping again changes nothing.
    await idle.services.jobs.sweepLost();
    expect((await member.jobs.get.query({ jobId: queued.jobId })).version).toBe(job.version);
  });

  it("onProgress delivers queued, then running, then succeeded, and ends", async () => {
    const t = await createTenant(idle);
    const member = await t.as("member");
    const queued = await processAsync(member, t.clientIds[0]!);
    if (!queued.jobId) throw new Error("expected a job");
    const sub = subscribe<{ id: string; data: JobOf }>((h) =>
      member.jobs.onProgress.subscribe({ jobId: queued.jobId }, h),
    );
    await sub.started;
    expect((await sub.waitFor(1))[0]!.data.status).toBe("queued");
    fake.setBehavior({ kind: "ok", delayMs: 300 });
    await idle.services.jobs.work();
    const until = Date.now() + 15_000;
    while (!sub.items.some((i) => i.data.status === "succeeded") && Date.now() < until) {
      await new Promise((r) => setTimeout(r, 50));
    }
    sub.stop();
    const statuses = sub.items.map((i) => i.data.status).filter((s, i, all) => s !== all[i - 1]);
    expect(statuses).toEqual(["queued", "running", "succeeded"]);
    const versions = sub.items.map((i) => Number(i.id));
    expect(versions).toEqual([...versions].sort((a, b) => a - b));
    expect(sub.items.at(-1)!.data.result?.usage.requestId).toBe(queued.usage.requestId);
  });
});

const onPostgres = process.env.TEST_DB === "postgres";
const redisUrl = process.env.REDIS_URL;

describe.skipIf(!onPostgres || !redisUrl)(
  skipNote("a job whose instance is killed mid-run", postgresOnly ?? (redisUrl ? null : "needs REDIS_URL")),
  () => {
    let upstream: FakeOpenAI;
    let cluster: Cluster;
    let setup: RunningServer;
    const crashQueue = `${queue}-crash`;

    beforeAll(async () => {
      upstream = await startFakeOpenAI();
      cluster = await startCluster({
        instances: 2,
        databaseUrl: process.env.DATABASE_URL!,
        redisUrl: redisUrl!,
        env: {
          OPENAI_API_KEY: "sk-test",
          OPENAI_BASE_URL: upstream.url,
          JOBS_QUEUE: crashQueue,
          JOBS_POLL_SECONDS: "0.5",
          JOBS_MAINTENANCE_SECONDS: "1",
          JOBS_EXPIRE_SECONDS: "4",
          JOBS_RETRY_DELAY_SECONDS: "1",
        },
      });
      // Creates the tenant and reads the database; runs no jobs of the cluster's queue.
      setup = await startTestServer({ upstash: cluster.upstash, jobs: { queue: crashQueue, work: false } });
    }, 180_000);
    afterAll(async () => {
      await setup?.close();
      await cluster?.stop();
      await upstream?.close();
    });

    it("kill -9 of the instance running a job: another instance finishes it, billed once", async () => {
      const t = await createTenant(setup);
      const { key } = await t.apiKey("member");
      // The first call hangs on the instance that takes the job; the re-run is answered.
      upstream.setBehavior([{ kind: "ok", delayMs: 60_000 }, { kind: "ok" }]);
      const client = createWedsyncClient({ url: cluster.instances[0]!.url, apiKey: key });
      const queued = await client.clients.process.mutate({
        clientId: t.clientIds[0]!,
        featureType: "field_extraction",
        input: { text: TEXT },
        mode: "async",
      });
      if (!queued.jobId) throw new Error("expected a job");
      const readJob = async () =>
        (await setup.services.db.select().from(aiJobs).where(eq(aiJobs.id, queued.jobId)))[0]!;
      let job = await readJob();
      for (const until = Date.now() + 20_000; !(job.status === "running" && upstream.requestCount >= 1); ) {
        if (Date.now() > until) throw new Error(`job still ${job.status}`);
        await new Promise((r) => setTimeout(r, 100));
        job = await readJob();
      }
      const victim = cluster.instances.findIndex((i) => i.id === job.runner);
      expect(victim).toBeGreaterThanOrEqual(0);
      await cluster.kill(victim, "SIGKILL");
      const survivor = cluster.instances[1 - victim]!;

      for (const until = Date.now() + 40_000; job.status !== "succeeded"; ) {
        if (Date.now() > until || job.status === "failed")
          throw new Error(`job ${job.status}: ${job.errorMessage}`);
        await new Promise((r) => setTimeout(r, 200));
        job = await readJob();
      }
      expect(job.runner).toBe(survivor.id);
      expect(job.attempts).toBeGreaterThanOrEqual(2);
      const rows = await usageRows(setup, t.organizationId);
      expect(rows.map((r) => [r.requestId, r.status])).toEqual([[queued.usage.requestId, "succeeded"]]);
      await expectCountersEqualLog(setup.services.db, t.organizationId);
    }, 120_000);
  },
);
