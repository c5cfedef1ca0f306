import {
  type AlertKind,
  type AlertRow,
  type AlertRuleRow,
  AppError,
  aiAlertRules,
  aiAlerts,
  type Crossing,
  costCrossings,
  crossingPeriods,
  type FieldError,
  type PerformanceMeasurement,
  performanceCrossings,
  sortedThresholds,
  thresholdProblems,
  unrecordedCrossings,
} from "@wedsync/core";
import { and, asc, desc, eq, inArray, lt, sql } from "drizzle-orm";
import type { Database } from "../infra/database";
import { type EventBus, publishEvents } from "../infra/event-bus";
import type { Logger } from "../infra/logger";
import type { Metrics } from "../infra/metrics";
import { privateUrlReason } from "../lib/public-address";
import { measure } from "./alert-evaluation";
import { alertRuleView, alertView } from "./alert-rules";
import { type WebhookOptions, WebhookSender } from "./alert-webhooks";

export interface AlertServiceOptions {
  /** Wait this long after a usage event before evaluating, so a burst is evaluated once (default 250 ms). */
  debounceMs?: number;
  /** Error-rate and p95 rules wait for this many completed requests in the day (default 20). */
  minRequests?: number;
  webhook?: WebhookOptions;
}

export interface NewAlertRule {
  kind: AlertKind;
  thresholds: number[];
  webhookUrl?: string | null | undefined;
  webhookSecret?: string | undefined;
  enabled?: boolean | undefined;
}

export interface AlertRulePatch {
  thresholds?: number[] | undefined;
  /** null removes the webhook (and its secret). */
  webhookUrl?: string | null | undefined;
  webhookSecret?: string | undefined;
  enabled?: boolean | undefined;
}

/** Per organization: an evaluation waiting for its timer or running, and whether another is owed. */
interface Pending {
  timer: NodeJS.Timeout | null;
  running: boolean;
  again: boolean;
}

const invalid = (fieldErrors: FieldError[]) =>
  new AppError(
    "BAD_REQUEST",
    `Invalid input: ${fieldErrors.map((f) => `${f.field}: ${f.message}`).join("; ")}`,
    {
      fieldErrors,
    },
  );

/**
 * Budget and performance alerts. Rules per organization; evaluation is triggered by the usage
 * events every instance receives (each completed or rejected request), coalesced per
 * organization so a burst costs one evaluation. Each crossing is one row: the unique key
 * (organization, kind, threshold, period) turns every later firing, on any instance, into a
 * no-op; the instance whose insert wins publishes the realtime event (in the same transaction)
 * and sends the webhook.
 */
export class AlertService {
  private readonly pending = new Map<string, Pending>();
  private readonly evaluations = new Set<Promise<void>>();
  private readonly webhooks: WebhookSender;
  private readonly allowPrivateWebhooks: boolean;
  private readonly debounceMs: number;
  private readonly minRequests: number;
  private stopped = false;
  private unsubscribe: (() => void) | null = null;

  constructor(
    private readonly db: Database,
    private readonly metrics: Metrics,
    private readonly logger: Logger,
    opts: AlertServiceOptions = {},
  ) {
    this.debounceMs = opts.debounceMs ?? 250;
    this.minRequests = opts.minRequests ?? 20;
    this.webhooks = new WebhookSender(db, metrics, logger, opts.webhook);
    this.allowPrivateWebhooks = opts.webhook?.allowPrivateAddresses ?? false;
  }

  /** Evaluate an organization's rules whenever its usage moves (on whichever instance it happened). */
  attach(bus: EventBus): void {
    this.webhooks.start();
    this.unsubscribe = bus.subscribe((message) => {
      if (message.type === "event" && message.event.kind === "usage")
        this.schedule(message.event.organizationId);
    });
  }

