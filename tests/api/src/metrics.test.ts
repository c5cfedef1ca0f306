/**
 * GET /metrics: Prometheus text format that a real parser reads, with the families operators
 * need (request durations, admissions and rejections, provider errors and circuit state, cache
 * lookups), whose values move with what the server did. One registry per server.
 */
import { createRequire } from "node:module";
import type { RunningServer } from "@wedsync/api/server";
import type { FakeOpenAI } from "@wedsync/fake-openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expectError } from "./harness/errors";
import { type OpenAIServer, startOpenAIServer } from "./harness/openai-server";
import { startTestServer } from "./harness/server";
import { createTenant } from "./harness/tenant";

interface Sample {
  value?: string;
  labels?: Record<string, string>;
  buckets?: Record<string, string>;
  count?: string;
  sum?: string;
}
interface Family {
  name: string;
  help: string;
  type: "COUNTER" | "GAUGE" | "HISTOGRAM" | "SUMMARY" | "UNTYPED";
  metrics: Sample[];
}
// The package ships no types; its one export takes the text and returns the families. It checks
// every line, but folds a histogram's labelled series into one: those are read from the
// `_count` lines below.
const parsePrometheus = createRequire(import.meta.url)("parse-prometheus-text-format") as (
  text: string,
) => Family[];

const TEXT = "Emma & Liam, 12 June 2027, Kew Gardens, 120 guests";

