import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { FEATURE_TYPES } from "./codes";
import { featureTypeArb } from "./test-arbitraries";
import {
  capsStrictestFirst,
  compareStrictness,
  OPEN_ENDED_RETRY_AFTER_SECONDS,
  refusalRetryAfterSeconds,
  strictest,
  THROTTLE_BOUNDS,
  type Throttle,
  throttledMessage,
  throttleExpiryProblem,
  throttleInputSchema,
  throttleInputSchemaAt,
  throttleStatus,
  throttlesApplying,
} from "./throttle";

const NOW = new Date("2026-06-01T12:00:00.000Z");
const ORGS = [
  "11111111-1111-4111-8111-111111111111",
  "22222222-2222-4222-8222-222222222222",
  "33333333-3333-4333-8333-333333333333",
];

function throttle(over: Partial<Throttle>): Throttle {
  return {
    id: "00000000-0000-4000-8000-000000000001",
    scope: "platform",
    organizationId: null,
    featureType: null,
    mode: "refuse",
    perMinute: null,
    reason: "provider outage",
    expiresAt: null,
    createdAt: new Date(NOW.getTime() - 60_000),
    liftedAt: null,
    ...over,
  };
}

/** Any throttle, in any state relative to NOW (lifted, expired, in force), scope fields consistent. */
const throttleArb: fc.Arbitrary<Throttle> = fc
  .record({
    id: fc.uuid(),
    scope: fc.constantFrom("organization", "feature", "platform" as const),
    org: fc.constantFrom(...ORGS),
    featureType: featureTypeArb,
    mode: fc.constantFrom("refuse", "cap" as const),
    perMinute: fc.integer({ min: 1, max: 1_000 }),
    expiresInMs: fc.option(fc.integer({ min: -3_600_000, max: 3_600_000 }), { nil: null }),
    lifted: fc.boolean(),
  })
  .map((r) =>
    throttle({
      id: r.id,
      scope: r.scope,
      organizationId: r.scope === "organization" ? r.org : null,
      featureType: r.scope === "feature" ? r.featureType : null,
      mode: r.mode,
      perMinute: r.mode === "cap" ? r.perMinute : null,
      expiresAt: r.expiresInMs === null ? null : new Date(NOW.getTime() + r.expiresInMs),
      liftedAt: r.lifted ? new Date(NOW.getTime() - 1_000) : null,
    }),
  );

const activeArb = throttleArb.map((t) => ({
  ...t,
  liftedAt: null,
  expiresAt: t.expiresAt && t.expiresAt <= NOW ? new Date(NOW.getTime() + 1) : t.expiresAt,
}));

const sign = (n: number) => (n < 0 ? -1 : n > 0 ? 1 : 0);

describe("throttleStatus", () => {
  it("is lifted once lifted, expired from the expiry instant on, active otherwise", () => {
    expect(throttleStatus(throttle({}), NOW)).toBe("active");
    expect(throttleStatus(throttle({ expiresAt: new Date(NOW.getTime() + 1) }), NOW)).toBe("active");
    expect(throttleStatus(throttle({ expiresAt: NOW }), NOW)).toBe("expired");
    expect(throttleStatus(throttle({ liftedAt: NOW, expiresAt: new Date(0) }), NOW)).toBe("lifted");
  });
});