  /** Stop evaluating, let running evaluations end; waiting webhook retries stay due for the next instance (shutdown). */
  async stop(): Promise<void> {
    this.stopped = true;
    this.unsubscribe?.();
    for (const [organizationId, p] of this.pending) {
      if (p.timer) clearTimeout(p.timer);
      if (!p.running) this.pending.delete(organizationId);
    }
    await Promise.all(this.evaluations);
    await this.webhooks.stop();
  }

  /** Scheduled evaluations and webhook deliveries have finished (tests). */
  async idle(): Promise<void> {
    while (this.pending.size > 0 || this.evaluations.size > 0) {
      await Promise.all([...this.evaluations, new Promise((r) => setTimeout(r, 10))]);
    }
    await this.webhooks.idle();
  }

  // --- rules -------------------------------------------------------------------------------

  async listRules(organizationId: string) {
    const rows = await this.db
      .select()
      .from(aiAlertRules)
      .where(eq(aiAlertRules.organizationId, organizationId))
      .orderBy(asc(aiAlertRules.createdAt), asc(aiAlertRules.id));
    return rows.map(alertRuleView);
  }

  /** One rule per kind and organization (its thresholds list every level): a second is a CONFLICT. */
  async createRule(organizationId: string, input: NewAlertRule) {
    const problems = [
      ...thresholdProblems(input.kind, input.thresholds),
      ...webhookProblems(input, null, this.allowPrivateWebhooks),
    ];
    if (problems.length > 0) throw invalid(problems);
    const row = await this.db.transaction(async (tx) => {
      // Serialise creators of the same kind in this organization (the table has no unique key for it).
      await tx.execute(
        sql`select pg_advisory_xact_lock(hashtext(${`alert-rule:${organizationId}:${input.kind}`}))`,
      );
      const [existing] = await tx
        .select({ id: aiAlertRules.id })
        .from(aiAlertRules)
        .where(and(eq(aiAlertRules.organizationId, organizationId), eq(aiAlertRules.kind, input.kind)));
      if (existing) {
        throw new AppError(
          "CONFLICT",
          `This organization already has a ${input.kind} rule; update it instead`,
          {
            details: { ruleId: existing.id },
          },
        );
      }
      const [created] = await tx
        .insert(aiAlertRules)
        .values({
          organizationId,
          kind: input.kind,
          thresholds: sortedThresholds(input.thresholds),
          webhookUrl: input.webhookUrl ?? null,
          webhookSecret: input.webhookUrl ? (input.webhookSecret ?? null) : null,
          enabled: input.enabled ?? true,
        })
        .returning();
      return created!;
    });
    this.schedule(organizationId); // a crossing already past fires now, not at the next request
    return alertRuleView(row);
  }

  async updateRule(organizationId: string, ruleId: string, patch: AlertRulePatch) {
    const rule = await this.findRule(organizationId, ruleId);
    const problems = [
      ...(patch.thresholds ? thresholdProblems(rule.kind, patch.thresholds) : []),
      ...webhookProblems(patch, rule, this.allowPrivateWebhooks),
    ];
    if (problems.length > 0) throw invalid(problems);
    const removeWebhook = patch.webhookUrl === null;
    const [row] = await this.db
      .update(aiAlertRules)
      .set({
        ...(patch.thresholds && { thresholds: sortedThresholds(patch.thresholds) }),
        ...(patch.webhookUrl !== undefined && { webhookUrl: patch.webhookUrl }),
        ...(removeWebhook
          ? { webhookSecret: null }
          : patch.webhookSecret !== undefined && { webhookSecret: patch.webhookSecret }),
        ...(patch.enabled !== undefined && { enabled: patch.enabled }),
      })
      .where(and(eq(aiAlertRules.id, ruleId), eq(aiAlertRules.organizationId, organizationId)))
      .returning();
    if (!row) throw new AppError("NOT_FOUND", "Alert rule not found");
    this.schedule(organizationId);
    return alertRuleView(row);
  }

