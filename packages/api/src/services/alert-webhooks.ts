import { createHmac } from "node:crypto";
import { type AlertRow, aiAlerts } from "@wedsync/core";
import { and, eq, isNull } from "drizzle-orm";
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
 * Signed alert webhooks, retried with backoff, off every request path. Each attempt is claimed
 * first by bumping delivery_attempts from the value this sender last saw, and only while
 * delivered_at is null: once an attempt succeeded no other is ever started, and two senders
 * (instances) can never run the same attempt. Retries live in this process: a restart drops the
 * ones still waiting (the row keeps its attempts and last error).
 */
export class WebhookSender {
  private readonly retryDelaysMs: number[];
  private readonly timeoutMs: number;
  /** Connects to checked public addresses only; null when private ones are allowed. */
  private readonly agent: Agent | null;
  private readonly stopping = new AbortController();
  private readonly running = new Set<Promise<void>>();

  constructor(
    private readonly db: Database,
    private readonly metrics: Metrics,
    private readonly logger: Logger,
    opts: WebhookOptions = {},
  ) {
    this.retryDelaysMs = opts.retryDelaysMs ?? [1_000, 5_000, 30_000, 120_000, 600_000];
    this.timeoutMs = opts.timeoutMs ?? 10_000;
    this.agent = opts.allowPrivateAddresses ? null : publicOnlyAgent();
  }

  /** Start delivering; never waits for (or fails because of) the receiver. */
  send(alert: AlertRow, target: { url: string; secret: string }): void {
    if (this.stopping.signal.aborted) return;
    const run = this.deliver(alert, target)
      .catch((err) => this.logger.error({ err, alertId: alert.id }, "alert webhook delivery failed"))
      .finally(() => this.running.delete(run));
    this.running.add(run);
  }

  /** Abandon waiting retries and in-flight attempts (shutdown). */
  async stop(): Promise<void> {
    this.stopping.abort();
    await Promise.all(this.running);
    await this.agent?.close();
  }

  /** Deliveries in progress (tests wait for them). */
  async idle(): Promise<void> {
    while (this.running.size > 0) await Promise.all(this.running);
  }

  private async deliver(alert: AlertRow, target: { url: string; secret: string }) {
    const body = JSON.stringify(webhookPayload(alert));
    let attempts = alert.deliveryAttempts;
    for (let i = 0; ; i++) {
      const claimed = await this.db
        .update(aiAlerts)
        .set({ deliveryAttempts: attempts + 1 })
        .where(
          and(
            eq(aiAlerts.id, alert.id),
            eq(aiAlerts.deliveryAttempts, attempts),
            isNull(aiAlerts.deliveredAt),
          ),
        )
        .returning({ attempts: aiAlerts.deliveryAttempts });
      if (claimed.length === 0) return; // delivered, or another sender has it
      attempts = claimed[0]!.attempts;
      const error = await this.post(target, body, alert.id, attempts);
      this.metrics.webhookAttempts.inc({ result: error === null ? "delivered" : "failed" });
      await this.db
        .update(aiAlerts)
        .set(error === null ? { deliveredAt: new Date(), deliveryError: null } : { deliveryError: error })
        .where(eq(aiAlerts.id, alert.id));
      if (error === null) return;
      const wait = this.retryDelaysMs[i];
      if (wait === undefined || !(await this.sleep(wait))) return;
    }
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

  /** false when shutdown interrupted the wait. */
  private sleep(ms: number): Promise<boolean> {
    const signal = this.stopping.signal;
    if (signal.aborted) return Promise.resolve(false);
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        signal.removeEventListener("abort", onAbort);
        resolve(true);
      }, ms);
      const onAbort = () => {
        clearTimeout(timer);
        resolve(false);
      };
      signal.addEventListener("abort", onAbort, { once: true });
    });
  }
}
