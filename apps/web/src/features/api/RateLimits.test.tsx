import { render, screen } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { RateLimitList, type RateLimitStatus } from "./RateLimits";

const STATUS: RateLimitStatus = {
  checkedAt: "2026-05-01T10:00:00.000Z",
  windowSeconds: 60,
  features: [
    {
      featureType: "pdf_analysis",
      limitPerMinute: 60,
      remaining: 60,
      resetAt: null,
      resetsInMs: null,
      refusedBecause: null,
    },
    {
      featureType: "field_extraction",
      limitPerMinute: 10,
      remaining: 2,
      resetAt: "2026-05-01T10:00:42.000Z",
      resetsInMs: 42_000,
      refusedBecause: null,
    },
    {
      featureType: "smart_mapping",
      limitPerMinute: 60,
      remaining: 60,
      resetAt: null,
      resetsInMs: null,
      refusedBecause: "tier",
    },
  ],
};

describe("rate limit status", () => {
  it("shows what is left per feature, in words, and counts the reset down from when it arrived", () => {
    const { rerender } = render(<RateLimitList status={STATUS} elapsedMs={0} />);
    const meters = screen.getAllByRole("meter");
    expect(meters.map((m) => m.getAttribute("aria-valuetext"))).toEqual([
      "60 of 60 left this minute",
      "2 of 10 left this minute",
      "60 of 60 left this minute",
    ]);
    expect(meters[1]!.getAttribute("aria-valuenow")).toBe("8");
    expect(screen.getByText("A used slot frees up in 42 s.")).toBeTruthy();
    expect(screen.getByText(/Not in your plan/)).toBeTruthy();
    rerender(<RateLimitList status={STATUS} elapsedMs={12_500} />);
    expect(screen.getByText("A used slot frees up in 30 s.")).toBeTruthy();
    rerender(<RateLimitList status={STATUS} elapsedMs={90_000} />);
    expect(screen.getByText("A used slot frees up in 0 s.")).toBeTruthy();
  });

  it("says when the limit is reached", () => {
    const full = { ...STATUS, features: [{ ...STATUS.features[1]!, remaining: 0 }] };
    render(<RateLimitList status={full} elapsedMs={2_000} />);
    expect(screen.getByText("Limit reached: the next request is admitted in 40 s.")).toBeTruthy();
    expect(screen.getByRole("meter").closest("[data-level]")?.getAttribute("data-level")).toBe("over");
  });
});