async function scrape(server: RunningServer) {
  const res = await fetch(`${server.url}/metrics`);
  expect(res.status).toBe(200);
  expect(res.headers.get("content-type")).toContain("text/plain");
  const text = await res.text();
  const families = parsePrometheus(text);
  const family = (name: string) => families.find((f) => f.name === name);
  const matches = (have: Record<string, string> | undefined, want: Record<string, string>) =>
    Object.entries(want).every(([k, v]) => have?.[k] === v);
  /** The value of the sample whose labels include `labels` (0 when absent: a counter not yet moved). */
  const value = (name: string, labels: Record<string, string> = {}) =>
    Number(family(name)?.metrics.find((m) => matches(m.labels, labels))?.value ?? 0);
  /** A histogram series' observation count, from its `<name>_count{...}` line. */
  const count = (name: string, labels: Record<string, string>) => {
    for (const line of text.split("\n")) {
      const m = new RegExp(`^${name}_count\\{(.*)\\} (\\S+)$`).exec(line);
      if (!m) continue;
      const have = Object.fromEntries([...m[1]!.matchAll(/(\w+)="([^"]*)"/g)].map((l) => [l[1]!, l[2]!]));
      if (matches(have, labels)) return Number(m[2]);
    }
    return 0;
  };
  return { families, family, value, count, text };
}

let fake: FakeOpenAI;
let server: RunningServer;
let upstream: OpenAIServer;
beforeAll(async () => {
  upstream = await startOpenAIServer({
    timeoutMs: 2_000,
    retry: { maxAttempts: 2, initialDelayMs: 5, maxDelayMs: 10 },
    // Two failed calls open the circuit: the gauge must show it.
    breaker: { failureThreshold: 2, halfOpenAfterMs: 600_000 },
  });
  ({ server, fake } = upstream);
});
afterAll(() => upstream?.close());

describe("GET /metrics", () => {
  it("parses as Prometheus text and every family moves with what the server did", async () => {
    const before = await scrape(server);
    const t = await createTenant(server);
    const [owner, member] = await Promise.all([t.as("owner"), t.as("member")]);
    const runProcess = () =>
      member.clients.process.mutate({
        clientId: t.clientIds[0]!,
        featureType: "field_extraction",
        input: { text: TEXT },
      });

    // The upstream fails: two calls fail on it (and open its circuit), the local engine answers;
    // the third never reaches it.
    fake.setBehavior({ kind: "status", status: 503 });
    for (let i = 0; i < 3; i++) expect((await runProcess()).usage).toMatchObject({ degraded: true });
    expect(fake.requestCount).toBe(4); // 2 calls x 2 attempts

    // A rate limit of 0 turns every request away.
    const { features } = await owner.platform.config.get.query();
    const fe = features.find((f) => f.featureType === "field_extraction")!;
    await owner.platform.config.update.mutate({
      featureType: "field_extraction",
      expectedVersion: fe.version,
      patch: { rateLimitPerMinute: 0 },
    });
    await expectError(runProcess(), "TOO_MANY_REQUESTS");
    await expectError(runProcess(), "TOO_MANY_REQUESTS");

    const after = await scrape(server);
    const types = Object.fromEntries(after.families.map((f) => [f.name, f.type]));
    expect(types).toMatchObject({
      wedsync_http_request_duration_seconds: "HISTOGRAM",
      wedsync_admissions_total: "COUNTER",
      wedsync_rejections_total: "COUNTER",
      wedsync_provider_errors_total: "COUNTER",
      wedsync_provider_attempts_total: "COUNTER",
      wedsync_provider_short_circuited_total: "COUNTER",
      wedsync_provider_circuit_state: "GAUGE",
      wedsync_config_cache_lookups_total: "COUNTER",
    });
    const moved = (name: string, labels: Record<string, string> = {}) =>
      after.value(name, labels) - before.value(name, labels);

    // Request durations: three answered, two refused, by endpoint and status class.
    const processed = { endpoint: "trpc:clients.process" };
    const durations = (snapshot: typeof after, status_class: string) =>
      snapshot.count("wedsync_http_request_duration_seconds", { ...processed, status_class });
    expect(durations(after, "2xx") - durations(before, "2xx")).toBe(3);
    expect(durations(after, "4xx") - durations(before, "4xx")).toBe(2);
    expect(after.text).toMatch(
      /wedsync_http_request_duration_seconds_bucket\{le="\+Inf",endpoint="trpc:clients.process",status_class="2xx"\} 3\n/,
    );

    // Admissions and rejections by reason.
    expect(moved("wedsync_admissions_total", { outcome: "admitted" })).toBe(3);
    expect(moved("wedsync_admissions_total", { outcome: "rejected" })).toBe(2);
    expect(moved("wedsync_rejections_total", { reason: "rate_limited" })).toBe(2);

    // Provider errors and the circuit, read from the provider chain at scrape time.
    expect(moved("wedsync_provider_errors_total", { provider: "openai" })).toBe(2);
    expect(moved("wedsync_provider_attempts_total", { provider: "openai" })).toBe(4);
    expect(moved("wedsync_provider_short_circuited_total", { provider: "openai" })).toBe(1);
    expect(after.value("wedsync_provider_circuit_state", { provider: "openai", state: "open" })).toBe(1);
    expect(after.value("wedsync_provider_circuit_state", { provider: "openai", state: "closed" })).toBe(0);
    expect(after.value("wedsync_provider_circuit_state", { provider: "local", state: "closed" })).toBe(1);

    // The config cache answered the repeated lookups.
    expect(moved("wedsync_config_cache_lookups_total", { result: "hit" })).toBeGreaterThanOrEqual(2);
  });

  it("keeps one registry per server: a second server in the process counts only its own requests", async () => {
    const other = await startTestServer();
    try {
      const t = await createTenant(other);
      const member = await t.as("member");
      const mine = await scrape(server);
      await member.clients.process.mutate({
        clientId: t.clientIds[0]!,
        featureType: "field_extraction",
        input: { text: TEXT },
      });
      const theirs = await scrape(other);
      expect(theirs.value("wedsync_admissions_total", { outcome: "admitted" })).toBe(1);
      expect(
        theirs.count("wedsync_http_request_duration_seconds", {
          endpoint: "trpc:clients.process",
          status_class: "2xx",
        }),
      ).toBe(1);
      // The first server did not see it.
      const again = await scrape(server);
      expect(again.value("wedsync_admissions_total", { outcome: "admitted" })).toBe(
        mine.value("wedsync_admissions_total", { outcome: "admitted" }),
      );
    } finally {
      await other.close();
    }
  });
});
