import type { TRPCClientError } from "@trpc/client";
import type { AppRouter } from "@wedsync/client";

interface Unsubscribable {
  unsubscribe(): void;
}

export interface Handlers<T> {
  onStarted?: () => void;
  onData: (value: T) => void;
  onError: (err: TRPCClientError<AppRouter>) => void;
}

/** A live subscription whose events a test reads in order. */
export interface Subscription<T> {
  items: T[];
  /** Resolves once the server has opened the stream (rejects on an error first). */
  started: Promise<void>;
  /** Wait until `count` items in total have arrived; the items so far. */
  waitFor(count: number, timeoutMs?: number): Promise<T[]>;
  error: TRPCClientError<AppRouter> | null;
  stop(): void;
}

export function subscribe<T>(start: (handlers: Handlers<T>) => Unsubscribable): Subscription<T> {
  const items: T[] = [];
  const waiters = new Set<() => void>();
  let resolveStarted!: () => void;
  let rejectStarted!: (err: unknown) => void;
  const started = new Promise<void>((res, rej) => {
    resolveStarted = res;
    rejectStarted = rej;
  });
  started.catch(() => {});
  const sub: Subscription<T> = {
    items,
    started,
    error: null,
    waitFor: (count, timeoutMs = 10_000) =>
      new Promise((resolve, reject) => {
        const check = () => {
          if (sub.error) {
            waiters.delete(check);
            clearTimeout(timer);
            reject(sub.error);
          } else if (items.length >= count) {
            waiters.delete(check);
            clearTimeout(timer);
            resolve(items.slice());
          }
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`waited ${timeoutMs} ms for ${count} events, got ${items.length}`));
        }, timeoutMs);
        waiters.add(check);
        check();
      }),
    stop: () => handle.unsubscribe(),
  };
  const wake = () => {
    for (const w of [...waiters]) w();
  };
  const handle = start({
    onStarted: () => resolveStarted(),
    onData: (value) => {
      items.push(value);
      wake();
    },
    onError: (err) => {
      sub.error = err;
      rejectStarted(err);
      wake();
    },
  });
  return sub;
}

/**
 * A subscription as one call (for suites that treat every procedure alike): resolves with the
 * first event, rejects with the first error, or rejects after `timeoutMs` when neither came.
 */
export async function firstEvent<T>(
  start: (handlers: Handlers<T>) => Unsubscribable,
  timeoutMs = 5_000,
): Promise<T> {
  const sub = subscribe<T>(start);
  try {
    const [first] = await sub.waitFor(1, timeoutMs);
    return first!;
  } finally {
    sub.stop();
  }
}
