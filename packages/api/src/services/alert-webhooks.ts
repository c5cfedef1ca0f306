import { createHmac } from "node:crypto";
import { type AlertRow, aiAlertRules, aiAlerts } from "@wedsync/core";
import { and, asc, eq, isNotNull, isNull, lte, sql } from "drizzle-orm";
import { type Agent, fetch as undiciFetch } from "undici";
import type { Database } from "../infra/database";
import type { Logger } from "../infra/logger";
import type { Metrics } from "../infra/metrics";
import { privateUrlReason, publicOnlyAgent } from "../lib/public-address";
import { linkSignals } from "../lib/signals";

export const SIGNATURE_HEADER = "x-wedsync-signature";

export interface WebhookOptions {
  /** Waits before the 2nd, 3rd, ... attempt (default 1 s, 5 s, 30 s, 2 min, 10 min: six attempts). */
  retryDelaysMs?: number[];
  /** Per attempt (default 10 s). */
  timeoutMs?: number;
  /** How often to look for deliveries due (default 10 s): other instances' retries, interrupted ones. */
  pollMs?: number;
  /**
   * Let webhooks reach loopback and private addresses (default false: customers' URLs must not
   * reach inside our network). Tests and a receiver on the same machine need it.
   */
  allowPrivateAddresses?: boolean;
}

/** What the receiver gets: the alert, with its id to tell a redelivery from a new alert. */
export function webhookPayload(alert: AlertRow) {
  return {
    type: "alert",
    id: alert.id,
    organizationId: alert.organizationId,
    ruleId: alert.ruleId,
    kind: alert.kind,
    threshold: alert.threshold,
    period: alert.period,
    value: alert.value,
    message: alert.message,
    createdAt: alert.createdAt.toISOString(),
  };
}

/**
 * `t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">`: the receiver recomputes it with the
 * shared secret, compares in constant time, and refuses old timestamps (replays).
 */
export function signWebhook(secret: string, body: string, unixSeconds: number): string {
  const mac = createHmac("sha256", secret).update(`${unixSeconds}.${body}`).digest("hex");
  return `t=${unixSeconds},v1=${mac}`;
}

/**
 * Signed alert webhooks, retried with backoff, off every request path, and durable: the schedule
 * lives on the alert row (next_attempt_at), so any instance sends what is due, and a retry
 * outlives the instance that scheduled it. Each attempt is claimed first — one conditional update
 * that bumps delivery_attempts and moves next_attempt_at past the attempt's timeout, only while
 * the attempt is due and delivered_at is null — so two instances never run the same attempt, an
 * attempt whose instance died is taken over once its claim lapses, and nothing is sent again once
 * delivered. This instance's own retries run on timers; a poll catches everyone else's.
 */
export class WebhookSender {
  private readonly retryDelaysMs: number[];
  private readonly timeoutMs: number;
  private readonly pollMs: number;
  /** Connects to checked public addresses only; null when private ones are allowed. */
  private readonly agent: Agent | null;
  private readonly stopping = new AbortController();
  private readonly running = new Set<Promise<void>>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private poller: NodeJS.Timeout | null = null;

  constructor(
    private readonly db: Database,
    private readonly metrics: Metrics,
    private readonly logger: Logger,
    opts: WebhookOptions = {},
  ) {
    this.retryDelaysMs = opts.retryDelaysMs ?? [1_000, 5_000, 30_000, 120_000, 600_000];
    this.timeoutMs = opts.timeoutMs ?? 10_000;
    this.pollMs = opts.pollMs ?? 10_000;
    this.agent = opts.allowPrivateAddresses ? null : publicOnlyAgent();
  }

  /** Look for due deliveries every pollMs (other instances' retries, ones a restart interrupted). */
  start(): void {
    if (this.poller || this.stopping.signal.aborted) return;
    this.poller = setInterval(() => this.track(this.deliverDue().then(() => undefined)), this.pollMs);
    this.poller.unref();
  }

  /** The first attempt of a new alert's webhook (its row was inserted due): now, never waiting for the receiver. */
  send(alertId: number): void {
    this.track(this.attempt(alertId));
  }

  /** Attempt every delivery that is due, `limit` at most; how many were attempted. */
  async deliverDue(limit = 50): Promise<number> {
    if (this.stopping.signal.aborted) return 0;
    const due = await this.db
      .select({ id: aiAlerts.id })
      .from(aiAlerts)
      .where(and(isNotNull(aiAlerts.nextAttemptAt), lte(aiAlerts.nextAttemptAt, sql`now()`)))
      .orderBy(asc(aiAlerts.nextAttemptAt))
      .limit(limit);
    await Promise.all(due.map((d) => this.attempt(d.id)));
    return due.length;
  }