describe("throttlesApplying", () => {
  const org = ORGS[0] as string;
  it("reaches an organization through its own, its feature's and the platform's throttles", () => {
    const own = throttle({ id: "a", scope: "organization", organizationId: org });
    const other = throttle({ id: "b", scope: "organization", organizationId: ORGS[1] as string });
    const feature = throttle({ id: "c", scope: "feature", featureType: "pdf_analysis" });
    const otherFeature = throttle({ id: "d", scope: "feature", featureType: "smart_mapping" });
    const platform = throttle({ id: "e" });
    const all = [own, other, feature, otherFeature, platform];
    expect(throttlesApplying(all, { organizationId: org, featureType: "pdf_analysis" }, NOW)).toEqual([
      own,
      feature,
      platform,
    ]);
    // The banner asks without a feature: every feature's throttle reaches the organization.
    expect(throttlesApplying(all, { organizationId: org }, NOW).map((t) => t.id)).toEqual([
      "a",
      "c",
      "d",
      "e",
    ]);
  });

  it("never applies a lifted or expired throttle", () => {
    fc.assert(
      fc.property(
        fc.array(throttleArb, { maxLength: 12 }),
        fc.constantFrom(...ORGS),
        featureTypeArb,
        (ts, o, f) => {
          for (const t of throttlesApplying(ts, { organizationId: o, featureType: f }, NOW)) {
            expect(t.liftedAt).toBeNull();
            if (t.expiresAt) expect(t.expiresAt.getTime()).toBeGreaterThan(NOW.getTime());
          }
        },
      ),
    );
  });

  it("is exactly the throttles in force whose scope matches (an independent oracle)", () => {
    fc.assert(
      fc.property(
        fc.array(throttleArb, { maxLength: 12 }),
        fc.constantFrom(...ORGS),
        featureTypeArb,
        (ts, o, f) => {
          const expected = ts.filter(
            (t) =>
              !t.liftedAt &&
              (!t.expiresAt || t.expiresAt > NOW) &&
              (t.scope === "platform" ||
                (t.scope === "feature" && t.featureType === f) ||
                (t.scope === "organization" && t.organizationId === o)),
          );
          expect(throttlesApplying(ts, { organizationId: o, featureType: f }, NOW)).toEqual(expected);
        },
      ),
    );
  });

  it("an expiry only ever removes throttles as time passes", () => {
    fc.assert(
      fc.property(
        fc.array(throttleArb, { maxLength: 12 }),
        fc.integer({ min: 0, max: 7_200_000 }),
        (ts, later) => {
          const t0 = throttlesApplying(ts, { organizationId: ORGS[0] as string }, NOW);
          const t1 = throttlesApplying(
            ts,
            { organizationId: ORGS[0] as string },
            new Date(NOW.getTime() + later),
          );
          for (const t of t1) expect(t0).toContain(t);
        },
      ),
    );
  });
});

describe("strictest", () => {
  it("a refusal beats any cap, the smaller cap beats the larger", () => {
    const cap10 = throttle({ id: "a", mode: "cap", perMinute: 10 });
    const cap5 = throttle({ id: "b", mode: "cap", perMinute: 5 });
    const refuse = throttle({ id: "c", expiresAt: new Date(NOW.getTime() + 1_000) });
    expect(strictest([cap10, cap5])).toBe(cap5);
    expect(strictest([cap10, refuse, cap5])).toBe(refuse);
    expect(strictest([])).toBeNull();
  });

  it("of two refusals, the one lasting longer (open-ended longest): the request waits for it", () => {
    const soon = throttle({ id: "a", expiresAt: new Date(NOW.getTime() + 1_000) });
    const later = throttle({ id: "b", expiresAt: new Date(NOW.getTime() + 60_000) });
    const open = throttle({ id: "c", expiresAt: null });
    expect(strictest([soon, later])).toBe(later);
    expect(strictest([soon, open, later])).toBe(open);
  });

  it("is one of them, no other is stricter, and the order they come in does not matter", () => {
    fc.assert(
      fc.property(fc.array(activeArb, { minLength: 1, maxLength: 10 }), fc.integer(), (ts, seed) => {
        const best = strictest(ts) as Throttle;
        expect(ts).toContain(best);
        for (const t of ts) expect(compareStrictness(best, t)).toBeLessThanOrEqual(0);
        if (ts.some((t) => t.mode === "refuse")) expect(best.mode).toBe("refuse");
        else expect(best.perMinute).toBe(Math.min(...ts.map((t) => t.perMinute as number)));
        const shuffled = [...ts].sort(
          (a, b) => sign(((seed ^ a.id.length) % 3) - 1) || a.id.localeCompare(b.id),
        );
        expect(strictest(shuffled)).toEqual(best);
      }),
    );
  });

  it("compareStrictness is a total order: antisymmetric, and zero only for the same id", () => {
    fc.assert(
      fc.property(activeArb, activeArb, (a, b) => {
        expect(sign(compareStrictness(a, b))).toBe(-sign(compareStrictness(b, a)));
        if (compareStrictness(a, b) === 0) expect(a.id).toBe(b.id);
      }),
    );
  });
});

