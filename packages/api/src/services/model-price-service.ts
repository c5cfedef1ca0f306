import {
  AppError,
  aiModelPrices,
  costMicros,
  earliestEffectiveFrom,
  type FieldError,
  fromMicros,
  type ModelPriceRow,
  type PriceFigures,
  priceAt,
  priceProblems,
  priceReplacedAt,
  priceTable,
  scheduleProblems,
  type TokenUsage,
  users,
} from "@wedsync/core";
import { and, eq } from "drizzle-orm";
import type { Database } from "../infra/database";
import { publishEvents } from "../infra/event-bus";
import type { Logger } from "../infra/logger";
import type { PriceBook } from "./price-book";

export interface NewPrice extends PriceFigures {
  provider: string;
  model: string;
}

export interface ScheduledPrice extends NewPrice {
  effectiveFrom: Date;
}

type AuthoredPriceRow = ModelPriceRow & { scheduledByName?: string | null };

/**
 * One row of the table as staff see it (exact decimal strings, dollars per million tokens), with
 * who scheduled it and when (the table is append-only: its own audit trail; seeded rows have no author).
 */
function priceView(r: AuthoredPriceRow) {
  return {
    id: r.id,
    inputPerMillion: r.inputPerMillion,
    cachedInputPerMillion: r.cachedInputPerMillion,
    outputPerMillion: r.outputPerMillion,
    effectiveFrom: r.effectiveFrom,
    scheduledAt: r.createdAt,
    scheduledBy: r.scheduledByName ?? null,
  };
}

function invalid(problems: FieldError[]): AppError {
  return new AppError("BAD_REQUEST", problems.map((p) => `${p.field}: ${p.message}`).join("; "), {
    fieldErrors: problems,
  });
}

/**
 * The model price table for platform staff: read it with its history, add a model or schedule a
 * new price (never in the past: core's price-schedule rules), and preview what a change does to
 * a request's cost. Every change is announced on the event bus, so every instance's price book
 * reloads at once.
 */
export class ModelPriceService {
  constructor(
    private readonly db: Database,
    private readonly prices: PriceBook,
    private readonly logger: Logger,
    /** The providers this instance's chain sends requests to, for the form's choices. */
    private readonly providers: () => string[],
  ) {}

  async list(now = new Date()) {
    const joined = await this.db
      .select({ price: aiModelPrices, scheduledByName: users.name })
      .from(aiModelPrices)
      .leftJoin(users, eq(users.id, aiModelPrices.createdByUserId));
    const rows: AuthoredPriceRow[] = joined.map((r) => ({ ...r.price, scheduledByName: r.scheduledByName }));
    return {
      now,
      /** The earliest effectiveFrom schedule accepts right now. */
      earliestEffectiveFrom: earliestEffectiveFrom(now),
      providers: this.providers(),
      models: priceTable(rows, now).map((m) => ({
        provider: m.provider,
        model: m.model,
        current: m.current && priceView(m.current),
        next: m.next && priceView(m.next),
        history: m.history.map(priceView),
      })),
    };
  }

  /** Add a price row; CONFLICT when the model already has one starting at that instant. */
  async schedule(actorUserId: string, input: ScheduledPrice, now = new Date()) {
    const problems = scheduleProblems(input, now);
    if (problems.length > 0) throw invalid(problems);
    const row = await this.db.transaction(async (tx) => {
      const [inserted] = await tx
        .insert(aiModelPrices)
        .values({
          provider: input.provider,
          model: input.model,
          inputPerMillion: input.inputPerMillion,
          cachedInputPerMillion: input.cachedInputPerMillion,
          outputPerMillion: input.outputPerMillion,
          effectiveFrom: input.effectiveFrom,
          createdByUserId: actorUserId,
        })
        .onConflictDoNothing({
          target: [aiModelPrices.provider, aiModelPrices.model, aiModelPrices.effectiveFrom],
        })
        .returning();
      if (!inserted) {
        const [existing] = await tx
          .select()
          .from(aiModelPrices)
          .where(
            and(
              eq(aiModelPrices.provider, input.provider),
              eq(aiModelPrices.model, input.model),
              eq(aiModelPrices.effectiveFrom, input.effectiveFrom),
            ),
          );
        throw new AppError(
          "CONFLICT",
          `${input.provider}/${input.model} already has a price starting at ${input.effectiveFrom.toISOString()}; choose another time`,
          {
            fieldErrors: [{ field: "effectiveFrom", message: "a price already starts at this instant" }],
            details: { existing: existing ? priceView(existing) : null },
          },
        );
      }
      await publishEvents(tx, [
        {
          kind: "prices",
          provider: inserted.provider,
          model: inserted.model,
          effectiveFrom: inserted.effectiveFrom.toISOString(),
        },
      ]);
      return inserted;
    });
    // The audit log is per organization and cannot hold a platform-wide row: the log line is the record.
    this.logger.info(
      { actorUserId, price: { ...priceView(row), provider: row.provider, model: row.model } },
      "model price scheduled",
    );
    // This instance's own book, without waiting for the event to come back. The row is saved
    // whatever happens here: a failed reload is retried by the event and the next lookup.
    await this.prices.reload().catch((err) => this.logger.warn({ err }, "reloading model prices failed"));
    return { provider: row.provider, model: row.model, price: priceView(row) };
  }

  /**
   * The price a proposal replaces (the one in force just before it starts: now when no instant is
   * given) and an example request's cost under each, by core's exact cost function.
   */
  async preview(input: NewPrice & { effectiveFrom?: Date | undefined; usage: TokenUsage }, now = new Date()) {
    const effectiveFrom = input.effectiveFrom ?? null;
    const problems = effectiveFrom
      ? scheduleProblems({ ...input, effectiveFrom }, now)
      : priceProblems(input);
    if (input.usage.cachedInputTokens > input.usage.inputTokens) {
      problems.push({ field: "cachedInputTokens", message: "cannot be more than inputTokens" });
    }
    if (problems.length > 0) throw invalid(problems);
    const rows = await this.db
      .select()
      .from(aiModelPrices)
      .where(and(eq(aiModelPrices.provider, input.provider), eq(aiModelPrices.model, input.model)));
    const old = effectiveFrom
      ? priceReplacedAt(rows, input.provider, input.model, effectiveFrom)
      : priceAt(rows, input.provider, input.model, now);
    const cost = (p: PriceFigures) => costMicros(input.usage, p);
    const newCost = cost(input);
    const oldCost = old ? cost(old) : null;
    return {
      provider: input.provider,
      model: input.model,
      effectiveFrom,
      example: input.usage,
      old: old && oldCost !== null ? { price: priceView(old), costUsd: fromMicros(oldCost, 6) } : null,
      new: {
        price: {
          inputPerMillion: input.inputPerMillion,
          cachedInputPerMillion: input.cachedInputPerMillion,
          outputPerMillion: input.outputPerMillion,
        },
        costUsd: fromMicros(newCost, 6),
      },
      /** New minus old (null for a model without a price before it). */
      changeUsd: oldCost === null ? null : fromMicros(newCost - oldCost, 6),
    };
  }
}