  /** Stop polling and retrying here, let attempts in flight end (shutdown). Waiting retries stay due in the table. */
  async stop(): Promise<void> {
    this.stopping.abort();
    if (this.poller) clearInterval(this.poller);
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    await Promise.all(this.running);
    await this.agent?.close();
  }

  /** Deliveries in progress or waiting on this instance's timers (tests wait for them). */
  async idle(): Promise<void> {
    while (this.running.size > 0 || this.timers.size > 0) {
      await Promise.all([...this.running, new Promise((r) => setTimeout(r, 10))]);
    }
  }

  private track(run: Promise<void>): void {
    const tracked = run
      .catch((err) => this.logger.error({ err }, "alert webhook delivery failed"))
      .finally(() => this.running.delete(tracked));
    this.running.add(tracked);
  }

  /** Claim the alert's due attempt, make it, and record the outcome and the next attempt's time. */
  private async attempt(alertId: number): Promise<void> {
    if (this.stopping.signal.aborted) return;
    const claimMs = this.timeoutMs + 30_000;
    const [claimed] = await this.db
      .update(aiAlerts)
      .set({
        deliveryAttempts: sql`${aiAlerts.deliveryAttempts} + 1`,
        nextAttemptAt: sql`now() + ${`${claimMs} milliseconds`}::interval`,
      })
      .where(
        and(eq(aiAlerts.id, alertId), isNull(aiAlerts.deliveredAt), lte(aiAlerts.nextAttemptAt, sql`now()`)),
      )
      .returning();
    if (!claimed) return; // not due: delivered, given up, or another instance has it
    const [rule] = claimed.ruleId
      ? await this.db
          .select({ url: aiAlertRules.webhookUrl, secret: aiAlertRules.webhookSecret })
          .from(aiAlertRules)
          .where(eq(aiAlertRules.id, claimed.ruleId))
      : [];
    const attempts = claimed.deliveryAttempts;
    const error =
      rule?.url && rule.secret
        ? await this.post(
            { url: rule.url, secret: rule.secret },
            JSON.stringify(webhookPayload(claimed)),
            alertId,
            attempts,
          )
        : "the rule's webhook was removed";
    const retryIn = error === null || !rule?.url ? undefined : this.retryDelaysMs[attempts - 1];
    this.metrics.webhookAttempts.inc({ result: error === null ? "delivered" : "failed" });
    // Only while the claim is still ours (a lapsed claim may have been taken over since).
    await this.db
      .update(aiAlerts)
      .set(
        error === null
          ? { deliveredAt: new Date(), deliveryError: null, nextAttemptAt: null }
          : {
              deliveryError: error,
              nextAttemptAt:
                retryIn === undefined ? null : sql`now() + ${`${retryIn} milliseconds`}::interval`,
            },
      )
      .where(and(eq(aiAlerts.id, alertId), eq(aiAlerts.deliveryAttempts, attempts)));
    if (retryIn !== undefined) this.retryLater(alertId, retryIn);
  }

  /** This instance's own retry, on time; the poll would find it too, later. */
  private retryLater(alertId: number, ms: number) {
    if (this.stopping.signal.aborted) return;
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      this.track(this.attempt(alertId));
    }, ms + 20); // a little after it is due by the database's clock
    timer.unref();
    this.timers.add(timer);
  }

  /** One attempt: null when the receiver answered 2xx, else what went wrong. */
  private async post(
    target: { url: string; secret: string },
    body: string,
    alertId: number,
    attempt: number,
  ): Promise<string | null> {
    if (this.agent) {
      const reason = privateUrlReason(target.url);
      if (reason) return `refused: the URL ${reason}`;
    }
    const linked = linkSignals(this.stopping.signal, AbortSignal.timeout(this.timeoutMs));
    try {
      const res = await undiciFetch(target.url, {
        ...(this.agent && { dispatcher: this.agent }),
        method: "POST",
        body,
        // A redirect could point anywhere: it counts as a failure, never followed.
        redirect: "manual",
        signal: linked.signal,
        headers: {
          "content-type": "application/json",
          "user-agent": "wedsync-alerts/1",
          "x-wedsync-event": "alert",
          "x-wedsync-alert-id": String(alertId),
          "x-wedsync-delivery-attempt": String(attempt),
          [SIGNATURE_HEADER]: signWebhook(target.secret, body, Math.floor(Date.now() / 1000)),
        },
      });
      await res.body?.cancel().catch(() => {});
      return res.ok ? null : `receiver answered ${res.status}`;
    } catch (err) {
      const cause = (err as { cause?: { code?: string } }).cause?.code;
      return `${(err as Error).name === "TimeoutError" ? `no answer within ${this.timeoutMs} ms` : (err as Error).message}${cause ? ` (${cause})` : ""}`.slice(
        0,
        500,
      );
    } finally {
      linked.dispose();
    }
  }
}
