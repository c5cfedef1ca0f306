import { render, screen, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { type LiveState, liveReducer, NO_LIVE, type QuotaEvent } from "./live-quota";
import { QuotaMeters } from "./QuotaMeters";
import { featureQuotas, spendByDay } from "./quota-figures";

const TODAY = "2026-05-20";
const FEATURES = [
  {
    featureType: "field_extraction" as const,
    isEnabled: true,
    availableOnTier: true,
    requiredTier: "free",
    maxRequestsPerDay: 10,
    maxCostPerDay: "1.00",
  },
];
/** What usage.byFeature counted: 7 requests and $0.70 today, as of event 40. */
const COUNTED = [
  { period: "2026-05-19", featureType: "field_extraction" as const, requests: 3, spentUsd: "0.300000" },
  { period: TODAY, featureType: "field_extraction" as const, requests: 7, spentUsd: "0.700000" },
];

const event = (seq: number, over: Partial<QuotaEvent> = {}): QuotaEvent => ({
  seq,
  featureType: "field_extraction",
  status: "succeeded",
  costUsd: "0.050000",
  ...over,
});

const apply = (state: LiveState, ...events: QuotaEvent[]) =>
  events.reduce((s, e) => liveReducer(s, { type: "event", event: e }), state);

describe("live quota figures", () => {
  it("add each completed request's cost and count at once, rejected ones not at all", () => {
    const live = apply(
      liveReducer(NO_LIVE, { type: "base", seq: 40 }),
      event(41),
      event(42, { status: "failed", costUsd: "0.010000" }),
      event(43, { status: "rejected", costUsd: null }),
    );
    const [q] = featureQuotas(FEATURES, COUNTED, TODAY, live);
    expect(q!.requests).toBe(9); // 7 counted + 2 completed
    expect(q!.spentMicros).toBe(760_000n); // 0.70 + 0.05 + 0.01
    expect(spendByDay(COUNTED, TODAY, live).get(TODAY)).toBe(760_000n);
    expect(spendByDay(COUNTED, TODAY, live).get("2026-05-19")).toBe(300_000n);
  });

  it("never counts an event twice: not one the figures already hold, not one delivered again", () => {
    const live = apply(
      liveReducer(NO_LIVE, { type: "base", seq: 40 }),
      event(39),
      event(40),
      event(41),
      event(41),
    );
    expect(featureQuotas(FEATURES, COUNTED, TODAY, live)[0]!.requests).toBe(8);
  });

  it("hands over to fresh figures: the events they count are dropped, later ones kept", () => {
    const before = apply(NO_LIVE, event(41), event(42), event(43));
    const after = liveReducer(before, { type: "base", seq: 42 });
    expect(after.pending.map((d) => d.seq)).toEqual([43]);
    // The refetch counted 41 and 42: 9 requests, $0.80, plus event 43 still on its way.
    const refreshed = [{ ...COUNTED[1]!, requests: 9, spentUsd: "0.800000" }];
    const [q] = featureQuotas(FEATURES, refreshed, TODAY, after);
    expect(q!.requests).toBe(10);
    expect(q!.spentMicros).toBe(850_000n);
  });

  it("moves a meter into the red when the live events reach the cap", () => {
    const live = apply(liveReducer(NO_LIVE, { type: "base", seq: 40 }), event(41), event(42), event(43));
    render(<QuotaMeters quotas={featureQuotas(FEATURES, COUNTED, TODAY, live)} />);
    const card = within(screen.getByRole("region", { name: "Field extraction" }));
    const requests = card.getByRole("meter", { name: "Requests today" });
    expect(requests.getAttribute("aria-valuetext")).toBe("10 of 10 requests");
    expect(requests.getAttribute("data-level")).toBe("over");
    expect(card.getByRole("meter", { name: "Spend today" }).getAttribute("aria-valuetext")).toBe(
      "$0.85 of $1.00",
    );
  });
});
