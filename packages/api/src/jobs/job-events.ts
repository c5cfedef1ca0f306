import { EventEmitter, on } from "node:events";
import { sql } from "drizzle-orm";
import { z } from "zod";
import type { Database, DatabaseHandle } from "../infra/database";
import type { Logger } from "../infra/logger";
import { linkSignals } from "../lib/signals";

/**
 * A job changed (status, progress, a cancellation asked for): NOTIFY on a channel of its own, so
 * every instance hears it — the subscribers of jobs.onProgress, and the instance running the job
 * when it is to be cancelled. Subscribers read the row itself; the event only says which and when.
 */
export const JOB_CHANNEL = "wedsync_jobs";

const jobChanged = z.object({
  jobId: z.string(),
  organizationId: z.string(),
  version: z.number(),
  /** A cancellation of a running job was asked for. */
  cancel: z.boolean(),
});
export type JobChanged = z.infer<typeof jobChanged>;

export type JobMessage = { type: "job"; event: JobChanged } | { type: "resync" };

export async function notifyJobChanged(db: Database, event: JobChanged): Promise<void> {
  await db.execute(sql`select pg_notify(${JOB_CHANNEL}, ${JSON.stringify(event)})`);
}

export class JobEvents {
  private readonly emitter = new EventEmitter();
  private stopListening: (() => Promise<void>) | null = null;
  /** Aborted at shutdown: open progress streams end, so their responses finish. */
  private readonly closing = new AbortController();

  constructor(private readonly logger: Logger) {
    this.emitter.setMaxListeners(0);
  }

  async start(database: Pick<DatabaseHandle, "listen">): Promise<void> {
    this.stopListening = await database.listen(
      JOB_CHANNEL,
      (payload) => {
        const parsed = jobChanged.safeParse(safeJson(payload));
        if (parsed.success) this.emitter.emit("message", { type: "job", event: parsed.data });
        else this.logger.warn({ bytes: payload.length }, "malformed job event ignored");
      },
      // Whatever was notified while the listener was away is gone: streams re-read their job.
      () => this.emitter.emit("message", { type: "resync" }),
    );
  }

  endStreams(): void {
    this.closing.abort();
  }

  async stop(): Promise<void> {
    await this.stopListening?.();
    this.stopListening = null;
  }

  subscribe(listener: (message: JobMessage) => void): () => void {
    this.emitter.on("message", listener);
    return () => this.emitter.off("message", listener);
  }

  /** Messages from this call on (buffered), until `signal` aborts or the instance shuts down. */
  stream(signal: AbortSignal | undefined): AsyncIterable<JobMessage> {
    const linked = linkSignals(...(signal ? [signal] : []), this.closing.signal);
    const iterator = on(this.emitter, "message", { signal: linked.signal });
    return {
      async *[Symbol.asyncIterator]() {
        try {
          for await (const [message] of iterator) yield message as JobMessage;
        } catch (err) {
          if ((err as Error).name !== "AbortError") throw err;
        } finally {
          linked.dispose();
        }
      },
    };
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}
