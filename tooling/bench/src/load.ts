/**
 * One cell of load: autocannon (programmatic) against one target at one concurrency for a fixed
 * time. Latencies are kept per request (autocannon's own histogram is in whole milliseconds and
 * has no p95), and for the platform the request id of every 2xx answer is kept for the usage check.
 */
import type { EventEmitter } from "node:events";
import { percentile } from "@wedsync/core";
import autocannon from "autocannon";
import { REQUEST_BODY, type Target } from "./targets";

export interface CellResult {
  target: string;
  connections: number;
  /** Seconds autocannon ran. */
  seconds: number;
  ok: number;
  non2xx: number;
  /** Connection errors and timeouts. */
  errors: number;
  statusCodes: Record<string, number>;
  /** Requests still in flight when the cell ended (autocannon closes their connections). */
  cut: number;
  rps: number;
  p50: number;
  p95: number;
  p99: number;
  /** x-wedsync-request-id of each 2xx answer (platform only). */
  requestIds: string[];
}

interface ParsedHeaders {
  statusCode?: number;
  headers?: string[];
}

export async function runCell(target: Target, connections: number, seconds: number): Promise<CellResult> {
  const latencies: number[] = [];
  const requestIds: string[] = [];
  const statusCodes: Record<string, number> = {};
  const outstanding = new Map<EventEmitter, number>();
  const wantIds = target.name === "wedsync";

  const setupClient = (client: autocannon.Client) => {
    const events = client as unknown as EventEmitter;
    outstanding.set(events, 0);
    let pendingId: string | null = null;
    events.on("request", () => outstanding.set(events, (outstanding.get(events) ?? 0) + 1));
    if (wantIds) {
      events.on("headers", (info: ParsedHeaders) => {
        pendingId = null;
        const raw = info.headers ?? [];
        for (let i = 0; i + 1 < raw.length; i += 2) {
          if (raw[i]!.toLowerCase() === "x-wedsync-request-id") pendingId = raw[i + 1]!;
        }
      });
    }
    events.on("response", (statusCode: number, _bytes: number, responseTime: number) => {
      outstanding.set(events, Math.max(0, (outstanding.get(events) ?? 0) - 1));
      statusCodes[statusCode] = (statusCodes[statusCode] ?? 0) + 1;
      if (statusCode >= 200 && statusCode < 300) {
        latencies.push(responseTime);
        if (wantIds && pendingId) requestIds.push(pendingId);
      }
      pendingId = null;
    });
    // A timed-out or reset request is over too (and counted as an error by autocannon).
    for (const event of ["timeout", "connError"]) {
      events.on(event, () => outstanding.set(events, Math.max(0, (outstanding.get(events) ?? 0) - 1)));
    }
  };

  const result = await autocannon({
    url: target.url,
    method: "POST",
    headers: target.headers,
    body: REQUEST_BODY,
    connections,
    pipelining: 1,
    duration: seconds,
    timeout: 30,
    setupClient,
  });

  const sorted = latencies.sort((a, b) => a - b);
  /** Core's nearest-rank percentile (the platform's own), NaN for a cell with no answer. */
  const at = (q: number) => percentile(sorted, q) ?? Number.NaN;
  let cut = 0;
  for (const n of outstanding.values()) cut += n;
  const ok = latencies.length;
  return {
    target: target.name,
    connections,
    seconds: result.duration,
    ok,
    non2xx: result.non2xx,
    errors: result.errors,
    statusCodes,
    cut,
    rps: ok / result.duration,
    p50: at(0.5),
    p95: at(0.95),
    p99: at(0.99),
    requestIds,
  };
}
