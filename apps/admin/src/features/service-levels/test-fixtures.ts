import type { Overview } from "./figures";

const EVERMORE = "33333333-3333-4333-8333-333333333333";
const GOLDEN = "22222222-2222-4222-8222-222222222222";

const figures = (requests: number, serverErrors: number, p: [number, number, number]) => ({
  requests,
  clientErrors: 0,
  serverErrors,
  errorRate: requests > 0 ? serverErrors / requests : null,
  successRate: requests > 0 ? (requests - serverErrors) / requests : null,
  p50Ms: p[0],
  p95Ms: p[1],
  p99Ms: p[2],
  meanMs: p[0],
});

/** serviceLevels.overview for the last 2 hours: one endpoint broke the SLA (slow and failing). */
export function anOverview(over: Partial<Overview> = {}): Overview {
  const slow = {
    endpoint: "v1:chat.completions",
    ...figures(200, 4, [120, 1250, 2400]),
    compliant: false,
    breaches: [
      { rule: "p95_latency", actual: 1250, limit: 500 },
      { rule: "success_rate", actual: 0.98, limit: 0.999 },
    ],
  };
  const quick = {
    endpoint: "trpc:platform.config.get",
    ...figures(900, 0, [4, 12, 30]),
    compliant: true,
    breaches: [],
  };
  return {
    period: {
      from: new Date("2026-05-01T10:00:00Z"),
      to: new Date("2026-05-01T12:00:00Z"),
      hours: 2,
      granularity: "hour",
    },
    organizationId: null,
    policy: { p95LimitMs: 500, minSuccessRate: 0.999 },
    totals: {
      ...figures(1100, 4, [5, 600, 2000]),
      compliant: false,
      breaches: [],
      endpointCount: 2,
      breachedEndpointCount: 1,
      complianceRatio: 0.5,
    },
    endpoints: [quick, slow],
    organizations: [
      {
        organizationId: GOLDEN,
        name: "Golden Hour Photography",
        ...figures(300, 0, [5, 20, 40]),
        compliant: true,
        breaches: [],
        breachedEndpoints: [],
      },
      {
        organizationId: EVERMORE,
        name: "Evermore Wedding Planners",
        ...figures(200, 4, [120, 1250, 2400]),
        compliant: false,
        breaches: [{ rule: "p95_latency", actual: 1250, limit: 500 }],
        breachedEndpoints: ["v1:chat.completions"],
      },
    ],
    organizationsTruncated: false,
    series: [
      {
        start: new Date("2026-05-01T10:00:00Z"),
        requests: 800,
        serverErrors: 1,
        errorRate: 1 / 800,
        p95Ms: 480,
      },
      { start: new Date("2026-05-01T11:00:00Z"), requests: 0, serverErrors: 0, errorRate: null, p95Ms: null },
    ],
    providers: [
      {
        name: "openai",
        role: "primary",
        circuit: "open",
        consecutiveFailures: 5,
        openedAt: new Date("2026-05-01T11:58:00Z"),
        lastErrorMessage: "upstream error (500)",
        lastErrorAt: new Date("2026-05-01T11:59:00Z"),
        totalCalls: 40,
        totalFailures: 7,
        totalAttempts: 52,
        shortCircuited: 3,
        recentFailures: [
          { at: new Date("2026-05-01T11:59:00Z"), message: "upstream error (500)" },
          { at: new Date("2026-05-01T11:58:30Z"), message: "timed out after 30 s" },
        ],
      },
      {
        name: "local",
        role: "fallback",
        circuit: "closed",
        consecutiveFailures: 0,
        openedAt: null,
        lastErrorMessage: null,
        lastErrorAt: null,
        totalCalls: 1200,
        totalFailures: 0,
        totalAttempts: 1200,
        shortCircuited: 0,
        recentFailures: [],
      },
    ],
    configCache: { scope: "instance", hits: 950, sharedHits: 10, misses: 40, hitRate: 0.96 },
    ...over,
  } as Overview;
}