describe("capsStrictestFirst", () => {
  it("every cap, smallest first, and nothing else", () => {
    fc.assert(
      fc.property(fc.array(activeArb, { maxLength: 12 }), (ts) => {
        const caps = capsStrictestFirst(ts);
        expect(caps.length).toBe(ts.filter((t) => t.mode === "cap").length);
        for (let i = 1; i < caps.length; i++) {
          expect((caps[i - 1] as Throttle).perMinute).toBeLessThanOrEqual(
            (caps[i] as Throttle).perMinute as number,
          );
        }
        if (caps.length > 0 && ts.every((t) => t.mode === "cap")) expect(caps[0]).toBe(strictest(ts));
      }),
    );
  });
});

describe("refusalRetryAfterSeconds", () => {
  it("is the whole seconds until expiry, at least 1; the open-ended default without one", () => {
    expect(refusalRetryAfterSeconds({ expiresAt: null }, NOW)).toBe(OPEN_ENDED_RETRY_AFTER_SECONDS);
    expect(refusalRetryAfterSeconds({ expiresAt: new Date(NOW.getTime() + 90_000) }, NOW)).toBe(90);
    expect(refusalRetryAfterSeconds({ expiresAt: new Date(NOW.getTime() + 1) }, NOW)).toBe(1);
  });

  it("a caller retrying after it is never early, and at most a second late", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 365 * 86_400_000 }), (ms) => {
        const expiresAt = new Date(NOW.getTime() + ms);
        const s = refusalRetryAfterSeconds({ expiresAt }, NOW);
        expect(Number.isInteger(s) && s >= 1).toBe(true);
        expect(NOW.getTime() + s * 1000).toBeGreaterThanOrEqual(expiresAt.getTime());
        expect(NOW.getTime() + (s - 1) * 1000).toBeLessThan(expiresAt.getTime());
      }),
    );
  });
});

describe("throttledMessage", () => {
  it("names the scope, the reason, the expiry and when to retry", () => {
    const t = throttle({
      scope: "feature",
      featureType: "pdf_analysis",
      expiresAt: new Date("2026-06-01T14:30:00.000Z"),
      reason: "OCR provider down",
    });
    expect(throttledMessage(t, 9_000)).toBe(
      "AI requests are paused by WedSync for pdf analysis on every organization until 2026-06-01T14:30:00.000Z (reason: OCR provider down); retry in 9000 s",
    );
    const cap = throttle({
      scope: "organization",
      organizationId: ORGS[0] as string,
      mode: "cap",
      perMinute: 10,
    });
    expect(throttledMessage(cap, 12)).toMatch(
      /limited by WedSync to 10 a minute for this organization.*retry in 12 s/,
    );
  });
});