  async deleteRule(organizationId: string, ruleId: string) {
    const deleted = await this.db
      .delete(aiAlertRules)
      .where(and(eq(aiAlertRules.id, ruleId), eq(aiAlertRules.organizationId, organizationId)))
      .returning({ id: aiAlertRules.id });
    if (deleted.length === 0) throw new AppError("NOT_FOUND", "Alert rule not found");
    return { id: ruleId, deleted: true as const };
  }

  /** Newest first; `cursor` is the last id of the previous page. */
  async listAlerts(
    organizationId: string,
    opts: { cursor?: number | undefined; limit: number; kind?: AlertKind | undefined },
  ) {
    const rows = await this.db
      .select()
      .from(aiAlerts)
      .where(
        and(
          eq(aiAlerts.organizationId, organizationId),
          opts.cursor !== undefined ? lt(aiAlerts.id, opts.cursor) : undefined,
          opts.kind ? eq(aiAlerts.kind, opts.kind) : undefined,
        ),
      )
      .orderBy(desc(aiAlerts.id))
      .limit(opts.limit + 1);
    const page = rows.slice(0, opts.limit);
    return { alerts: page.map(alertView), nextCursor: rows.length > opts.limit ? page.at(-1)!.id : null };
  }

  // --- evaluation ----------------------------------------------------------------------------

  /** Evaluate the organization soon: every call until the evaluation starts shares it. */
  schedule(organizationId: string): void {
    if (this.stopped) return;
    const existing = this.pending.get(organizationId);
    if (existing) {
      if (existing.running) existing.again = true; // what it read may predate this event
      return;
    }
    const state: Pending = { timer: null, running: false, again: false };
    this.pending.set(organizationId, state);
    this.arm(organizationId, state);
  }

  private arm(organizationId: string, state: Pending) {
    state.timer = setTimeout(() => {
      state.timer = null;
      state.running = true;
      const run = this.evaluateOrganization(organizationId)
        .then(() => undefined)
        .catch((err) => this.logger.error({ err, organizationId }, "alert evaluation failed"))
        .finally(() => {
          this.evaluations.delete(run);
          state.running = false;
          if (state.again && !this.stopped) {
            state.again = false;
            this.arm(organizationId, state);
          } else {
            this.pending.delete(organizationId);
          }
        });
      this.evaluations.add(run);
    }, this.debounceMs);
    state.timer.unref();
  }

  /** Every enabled rule of the organization against its current spend, error rate and p95; the alerts raised. */
  async evaluateOrganization(organizationId: string, now: Date = new Date()): Promise<AlertRow[]> {
    this.metrics.alertEvaluations.inc();
    const rules = await this.db
      .select()
      .from(aiAlertRules)
      .where(and(eq(aiAlertRules.organizationId, organizationId), eq(aiAlertRules.enabled, true)));
    if (rules.length === 0) return [];
    const measured = await measure(this.db, organizationId, new Set(rules.map((r) => r.kind)), now);
    if (!measured) return [];
    const raised = await this.raise(organizationId, costCrossings(rules, measured.cost));
    raised.push(...(await this.alertOnPerformanceIssues(measured.performance, rules)));
    return raised;
  }

  /** The brief's name: error-rate and p95 rules against a measurement of the organization's day. */
  async alertOnPerformanceIssues(
    metrics: PerformanceMeasurement,
    rules?: AlertRuleRow[],
  ): Promise<AlertRow[]> {
    const enabled =
      rules ??
      (await this.db
        .select()
        .from(aiAlertRules)
        .where(
          and(
            eq(aiAlertRules.organizationId, metrics.organizationId),
            eq(aiAlertRules.enabled, true),
            inArray(aiAlertRules.kind, ["error_rate", "p95_latency"]),
          ),
        ));
    return this.raise(metrics.organizationId, performanceCrossings(enabled, metrics, this.minRequests));
  }

