import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { daysOf, lastDays } from "./calendar";
import { projectMonthSpend, seasonFor, seasonIndexOf, TYPICAL_WEDDING_SEASON } from "./spend-projection";

const season = { index: TYPICAL_WEDDING_SEASON }; // May 1.2, June 1.5, July 1.5
const dollarADay = (from: string, to: string) =>
  new Map(daysOf({ from, to }).map((d) => [d, 1_000_000n] as const));

describe("projectMonthSpend (figures worked out by hand)", () => {
  it("a supplier in May: $1 a day for 10 days projects May at $21 and sees June's peak coming", () => {
    // Rate: $10 over 10 May days ÷ (10 × 1.2) = $0.8333… a day without the season.
    // May: $10 spent + 11 days left × 0.8333… × 1.2 = $11 → $21. June: 30 × 0.8333… × 1.5 = $37.50.
    const p = projectMonthSpend({
      today: "2026-05-20",
      spendByDay: dollarADay("2026-05-11", "2026-05-20"),
      season,
    })!;
    expect(p).toMatchObject({
      month: "2026-05",
      spentMicros: 10_000_000n,
      daysLeft: 11,
      basedOnDays: 10,
      perDayMicros: 1_000_000n,
      restMicros: 11_000_000n,
      projectedMicros: 21_000_000n,
      monthIndex: 1.2,
    });
    expect(p.next).toEqual({ month: "2026-06", days: 30, index: 1.5, projectedMicros: 37_500_000n });
  });

  it("a window across two months weighs each day by its own month's index", () => {
    // 27 May – 5 June, $1 a day: rate = $10 ÷ (5 × 1.2 + 5 × 1.5 = 13.5) = $0.740740…
    // June: $5 spent + 25 days × 0.740740… × 1.5 = $27.777778 → $32.777778; a day: $1.111111.
    // July: 31 × 0.740740… × 1.5 = $34.444444.
    const p = projectMonthSpend({
      today: "2026-06-05",
      spendByDay: dollarADay("2026-05-27", "2026-06-05"),
      season,
    })!;
    expect(p.spentMicros).toBe(5_000_000n);
    expect(p.restMicros).toBe(27_777_778n);
    expect(p.projectedMicros).toBe(32_777_778n);
    expect(p.perDayMicros).toBe(1_111_111n);
    expect(p.next.projectedMicros).toBe(34_444_444n);
  });

  it("has nothing to project from without spend in the last 30 days", () => {
    // 20 April is the 31st day back from 20 May: outside the window.
    expect(projectMonthSpend({ today: "2026-05-20", spendByDay: new Map(), season })).toBeNull();
    expect(
      projectMonthSpend({ today: "2026-05-20", spendByDay: new Map([["2026-04-20", 5_000_000n]]), season }),
    ).toBeNull();
  });
});

describe("seasonFor", () => {
  it("uses the typical wedding year until there are 12 whole months of history", () => {
    const eleven = new Map(
      Array.from({ length: 11 }, (_, i) => [`2025-${String(i + 1).padStart(2, "0")}`, 10]),
    );
    expect(seasonFor(eleven, "2025-12")).toMatchObject({ source: "typical", months: 0 });
    expect(TYPICAL_WEDDING_SEASON.reduce((s, v) => s + v, 0)).toBeCloseTo(12, 10);
  });

  it("takes the organization's own index from 12 whole months, leaving out the month still running", () => {
    // Jan–Dec 2025: 10 requests a month except June (40): mean 12.5, June 40 / 12.5 = 3.2, others 0.8.
    const history = new Map(
      Array.from({ length: 12 }, (_, i) => [`2025-${String(i + 1).padStart(2, "0")}`, i === 5 ? 40 : 10]),
    );
    history.set("2026-01", 1_000); // running: not history yet
    const s = seasonFor(history, "2026-01");
    expect(s.source).toBe("own");
    expect(s.months).toBe(12);
    expect(s.index[5]).toBeCloseTo(3.2, 10);
    expect(s.index[0]).toBeCloseTo(0.8, 10);
  });
});

describe("properties", () => {
  const dayArb = fc
    .date({
      min: new Date("2020-01-01T00:00:00Z"),
      max: new Date("2035-12-31T00:00:00Z"),
      noInvalidDate: true,
    })
    .map((d) => d.toISOString().slice(0, 10));
  /** Spend on some of the 45 days up to `today`, in micro-dollars. */
  const spendArb = (today: string) =>
    fc
      .array(fc.tuple(fc.integer({ min: 0, max: 44 }), fc.bigInt({ min: 0n, max: 50_000_000n })), {
        maxLength: 45,
      })
      .map((entries) => {
        const days = daysOf(lastDays(today, 45));
        return new Map(entries.map(([i, micros]) => [days[i]!, micros] as const));
      });
  const seasonArb = fc.array(fc.integer({ min: 1, max: 30 }), { minLength: 12, maxLength: 12 }).map((raw) => {
    const mean = raw.reduce((s, v) => s + v, 0) / 12;
    return { index: raw.map((v) => v / mean) };
  });
  const inputArb = dayArb.chain((today) =>
    fc.record({ today: fc.constant(today), spendByDay: spendArb(today), season: seasonArb }),
  );

  it("the month's projection is what was spent in it up to today plus a rest that is never negative", () => {
    fc.assert(
      fc.property(inputArb, (input) => {
        const p = projectMonthSpend(input);
        if (p === null) return;
        const month = input.today.slice(0, 7);
        const spent = [...input.spendByDay]
          .filter(([d]) => d.startsWith(month) && d <= input.today)
          .reduce((s, [, v]) => s + v, 0n);
        expect(p.spentMicros).toBe(spent);
        expect(p.restMicros >= 0n).toBe(true);
        expect(p.projectedMicros).toBe(p.spentMicros + p.restMicros);
        expect(p.monthIndex).toBe(seasonIndexOf(input.season, month));
      }),
    );
  });

  it("null exactly when nothing was spent in the 30 days up to today", () => {
    fc.assert(
      fc.property(inputArb, (input) => {
        const window = new Set(daysOf(lastDays(input.today, 30)));
        const spentInWindow = [...input.spendByDay].some(([d, v]) => window.has(d) && v > 0n);
        expect(projectMonthSpend(input) === null).toBe(!spentInWindow);
      }),
    );
  });

  it("a flat season and the same spend every day of the window: tomorrow costs what today did", () => {
    fc.assert(
      fc.property(dayArb, fc.bigInt({ min: 1n, max: 10_000_000n }), (today, perDay) => {
        const spendByDay = new Map(daysOf(lastDays(today, 30)).map((d) => [d, perDay] as const));
        const p = projectMonthSpend({ today, spendByDay, season: { index: Array(12).fill(1) } })!;
        expect(p.perDayMicros).toBe(perDay);
        expect(p.restMicros).toBe(perDay * BigInt(p.daysLeft));
      }),
    );
  });

  it("any season chosen averages 1 over the year", () => {
    const historyArb = fc.array(fc.tuple(fc.integer({ min: 0, max: 40 }), fc.integer({ min: 0, max: 500 })), {
      maxLength: 40,
    });
    fc.assert(
      fc.property(historyArb, (entries) => {
        const months = new Map(
          entries.map(([i, n]) => {
            const year = 2023 + Math.floor(i / 12);
            return [`${year}-${String((i % 12) + 1).padStart(2, "0")}`, n] as const;
          }),
        );
        const s = seasonFor(months, "2026-06");
        expect(s.index).toHaveLength(12);
        expect(s.index.reduce((a, v) => a + v, 0)).toBeCloseTo(12, 6);
      }),
    );
  });
});
