import { LIMIT_BOUNDS } from "./limits";

/**
 * Priority under provider saturation: when a provider's concurrent calls are all taken, requests
 * wait, and this decides which one goes next. Pure rules (no clock: `now` is passed in); the API's
 * per-provider gate (packages/api/src/providers/provider-gate.ts) applies them.
 *
 * A feature's `priorityLevel` (1..10, the platform's, inherited by every client) is read as in the
 * seed's P1 convention: 1 is the most urgent. Levels fall into three bands; within a band the level
 * does not reorder anything (FIFO), so a supplier cannot jump its own queue by nudging 3 to 2.
 */
export const PRIORITY_BANDS = ["high", "normal", "low"] as const;
export type PriorityBand = (typeof PRIORITY_BANDS)[number];

/** New platform configs start at 1 (high); a request that carries no priority is treated alike. */
export const DEFAULT_PRIORITY_LEVEL = 1;

/** What a provider call carries so that a full provider can rank it. */
export interface RequestPriority {
  /** The feature's effective `priorityLevel` (1 most urgent .. 10). */
  level: number;
  /** A queued job (nobody waiting on the line): ranks below interactive work of the same band. */
  background: boolean;
}

/** 1–3 high, 4–6 normal, 7–10 low. */
export function priorityBand(level: number): PriorityBand {
  if (!Number.isInteger(level) || level < 1 || level > LIMIT_BOUNDS.priorityLevel) {
    throw new RangeError(`priorityLevel must be an integer from 1 to ${LIMIT_BOUNDS.priorityLevel}`);
  }
  return level <= 3 ? "high" : level <= 6 ? "normal" : "low";
}

/** One request waiting for a provider. `enqueuedAt` is in milliseconds of the caller's clock. */
export interface QueueWaiter {
  band: PriorityBand;
  background: boolean;
  enqueuedAt: number;
}

/**
 * Waiters rank in six classes: high, high background, normal, normal background, low, low
 * background (0 best). Background sits one class below interactive work of its band and above
 * interactive work of the next band.
 */
export const QUEUE_CLASSES = PRIORITY_BANDS.length * 2;

export function queueClass(w: Pick<QueueWaiter, "band" | "background">): number {
  return PRIORITY_BANDS.indexOf(w.band) * 2 + (w.background ? 1 : 0);
}

export interface QueuePolicy {
  /** A waiter that has waited this long ranks with fresh waiters one class better. */
  ageingStepMs: number;
  /** The wait bound: a waiter still queued this long after it arrived is refused. */
  maxWaitMs: number;
}

/**
 * The ageing step is a tenth of the wait bound: the worst class (low background) then ranks with
 * fresh high-priority work after half the bound, so whatever arrives after it, it keeps the other
 * half of the bound to be served among the (bounded) work queued before it. A longer step would let
 * a stream of urgent work push low work into the bound (refused rather than served); a shorter one
 * would blur the bands (with a 10 s bound, the 1 s step still lets fresh high work pass low work
 * that has waited up to 4 s, many provider calls' worth).
 */
export function queuePolicy(maxWaitMs: number): QueuePolicy {
  if (!Number.isFinite(maxWaitMs) || maxWaitMs <= 0) throw new RangeError("maxWaitMs must be positive");
  return { ageingStepMs: maxWaitMs / (2 * (QUEUE_CLASSES - 1)), maxWaitMs };
}

/**
 * When a waiter is due: its arrival plus one ageing step per class below the best. Serving the
 * smallest key first is "high before normal before low, FIFO within a class, each waiter moving up
 * one class per ageing step waited", and the key never changes while the waiter waits.
 */
export function serviceKey(w: QueueWaiter, policy: QueuePolicy): number {
  return w.enqueuedAt + queueClass(w) * policy.ageingStepMs;
}

/** How long after a waiter arrives nothing arriving later can be served before it. */
export function ageingSpanMs(policy: QueuePolicy): number {
  return (QUEUE_CLASSES - 1) * policy.ageingStepMs;
}

/** Negative when `a` goes before `b`: the smaller key, then the older; 0 keeps their order. */
export function compareWaiters(a: QueueWaiter, b: QueueWaiter, policy: QueuePolicy): number {
  return serviceKey(a, policy) - serviceKey(b, policy) || a.enqueuedAt - b.enqueuedAt;
}

export function waitBoundReached(w: QueueWaiter, now: number, policy: QueuePolicy): boolean {
  return now - w.enqueuedAt >= policy.maxWaitMs;
}

/**
 * Which waiter takes a freed provider slot at `now`: the first by compareWaiters among those
 * within the wait bound (ties: the one earlier in `waiters`, i.e. enqueued first); `expired` are
 * those past the bound, to be refused.
 */
export function nextWaiter<W extends QueueWaiter>(
  waiters: readonly W[],
  now: number,
  policy: QueuePolicy,
): { next: W | null; expired: W[] } {
  let next: W | null = null;
  const expired: W[] = [];
  for (const w of waiters) {
    if (waitBoundReached(w, now, policy)) expired.push(w);
    else if (next === null || compareWaiters(w, next, policy) < 0) next = w;
  }
  return { next, expired };
}

/**
 * What a refusal after the wait bound tells the caller to wait: the time the provider needs to
 * work through the queue as it stands (`waiting` requests, `concurrency` at a time, `meanCallMs`
 * each), in whole seconds from 1 to 60.
 */
export function saturationRetryAfterSeconds(p: {
  waiting: number;
  concurrency: number;
  meanCallMs: number;
}): number {
  const ms = (Math.max(0, p.waiting) / Math.max(1, p.concurrency)) * Math.max(0, p.meanCallMs);
  return Math.min(60, Math.max(1, Math.ceil(ms / 1000)));
}

export function saturationMessage(retryAfterSeconds: number): string {
  return `The AI provider is saturated; try again in ${retryAfterSeconds} s`;
}