describe("throttleInputSchema", () => {
  const at = throttleInputSchemaAt(() => NOW);
  const fieldsOf = (input: unknown) =>
    (at.safeParse(input).error?.issues ?? []).map((i) => [i.path.join("."), i.message]);

  it("accepts each scope with what it needs", () => {
    const ok = [
      { scope: "organization", organizationId: ORGS[0], mode: "refuse", reason: "abuse" },
      { scope: "feature", featureType: "pdf_analysis", mode: "cap", perMinute: 10, reason: "OCR slow" },
      { scope: "platform", mode: "refuse", reason: "database failover", expiresAt: "2026-06-01T12:30:00Z" },
      { scope: "platform", mode: "refuse", reason: "x", expiresAt: null },
    ];
    for (const input of ok) expect(fieldsOf(input)).toEqual([]);
    expect(at.parse({ scope: "platform", mode: "refuse", reason: "  spaced  " }).reason).toBe("spaced");
  });

  it("names the field of each missing or misplaced part", () => {
    expect(fieldsOf({ scope: "organization", mode: "refuse", reason: "r" })).toEqual([
      ["organizationId", "required for an organization throttle"],
    ]);
    expect(fieldsOf({ scope: "feature", mode: "refuse", reason: "r" })).toEqual([
      ["featureType", "required for a feature throttle"],
    ]);
    expect(fieldsOf({ scope: "platform", mode: "cap", reason: "r" })).toEqual([
      ["perMinute", "required for a cap"],
    ]);
    expect(fieldsOf({ scope: "platform", mode: "refuse", perMinute: 5, reason: "r" })[0]?.[0]).toBe(
      "perMinute",
    );
    expect(
      fieldsOf({ scope: "platform", organizationId: ORGS[0], mode: "refuse", reason: "r" })[0]?.[0],
    ).toBe("organizationId");
    expect(
      fieldsOf({
        scope: "organization",
        organizationId: ORGS[0],
        featureType: "pdf_analysis",
        mode: "refuse",
        reason: "r",
      })[0]?.[0],
    ).toBe("featureType");
  });

  it("refuses perMinute outside its bounds, an empty or too long reason, an expiry not ahead", () => {
    const base = { scope: "platform", mode: "cap", reason: "r" };
    expect(fieldsOf({ ...base, perMinute: 0 })).toEqual([["perMinute", "must be at least 1"]]);
    expect(fieldsOf({ ...base, perMinute: 2.5 })[0]?.[0]).toBe("perMinute");
    expect(fieldsOf({ ...base, perMinute: THROTTLE_BOUNDS.perMinuteMax + 1 })[0]?.[0]).toBe("perMinute");
    const refuse = { scope: "platform", mode: "refuse" };
    expect(fieldsOf({ ...refuse, reason: "   " })[0]?.[0]).toBe("reason");
    expect(fieldsOf({ ...refuse, reason: "x".repeat(THROTTLE_BOUNDS.reasonMax + 1) })[0]?.[0]).toBe("reason");
    expect(fieldsOf({ ...refuse, reason: "nul\u0000byte" })).toEqual([
      ["reason", "one line of text, without control characters"],
    ]);
    expect(fieldsOf({ ...refuse, reason: "two\nlines" })[0]?.[0]).toBe("reason");
    expect(fieldsOf({ ...refuse, reason: "r", expiresAt: NOW.toISOString() })).toEqual([
      ["expiresAt", "must be in the future"],
    ]);
    expect(fieldsOf({ ...refuse, reason: "r", expiresAt: "tomorrow" })[0]?.[0]).toBe("expiresAt");
    expect(fieldsOf({ ...refuse, reason: "r", expiresAt: "2027-06-02T12:00:00Z" })[0]?.[1]).toMatch(
      /within 365 days/,
    );
  });

  it("the clock-free schema leaves the expiry to the clock", () => {
    expect(
      throttleInputSchema.safeParse({
        scope: "platform",
        mode: "refuse",
        reason: "r",
        expiresAt: "2000-01-01T00:00:00Z",
      }).success,
    ).toBe(true);
  });

  it("any expiry is accepted exactly when it lies ahead, within the bound", () => {
    fc.assert(
      fc.property(fc.integer({ min: -86_400_000, max: 400 * 86_400_000 }), (ms) => {
        const expiresAt = new Date(NOW.getTime() + ms);
        const ok = at.safeParse({
          scope: "platform",
          mode: "refuse",
          reason: "r",
          expiresAt: expiresAt.toISOString(),
        }).success;
        expect(ok).toBe(ms > 0 && ms <= THROTTLE_BOUNDS.maxExpiryDays * 86_400_000);
        expect(ok).toBe(throttleExpiryProblem(expiresAt, NOW) === null);
      }),
    );
  });

  it("every well-formed input passes", () => {
    fc.assert(
      fc.property(
        fc.constantFrom("organization", "feature", "platform" as const),
        fc.constantFrom("refuse", "cap" as const),
        fc.constantFrom(...FEATURE_TYPES),
        fc.integer({ min: 1, max: THROTTLE_BOUNDS.perMinuteMax }),
        fc
          .string({ minLength: 1, maxLength: THROTTLE_BOUNDS.reasonMax, unit: "grapheme" })
          .filter(
            (s) => s.trim().length > 0 && s.length <= THROTTLE_BOUNDS.reasonMax && !/[\p{Cc}]/u.test(s),
          ),
        (scope, mode, featureType, perMinute, reason) => {
          const input = {
            scope,
            mode,
            reason,
            ...(scope === "organization" && { organizationId: ORGS[2] }),
            ...(scope === "feature" && { featureType }),
            ...(mode === "cap" && { perMinute }),
          };
          expect(fieldsOf(input)).toEqual([]);
        },
      ),
    );
  });
});
