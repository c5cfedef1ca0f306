/**
 * Budget and performance alerts: rules per organization, one alert per crossing however many
 * requests (or instances) see it, a realtime event, and a signed webhook retried after a failure
 * and never delivered twice. Real server, typed client, a fake upstream that reports token usage
 * (so requests cost real money), and webhook receivers as real HTTP servers.
 */
import { createHmac, randomUUID, timingSafeEqual } from "node:crypto";
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { RunningServer, ServerOptions } from "@wedsync/api/server";
import type { RouterOutputs } from "@wedsync/client";
import { aiAlerts, organizations } from "@wedsync/core";
import { type FakeOpenAI, startFakeOpenAI } from "@wedsync/fake-openai";
import { asc, eq } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type BusWatch, watchBus } from "./harness/bus";
import { expectError, fieldsOf } from "./harness/errors";
import { itemsBefore } from "./harness/markers";
import { startTestServer } from "./harness/server";
import { postgresOnly, skipNote } from "./harness/skips";
import { firstEvent, subscribe } from "./harness/subscriptions";
import { createTenant, type SessionClient, signIn, type Tenant } from "./harness/tenant";

type AlertEvent = RouterOutputs["alerts"]["onAlert"] extends AsyncIterable<infer T> ? T : never;

const TEXT = "Emma & Liam, 12 June 2027, Kew Gardens, 120 guests";
const SECRET = "whsec-test-0123456789abcdef";
/** gpt-4o-mini: 3 x 0.15 + 16,666 x 0.60 = 10,000.05 micro-dollars, stored as exactly $0.010000. */
const TEN_THOUSAND_MICROS = { kind: "ok" as const, usage: { prompt_tokens: 3, completion_tokens: 16_666 } };

let fake: FakeOpenAI;
let server: RunningServer;
let bus: BusWatch;
const serverOptions = (): Partial<ServerOptions> => ({
  providers: {
    openai: { apiKey: "sk-test", baseURL: fake.url },
    timeoutMs: 5_000,
    retry: { maxAttempts: 1, initialDelayMs: 5, maxDelayMs: 10 },
    breaker: { failureThreshold: 1_000, halfOpenAfterMs: 60_000 },
  },
  alerts: {
    debounceMs: 50,
    minRequests: 5,
    // The test's receiver listens on 127.0.0.1; the refusal of private addresses is tested below.
    webhook: { retryDelaysMs: [100, 200, 400], timeoutMs: 2_000, pollMs: 200, allowPrivateAddresses: true },
  },
});
beforeAll(async () => {
  fake = await startFakeOpenAI();
  server = await startTestServer(serverOptions());
  bus = watchBus(server);
});
afterAll(async () => {
  bus?.stop();
  await server?.close();
  await fake?.close();
});
beforeEach(() => fake.reset());

/** The organization's alert rows, straight from the database, oldest first. */
function alertRows(organizationId: string, on: RunningServer = server) {
  return on.services.db
    .select()
    .from(aiAlerts)
    .where(eq(aiAlerts.organizationId, organizationId))
    .orderBy(asc(aiAlerts.id));
}

/**
 * The organization's alerts once all that its requests so far set off is over, on each server
 * given: their usage events have reached the server's bus (so its alert service has scheduled an
 * evaluation), the evaluations have run, and the webhook deliveries and the retries waiting on
 * its timers are done. Waits for those events, not for time to pass.
 */
async function settledAlerts(organizationId: string, on: Array<[RunningServer, BusWatch]> = [[server, bus]]) {
  for (const [instance, watch] of on) {
    await watch.usageDelivered(organizationId);
    await instance.services.alerts.idle();
  }
  return alertRows(organizationId);
}

/**
 * Resolves once the server's webhook poller has looked for due deliveries `n` more times (every
 * pollMs): a test waits for the polls themselves. The poller is the alert service's own, so the
 * method it calls is wrapped for as long as this waits.
 */
function polls(on: RunningServer, n: number): Promise<void> {
  type Poller = { deliverDue(limit?: number): Promise<number> };
  const sender = (on.services.alerts as unknown as { webhooks: Poller }).webhooks;
  const deliverDue = sender.deliverDue;
  return new Promise((resolve) => {
    let left = n;
    sender.deliverDue = async (limit?: number) => {
      try {
        return await deliverDue.call(sender, limit);
      } finally {
        if (--left === 0) {
          sender.deliverDue = deliverDue;
          resolve();
        }
      }
    };
  });
}