  /** Insert the crossings not yet recorded; announce and deliver the ones this call inserted. */
  private async raise(organizationId: string, crossings: Crossing[]): Promise<AlertRow[]> {
    if (crossings.length === 0) return [];
    // Most evaluations find every crossing already recorded: a read, not a write transaction.
    const known = await this.db
      .select({ kind: aiAlerts.kind, threshold: aiAlerts.threshold, period: aiAlerts.period })
      .from(aiAlerts)
      .where(
        and(
          eq(aiAlerts.organizationId, organizationId),
          inArray(aiAlerts.period, crossingPeriods(crossings)),
        ),
      );
    const fresh = unrecordedCrossings(crossings, known);
    if (fresh.length === 0) return [];
    const inserted = await this.db.transaction(async (tx) => {
      // Concurrent evaluators (other instances) insert the same keys: theirs or ours, one row each.
      const rows = await tx
        .insert(aiAlerts)
        .values(
          fresh.map((c) => ({
            organizationId,
            ruleId: c.rule.id,
            kind: c.kind,
            threshold: c.threshold,
            period: c.period,
            value: c.value,
            message: c.message,
            // Due at once when there is a webhook to send (any instance will, should this one stop).
            nextAttemptAt: c.rule.webhookUrl && c.rule.webhookSecret ? sql`now()` : null,
          })),
        )
        .onConflictDoNothing({
          target: [aiAlerts.organizationId, aiAlerts.kind, aiAlerts.threshold, aiAlerts.period],
        })
        .returning();
      await publishEvents(
        tx,
        rows.map((a) => ({
          kind: "alert" as const,
          organizationId,
          alertId: a.id,
          alertKind: a.kind,
          threshold: a.threshold,
          period: a.period,
        })),
      );
      return rows;
    });
    for (const alert of inserted) {
      this.metrics.alertsRaised.inc({ kind: alert.kind });
      this.logger.info({ organizationId, alertId: alert.id, kind: alert.kind }, alert.message);
      if (alert.nextAttemptAt) this.webhooks.send(alert.id);
    }
    return inserted;
  }

  private async findRule(organizationId: string, ruleId: string): Promise<AlertRuleRow> {
    const [rule] = await this.db
      .select()
      .from(aiAlertRules)
      .where(and(eq(aiAlertRules.id, ruleId), eq(aiAlertRules.organizationId, organizationId)));
    // Another organization's rule is reported exactly like a missing one.
    if (!rule) throw new AppError("NOT_FOUND", "Alert rule not found");
    return rule;
  }
}

/** A webhook needs an http(s) URL and a secret to sign with; the secret may stay as stored. */
function webhookProblems(
  input: { webhookUrl?: string | null | undefined; webhookSecret?: string | undefined },
  existing: AlertRuleRow | null,
  allowPrivate: boolean,
): FieldError[] {
  const problems: FieldError[] = [];
  if (input.webhookUrl) {
    let url: URL | null = null;
    try {
      url = new URL(input.webhookUrl);
    } catch {
      problems.push({ field: "webhookUrl", message: "must be an absolute http(s) URL" });
    }
    if (url && url.protocol !== "http:" && url.protocol !== "https:")
      problems.push({ field: "webhookUrl", message: "must use http or https" });
    // The server calls this URL from inside our network: never at itself or a private address.
    const privateReason = url && !allowPrivate ? privateUrlReason(url.href) : null;
    if (privateReason) problems.push({ field: "webhookUrl", message: privateReason });
    if (url && (url.username || url.password))
      problems.push({
        field: "webhookUrl",
        message: "must not carry credentials; the signature authenticates",
      });
    if (!input.webhookSecret && !existing?.webhookSecret)
      problems.push({
        field: "webhookSecret",
        message: "is required with a webhook URL (it signs each delivery)",
      });
  } else if (input.webhookSecret && input.webhookUrl !== undefined) {
    problems.push({ field: "webhookSecret", message: "needs a webhook URL to sign for" });
  } else if (input.webhookSecret && !existing?.webhookUrl) {
    problems.push({ field: "webhookSecret", message: "needs a webhook URL to sign for" });
  }
  return problems;
}
