/**
 * Group commit: callers submit items and wait; items that arrive while a write is in flight are
 * written together by the next one, as one multi-row statement (or one pipelined call). Under load
 * this turns N round trips into a few, and each caller still resumes only after its own item is
 * written. `write` answers with one result per item, in order (or nothing, for `void`); a write
 * that throws fails all its callers, an `ItemFailed` result just its own.
 */
export interface GroupCommitOptions {
  /** Most items in one write (default 500). */
  maxBatch?: number;
  /**
   * Let the callers already running in this turn of the event loop join the first write (one
   * `setImmediate`; default true). False sends an item at once when nothing is in flight: for
   * calls cheap enough that a turn's wait costs more than batching saves.
   */
  waitTurn?: boolean;
}

/** A result that fails its one caller, leaving the rest of the batch alone. */
export class ItemFailed {
  constructor(readonly error: unknown) {}
}

/** What a write answers: one result per item, or anything (ignored) when callers wait for no result. */
type WriteResult<R> = [R] extends [undefined] ? unknown : Array<R | ItemFailed>;

type Waiter<T, R> = { item: T; resolve: (result: R) => void; reject: (err: unknown) => void };

export class GroupCommitter<T, R = undefined> {
  private queue: Array<Waiter<T, R>> = [];
  private flushing = false;
  private readonly maxBatch: number;
  private readonly waitTurn: boolean;

  constructor(
    private readonly write: (items: T[]) => Promise<WriteResult<R>>,
    opts: GroupCommitOptions = {},
  ) {
    this.maxBatch = opts.maxBatch ?? 500;
    this.waitTurn = opts.waitTurn ?? true;
  }

  submit(item: T): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      this.queue.push({ item, resolve, reject });
      if (!this.flushing) void this.flush();
    });
  }

  /** Resolves when everything submitted so far is written. */
  async drain(): Promise<void> {
    while (this.flushing || this.queue.length > 0) {
      if (!this.flushing) await this.flush();
      else await new Promise((r) => setImmediate(r));
    }
  }

  private async flush(): Promise<void> {
    this.flushing = true;
    try {
      if (this.waitTurn) await new Promise((r) => setImmediate(r));
      while (this.queue.length > 0) {
        const batch = this.queue.splice(0, this.maxBatch);
        try {
          const written = await this.write(batch.map((b) => b.item));
          const results = Array.isArray(written) ? (written as Array<R | ItemFailed>) : undefined;
          if (results && results.length !== batch.length) {
            throw new Error(`group commit: ${results.length} results for ${batch.length} items`);
          }
          batch.forEach((b, i) => {
            const result = results?.[i];
            if (result instanceof ItemFailed) b.reject(result.error);
            else b.resolve(result as R);
          });
        } catch (err) {
          for (const b of batch) b.reject(err);
        }
      }
    } finally {
      this.flushing = false;
    }
  }
}