/** Alert evaluations this instance has run so far (a number: prom-client hands out its live objects). */
async function evaluationsOn(s: RunningServer): Promise<number> {
  return (await s.services.metrics.alertEvaluations.get()).values[0]?.value ?? 0;
}

const keyOf = (a: { kind: string; threshold: number }) => `${a.kind}:${a.threshold}`;

function runProcess(t: Tenant, client: SessionClient, i = 0) {
  return client.clients.process.mutate({
    clientId: t.clientIds[i % t.clientIds.length]!,
    featureType: "field_extraction",
    input: { text: TEXT },
  });
}

async function setDailyCap(owner: SessionClient, cap: string) {
  const fe = (await owner.platform.config.get.query()).features.find(
    (f) => f.featureType === "field_extraction",
  )!;
  await owner.platform.config.update.mutate({
    featureType: "field_extraction",
    expectedVersion: fe.version,
    patch: { maxCostPerDay: cap },
  });
}

interface Received {
  headers: IncomingHttpHeaders;
  body: string;
  at: number;
}

/** A webhook receiver: a real HTTP server answering each delivery with the next status (the last repeats). */
async function startReceiver(statuses: number[]) {
  const received: Received[] = [];
  const wakers = new Set<() => void>();
  const queue = [...statuses];
  const http: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      received.push({ headers: req.headers, body: Buffer.concat(chunks).toString("utf8"), at: Date.now() });
      res.writeHead(queue.length > 1 ? queue.shift()! : queue[0]!).end();
      for (const wake of [...wakers]) wake();
    });
  });
  await new Promise<void>((resolve) => http.listen(0, "127.0.0.1", resolve));
  const { port } = http.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hooks/wedsync`,
    received,
    /** Resolves once `n` deliveries in all have arrived (rejects after `timeoutMs`). */
    waitFor: (n: number, timeoutMs = 10_000) =>
      new Promise<void>((resolve, reject) => {
        const check = () => {
          if (received.length < n) return;
          wakers.delete(check);
          clearTimeout(timer);
          resolve();
        };
        const timer = setTimeout(() => {
          wakers.delete(check);
          reject(new Error(`waited ${timeoutMs} ms for ${n} deliveries, got ${received.length}`));
        }, timeoutMs);
        wakers.add(check);
        check();
      }),
    close: () => new Promise<void>((resolve) => http.close(() => resolve())),
  };
}

/** What a receiver does: recompute the HMAC of "<t>.<body>" with the shared secret, compare in constant time. */
function verifySignature(r: Received, secret: string): { ok: boolean; t: number } {
  const header = String(r.headers["x-wedsync-signature"] ?? "");
  const m = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(header);
  if (!m) return { ok: false, t: 0 };
  const expected = createHmac("sha256", secret).update(`${m[1]}.${r.body}`).digest();
  return { ok: timingSafeEqual(expected, Buffer.from(m[2]!, "hex")), t: Number(m[1]) };
}

describe("cost alerts", () => {
  it("each threshold of the daily cap fires once, however many requests of a burst cross it", async () => {
    const t = await createTenant(server);
    const [owner, admin, member] = await Promise.all([t.as("owner"), t.as("admin"), t.as("member")]);
    await setDailyCap(owner, "0.10");
    const rule = await admin.alerts.rules.create.mutate({ kind: "daily_cost", thresholds: [80, 50, 100] });
    expect(rule.thresholds).toEqual([50, 80, 100]);
    const live = subscribe<AlertEvent>((h) => admin.alerts.onAlert.subscribe({}, h));
    await live.started;
    fake.setBehavior(TEN_THOUSAND_MICROS);

    // A burst of six requests at once: $0.06 of $0.10 crosses 50%.
    await Promise.all(Array.from({ length: 6 }, (_, i) => runProcess(t, member, i)));
    expect((await settledAlerts(t.organizationId)).map(keyOf)).toEqual(["daily_cost:50"]);
    // Three more at once: $0.09 crosses 80%.
    await Promise.all(Array.from({ length: 3 }, (_, i) => runProcess(t, member, i)));
    expect((await settledAlerts(t.organizationId)).map(keyOf)).toEqual(["daily_cost:50", "daily_cost:80"]);
    // One more reaches the cap exactly; the next is refused by it and raises nothing new.
    await runProcess(t, member);
    await expectError(runProcess(t, member), "TOO_MANY_REQUESTS");
    const rows = await settledAlerts(t.organizationId);
    expect(rows.map(keyOf)).toEqual(["daily_cost:50", "daily_cost:80", "daily_cost:100"]);
    const day = rows[0]!.period.slice(0, 10);
    expect(rows.map((r) => r.period)).toEqual(Array(3).fill(`${day}/field_extraction`));
    expect(rows[2]).toMatchObject({ value: "0.100000", ruleId: rule.id });
    expect(rows[2]!.message).toContain("100% of its $0.10 daily cost cap");
    // Evaluating again (as any instance might) finds every crossing recorded.
    expect(await server.services.alerts.evaluateOrganization(t.organizationId)).toEqual([]);
    expect(await alertRows(t.organizationId)).toHaveLength(3);

    // The realtime stream delivered each alert in order; alerts.list is newest first.
    const events = await live.waitFor(3);
    expect(events.map((e) => [e.id, e.data.kind, e.data.threshold])).toEqual(
      rows.map((r) => [String(r.id), "daily_cost", r.threshold]),
    );
    const page = await admin.alerts.list.query({ limit: 2 });
    expect(page.alerts.map((a) => a.threshold)).toEqual([100, 80]);
    const rest = await admin.alerts.list.query({ limit: 2, cursor: page.nextCursor! });
    expect(rest).toMatchObject({ alerts: [{ threshold: 50 }], nextCursor: null });

    // A subscriber reconnecting after the first alert gets the two it missed.
    const resumed = subscribe<AlertEvent>((h) =>
      admin.alerts.onAlert.subscribe({ lastEventId: String(rows[0]!.id) }, h),
    );
    expect((await resumed.waitFor(2)).map((e) => e.data.threshold)).toEqual([80, 100]);
    resumed.stop();

    // Each alert reached the live stream once: a later alert (a 10% threshold, added now and
    // already crossed) is the next event on it, with nothing in between.
    await admin.alerts.rules.update.mutate({ id: rule.id, thresholds: [10, 50, 80, 100] });
    const marker = (await settledAlerts(t.organizationId)).find((r) => r.threshold === 10)!;
    expect(marker).toMatchObject({ kind: "daily_cost", threshold: 10 });
    const before = await itemsBefore(live, String(marker.id));
    expect(before.map((e) => e.id)).toEqual(rows.map((r) => String(r.id)));
    live.stop();
  });

  it("the daily cap's 100% fires when the cap turns a request away, though spend stops short of it", async () => {
    const t = await createTenant(server);
    const [owner, admin, member] = await Promise.all([t.as("owner"), t.as("admin"), t.as("member")]);
    await setDailyCap(owner, "0.05");
    await admin.alerts.rules.create.mutate({ kind: "daily_cost", thresholds: [50, 80, 100] });
    // $0.0099 a request: five spend $0.0495, and the sixth's reservation (its worst case) no longer fits.
    fake.setBehavior({ kind: "ok", usage: { prompt_tokens: 3, completion_tokens: 16_499 } });
    for (let i = 0; i < 5; i++) await runProcess(t, member, i);
    await settledAlerts(t.organizationId);
    expect((await alertRows(t.organizationId)).map(keyOf)).toEqual(["daily_cost:50", "daily_cost:80"]);
    await expectError(runProcess(t, member), "TOO_MANY_REQUESTS");
    const rows = await settledAlerts(t.organizationId);
    expect(rows.map(keyOf)).toEqual(["daily_cost:50", "daily_cost:80", "daily_cost:100"]);
    expect(rows[2]).toMatchObject({ value: "0.049500" });
    expect(rows[2]!.message).toContain("reached its daily cost cap");
    expect(rows[2]!.message).toContain(
      "1 request turned away at $0.049500 spent, 99% of its $0.05 daily cost cap",
    );
    // More refusals the same day raise nothing more.
    await expectError(runProcess(t, member), "TOO_MANY_REQUESTS");
    expect(await settledAlerts(t.organizationId)).toHaveLength(3);
  });

  it("the monthly credit limit: its threshold fires once per month", async () => {
    const t = await createTenant(server);
    await server.services.db
      .update(organizations)
      .set({ monthlyCreditLimit: "0.10" })
      .where(eq(organizations.id, t.organizationId));
    const [admin, member] = await Promise.all([t.as("admin"), t.as("member")]);
    await admin.alerts.rules.create.mutate({ kind: "monthly_cost", thresholds: [50] });
    fake.setBehavior(TEN_THOUSAND_MICROS);
    await Promise.all(Array.from({ length: 4 }, (_, i) => runProcess(t, member, i)));
    expect(await settledAlerts(t.organizationId)).toEqual([]); // 40%
    await runProcess(t, member);
    const [alert] = await settledAlerts(t.organizationId);
    expect(alert).toMatchObject({ kind: "monthly_cost", threshold: 50, value: "0.050000" });
    expect(alert!.period).toMatch(/^\d{4}-\d{2}$/);
    await runProcess(t, member);
    expect(await settledAlerts(t.organizationId)).toHaveLength(1);
  });

  it("a burst of usage events costs one evaluation, not one per event", async () => {
    const t = await createTenant(server);
    await (await t.as("admin")).alerts.rules.create.mutate({ kind: "daily_cost", thresholds: [50] });
    await server.services.alerts.idle();
    const before = await evaluationsOn(server);
    // 500 usage events of this organization arrive through the bus at once (as NOTIFY delivers them).
    const events = Array.from({ length: 500 }, (_, i) => ({
      kind: "usage",
      organizationId: t.organizationId,
      seq: 1_000_000 + i,
      requestId: randomUUID(),
      featureType: "field_extraction",
      clientId: null,
      status: "succeeded",
      costUsd: "0.000001",
      inputTokens: 1,
      outputTokens: 1,
      cachedInputTokens: 0,
      rejectionReason: null,
    }));
    // The bus hands them to the alert service as they are received: its evaluation is scheduled now.
    for (let i = 0; i < events.length; i += 10) {
      server.services.events.receive(JSON.stringify({ events: events.slice(i, i + 10) }));
    }
    await server.services.alerts.idle();
    expect((await evaluationsOn(server)) - before).toBe(1);
  });
});

describe("performance alerts", () => {
  it("error rate and p95 latency fire once the day has enough requests to show them", async () => {
    const t = await createTenant(server);
    const [admin, member] = await Promise.all([t.as("admin"), t.as("member")]);
    await admin.alerts.rules.create.mutate({ kind: "error_rate", thresholds: [30] });
    await admin.alerts.rules.create.mutate({ kind: "p95_latency", thresholds: [250] });
    // 2 of the first 4 fail (50%), but 4 requests are below the minimum of 5: nothing yet.
    fake.setBehavior([
      { kind: "ok" },
      { kind: "ok" },
      { kind: "status", status: 400 },
      { kind: "status", status: 400 },
    ]);
    for (let i = 0; i < 2; i++) await runProcess(t, member);
    for (let i = 0; i < 2; i++) await expectError(runProcess(t, member), "BAD_REQUEST");
    expect(await settledAlerts(t.organizationId)).toEqual([]);
    // The fifth (slow) makes 2 of 5 = 40% failed; p95 of 5 is the slowest one.
    fake.setBehavior({ kind: "ok", delayMs: 300 });
    await runProcess(t, member);
    const rows = await settledAlerts(t.organizationId);
    expect(rows.map(keyOf).sort()).toEqual(["error_rate:30", "p95_latency:250"]);
    const errorRate = rows.find((r) => r.kind === "error_rate")!;
    expect(errorRate.value).toBe("40.00");
    expect(Number(rows.find((r) => r.kind === "p95_latency")!.value)).toBeGreaterThanOrEqual(294);
    expect(errorRate.period).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    // More slow requests and failures the same day: still one alert each.
    await runProcess(t, member);
    expect(await settledAlerts(t.organizationId)).toHaveLength(2);
    // alertOnPerformanceIssues, called with the same crossing again, records nothing.
    expect(
      await server.services.alerts.alertOnPerformanceIssues({
        organizationId: t.organizationId,
        period: errorRate.period,
        requests: 100,
        failed: 90,
        p95Ms: 10_000,
      }),
    ).toEqual([]);
  });
});

describe("alert webhooks", () => {
  it("are signed, retried after a 500, and never delivered again once delivered", async () => {
    const receiver = await startReceiver([500, 200]);
    try {
      const t = await createTenant(server);
      const [owner, admin, member] = await Promise.all([t.as("owner"), t.as("admin"), t.as("member")]);
      await setDailyCap(owner, "0.10");
      await admin.alerts.rules.create.mutate({
        kind: "daily_cost",
        thresholds: [50],
        webhookUrl: receiver.url,
        webhookSecret: SECRET,
      });
      fake.setBehavior(TEN_THOUSAND_MICROS);
      await Promise.all(Array.from({ length: 5 }, (_, i) => runProcess(t, member, i)));
      // Settled: the first attempt (500) and its retry (200) are over, no other retry is waiting.
      const [alert] = await settledAlerts(t.organizationId);
      await receiver.waitFor(2);
      // More usage, more evaluations, and no retry left on any timer or due in the row: nothing more is sent.
      await runProcess(t, member);
      await settledAlerts(t.organizationId);
      expect(receiver.received).toHaveLength(2);

      const [first, second] = receiver.received as [Received, Received];
      for (const [i, r] of [first, second].entries()) {
        const { ok, t: signedAt } = verifySignature(r, SECRET);
        expect(ok).toBe(true);
        expect(Math.abs(signedAt - r.at / 1000)).toBeLessThan(30);
        expect(verifySignature(r, `${SECRET}x`).ok).toBe(false); // the secret matters
        expect(r.headers["content-type"]).toBe("application/json");
        expect(r.headers["x-wedsync-alert-id"]).toBe(String(alert!.id));
        expect(r.headers["x-wedsync-delivery-attempt"]).toBe(String(i + 1));
        expect(JSON.parse(r.body)).toMatchObject({
          type: "alert",
          id: alert!.id,
          organizationId: t.organizationId,
          kind: "daily_cost",
          threshold: 50,
          value: "0.050000",
        });
      }
      // The retry waited its backoff.
      expect(second.at - first.at).toBeGreaterThanOrEqual(90);
      const [row] = await alertRows(t.organizationId);
      expect(row).toMatchObject({ deliveryAttempts: 2, deliveryError: null, nextAttemptAt: null });
      expect(row!.deliveredAt).toBeInstanceOf(Date);
      const listed = (await admin.alerts.list.query()).alerts[0]!;
      expect(listed.delivery).toMatchObject({ attempts: 2, error: null });
    } finally {
      await receiver.close();
    }
  });

  it("a receiver that keeps failing gets the configured retries, then the last error is kept", async () => {
    const receiver = await startReceiver([503]);
    try {
      const t = await createTenant(server);
      const [owner, admin, member] = await Promise.all([t.as("owner"), t.as("admin"), t.as("member")]);
      await setDailyCap(owner, "0.10");
      await admin.alerts.rules.create.mutate({
        kind: "daily_cost",
        thresholds: [50],
        webhookUrl: receiver.url,
        webhookSecret: SECRET,
      });
      fake.setBehavior(TEN_THOUSAND_MICROS);
      await Promise.all(Array.from({ length: 5 }, (_, i) => runProcess(t, member, i)));
      // Settled: every attempt made and no further retry waiting on a timer (nor due in the row, below).
      await settledAlerts(t.organizationId);
      await receiver.waitFor(4);
      expect(receiver.received).toHaveLength(4); // the first and three retries
      const [row] = await alertRows(t.organizationId);
      expect(row).toMatchObject({
        deliveryAttempts: 4,
        deliveredAt: null,
        deliveryError: "receiver answered 503",
        nextAttemptAt: null, // given up: nothing left to send
      });
    } finally {
      await receiver.close();
    }
  });

  it("a retry is kept in the alert row: whichever instance finds it due sends it, once, and none before it is due", async () => {
    const receiver = await startReceiver([200]);
    try {
      const t = await createTenant(server);
      const admin = await t.as("admin");
      const rule = await admin.alerts.rules.create.mutate({
        kind: "monthly_cost",
        thresholds: [50, 80],
        webhookUrl: receiver.url,
        webhookSecret: SECRET,
      });
      // As an instance that stopped while its retries waited leaves them: one attempt made, one
      // retry due a second ago, another due in a minute. This server raised neither.
      const owed = (threshold: number, dueInMs: number) => ({
        organizationId: t.organizationId,
        ruleId: rule.id,
        kind: "monthly_cost" as const,
        threshold,
        period: "2026-01",
        value: "1.000000",
        message: `test alert at ${threshold}%`,
        deliveryAttempts: 1,
        deliveryError: "receiver answered 500",
        nextAttemptAt: new Date(Date.now() + dueInMs),
      });
      const [due, later] = await server.services.db
        .insert(aiAlerts)
        .values([owed(50, -1_000), owed(80, 60_000)])
        .returning();
      // The poll (every 200 ms here) finds the due one; several more polls send nothing else.
      await receiver.waitFor(1);
      await polls(server, 3);
      await server.services.alerts.idle();
      expect(receiver.received).toHaveLength(1);
      expect(receiver.received[0]!.headers["x-wedsync-alert-id"]).toBe(String(due!.id));
      expect(receiver.received[0]!.headers["x-wedsync-delivery-attempt"]).toBe("2");
      expect(verifySignature(receiver.received[0]!, SECRET).ok).toBe(true);
      const rows = new Map((await alertRows(t.organizationId)).map((r) => [r.id, r]));
      expect(rows.get(due!.id)).toMatchObject({
        deliveryAttempts: 2,
        deliveryError: null,
        nextAttemptAt: null,
      });
      expect(rows.get(later!.id)).toMatchObject({ deliveryAttempts: 1, deliveredAt: null });
      expect(rows.get(later!.id)!.nextAttemptAt!.getTime()).toBeGreaterThan(Date.now() + 50_000);
      const listed = (await admin.alerts.list.query()).alerts.find((a) => a.id === later!.id)!;
      expect(listed.delivery.nextAttemptAt).toEqual(rows.get(later!.id)!.nextAttemptAt);
    } finally {
      await receiver.close();
    }
  });
});

describe("alerts.rules", () => {
  it("refuses webhooks at this server or a private address, unless told to allow them", async () => {
    // Default options: customers' URLs must not reach inside our network.
    const guarded = await startTestServer();
    try {
      const t = await createTenant(guarded);
      const admin = await t.as("admin");
      for (const webhookUrl of [
        "http://localhost:3000/hook",
        "http://127.0.0.1:9/hook",
        "http://169.254.169.254/latest/meta-data",
        "http://[::1]/hook",
        "http://10.0.0.5/hook",
      ]) {
        const e = await expectError(
          admin.alerts.rules.create.mutate({
            kind: "daily_cost",
            thresholds: [50],
            webhookUrl,
            webhookSecret: SECRET,
          }),
          "BAD_REQUEST",
        );
        expect(fieldsOf(e), webhookUrl).toEqual(["webhookUrl"]);
      }
      expect(await admin.alerts.rules.list.query()).toEqual([]);
      // A public address is fine.
      await admin.alerts.rules.create.mutate({
        kind: "daily_cost",
        thresholds: [50],
        webhookUrl: "https://hooks.example.com/wedsync",
        webhookSecret: SECRET,
      });
    } finally {
      await guarded.close();
    }
  });

  it("bad input names the field and changes nothing; the webhook secret is never returned", async () => {
    const t = await createTenant(server);
    const admin = await t.as("admin");
    const create = (input: unknown) => admin.alerts.rules.create.mutate(input as never);
    const cases: Array<[unknown, string]> = [
      [{ kind: "daily_cost", thresholds: [150] }, "thresholds.0"],
      [{ kind: "error_rate", thresholds: [50, 101] }, "thresholds.1"],
      [{ kind: "daily_cost", thresholds: [0] }, "thresholds.0"],
      [{ kind: "daily_cost", thresholds: [50.5] }, "thresholds.0"],
      [{ kind: "daily_cost", thresholds: [] }, "thresholds"],
      [{ kind: "daily_cost", thresholds: [50, 50] }, "thresholds"],
      [{ kind: "daily_cost", thresholds: Array.from({ length: 11 }, (_, i) => i + 1) }, "thresholds"],
      [{ kind: "weekly_cost", thresholds: [50] }, "kind"],
      [
        { kind: "daily_cost", thresholds: [50], webhookUrl: "ftp://example.com/x", webhookSecret: SECRET },
        "webhookUrl",
      ],
      [
        { kind: "daily_cost", thresholds: [50], webhookUrl: "javascript:alert(1)", webhookSecret: SECRET },
        "webhookUrl",
      ],
      [
        { kind: "daily_cost", thresholds: [50], webhookUrl: "not a url", webhookSecret: SECRET },
        "webhookUrl",
      ],
      [{ kind: "daily_cost", thresholds: [50], webhookUrl: "https://hooks.example.com/x" }, "webhookSecret"],
      [
        {
          kind: "daily_cost",
          thresholds: [50],
          webhookUrl: "https://hooks.example.com/x",
          webhookSecret: "short",
        },
        "webhookSecret",
      ],
      [{ kind: "daily_cost", thresholds: [50], webhookSecret: SECRET }, "webhookSecret"],
    ];
    for (const [input, field] of cases) {
      const e = await expectError(create(input), "BAD_REQUEST");
      expect(fieldsOf(e), JSON.stringify(input)).toEqual([field]);
      expect(e.message).toContain(field);
    }
    expect(await admin.alerts.rules.list.query()).toEqual([]);

    const rule = await create({
      kind: "p95_latency",
      thresholds: [1_500, 800],
      webhookUrl: "https://hooks.example.com/wedsync",
      webhookSecret: SECRET,
    });
    expect(rule).toMatchObject({ thresholds: [800, 1_500], hasWebhookSecret: true, enabled: true });
    expect(rule).not.toHaveProperty("webhookSecret");
    const listed = await admin.alerts.rules.list.query();
    expect(JSON.stringify([rule, listed])).not.toContain(SECRET);

    // One rule per kind.
    const dup = await expectError(create({ kind: "p95_latency", thresholds: [900] }), "CONFLICT");
    expect(dup.data?.details).toMatchObject({ ruleId: rule.id });

    const update = (input: unknown) => admin.alerts.rules.update.mutate(input as never);
    let e = await expectError(update({ id: rule.id, thresholds: [700_000] }), "BAD_REQUEST");
    expect(fieldsOf(e)).toEqual(["thresholds.0"]);
    e = await expectError(update({ id: rule.id, webhookUrl: "file:///etc/passwd" }), "BAD_REQUEST");
    expect(fieldsOf(e)).toEqual(["webhookUrl"]);
    e = await expectError(update({ id: rule.id }), "BAD_REQUEST");
    e = await expectError(update({ id: "nope", enabled: false }), "BAD_REQUEST");
    expect(fieldsOf(e)).toEqual(["id"]);
    expect(await admin.alerts.rules.list.query()).toEqual(listed);

    const changed = await update({ id: rule.id, thresholds: [600], enabled: false });
    expect(changed).toMatchObject({ thresholds: [600], enabled: false, hasWebhookSecret: true });
    const unhooked = await update({ id: rule.id, webhookUrl: null });
    expect(unhooked).toMatchObject({ webhookUrl: null, hasWebhookSecret: false });
    // A new URL needs a new secret: the old one went with the old URL.
    e = await expectError(update({ id: rule.id, webhookUrl: "https://hooks.example.com/2" }), "BAD_REQUEST");
    expect(fieldsOf(e)).toEqual(["webhookSecret"]);

    expect(await admin.alerts.rules.delete.mutate({ id: rule.id })).toEqual({ id: rule.id, deleted: true });
    await expectError(admin.alerts.rules.delete.mutate({ id: rule.id }), "NOT_FOUND");
    expect(await admin.alerts.rules.list.query()).toEqual([]);
  });

  it("another organization's rules and alerts are NOT_FOUND or invisible; members are FORBIDDEN", async () => {
    const [a, b] = await Promise.all([createTenant(server), createTenant(server)]);
    const [ownerA, adminA, adminB, memberA] = await Promise.all([
      a.as("owner"),
      a.as("admin"),
      b.as("admin"),
      a.as("member"),
    ]);
    const rule = await adminA.alerts.rules.create.mutate({ kind: "daily_cost", thresholds: [50] });
    await setDailyCap(ownerA, "0.10");
    fake.setBehavior(TEN_THOUSAND_MICROS);
    await Promise.all(Array.from({ length: 5 }, (_, i) => runProcess(a, memberA, i)));
    await settledAlerts(a.organizationId);
    const before = await adminA.alerts.rules.list.query();

    await expectError(adminB.alerts.rules.update.mutate({ id: rule.id, thresholds: [10] }), "NOT_FOUND");
    await expectError(adminB.alerts.rules.delete.mutate({ id: rule.id }), "NOT_FOUND");
    await expectError(adminB.alerts.rules.list.query({ organizationId: a.organizationId }), "NOT_FOUND");
    await expectError(adminB.alerts.list.query({ organizationId: a.organizationId, limit: 10 }), "NOT_FOUND");
    expect(await adminB.alerts.rules.list.query()).toEqual([]);
    expect((await adminB.alerts.list.query()).alerts).toEqual([]);

    await expectError(memberA.alerts.rules.list.query(), "FORBIDDEN");
    await expectError(
      memberA.alerts.rules.create.mutate({ kind: "monthly_cost", thresholds: [50] }),
      "FORBIDDEN",
    );
    await expectError(memberA.alerts.rules.update.mutate({ id: rule.id, enabled: false }), "FORBIDDEN");
    await expectError(memberA.alerts.rules.delete.mutate({ id: rule.id }), "FORBIDDEN");
    await expectError(memberA.alerts.list.query(), "FORBIDDEN");
    await expectError(
      firstEvent((h) => memberA.alerts.onAlert.subscribe({}, h)),
      "FORBIDDEN",
    );

    expect(await adminA.alerts.rules.list.query()).toEqual(before);
    expect((await adminA.alerts.list.query()).alerts).toHaveLength(1);
  });
});

describe.skipIf(postgresOnly !== null)(skipNote("two instances on one PostgreSQL", postgresOnly), () => {
  it("both evaluate every crossing, yet each is one row and one webhook delivery", async () => {
    const second = await startTestServer(serverOptions());
    const secondBus = watchBus(second);
    const both: Array<[RunningServer, BusWatch]> = [
      [server, bus],
      [second, secondBus],
    ];
    const receiver = await startReceiver([200]);
    try {
      const t = await createTenant(server);
      const [owner, admin, onA] = await Promise.all([t.as("owner"), t.as("admin"), t.as("member")]);
      const onB = await signIn(second, t.emails.member);
      await setDailyCap(owner, "0.10");
      await admin.alerts.rules.create.mutate({
        kind: "daily_cost",
        thresholds: [50, 80],
        webhookUrl: receiver.url,
        webhookSecret: SECRET,
      });
      const [beforeA, beforeB] = [await evaluationsOn(server), await evaluationsOn(second)];
      fake.setBehavior(TEN_THOUSAND_MICROS);
      // Bursts spread over both instances: each hears every usage event and evaluates.
      await Promise.all(Array.from({ length: 6 }, (_, i) => runProcess(t, i % 2 === 0 ? onA : onB, i)));
      await settledAlerts(t.organizationId, both);
      await Promise.all(Array.from({ length: 3 }, (_, i) => runProcess(t, i % 2 === 0 ? onB : onA, i)));
      // Both instances heard every usage event and evaluated; every delivery on either is over.
      const rows = await settledAlerts(t.organizationId, both);
      await receiver.waitFor(2);

      expect(rows.map(keyOf)).toEqual(["daily_cost:50", "daily_cost:80"]);
      expect(await evaluationsOn(server)).toBeGreaterThan(beforeA);
      expect(await evaluationsOn(second)).toBeGreaterThan(beforeB);
      // Only the instance whose insert won delivers: one delivery per alert.
      expect(receiver.received.map((r) => r.headers["x-wedsync-alert-id"]).sort()).toEqual(
        rows.map((r) => String(r.id)).sort(),
      );
      expect(receiver.received.every((r) => verifySignature(r, SECRET).ok)).toBe(true);
      expect(rows.every((r) => r.deliveryAttempts === 1 && r.deliveredAt !== null)).toBe(true);
    } finally {
      secondBus.stop();
      await second.close();
      await receiver.close();
    }
  });
});
