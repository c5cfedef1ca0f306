import { render, screen, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { QuotaMeters } from "./QuotaMeters";
import type { FeatureQuota } from "./quota-figures";

const quota = (over: Partial<FeatureQuota>): FeatureQuota => ({
  featureType: "field_extraction",
  isEnabled: true,
  availableOnTier: true,
  requiredTier: "free",
  requests: 0,
  maxRequestsPerDay: 100,
  spentMicros: 0n,
  maxCostMicros: 10_000_000n,
  ...over,
});

function meters(q: FeatureQuota) {
  render(<QuotaMeters quotas={[q]} />);
  const card = within(screen.getByRole("region", { name: "Field extraction" }));
  return {
    requests: card.getByRole("meter", { name: "Requests today" }),
    spend: card.getByRole("meter", { name: "Spend today" }),
    card,
  };
}

describe("QuotaMeters", () => {
  it("stays calm at 79% of a cap", () => {
    const m = meters(quota({ requests: 79, spentMicros: 7_900_000n }));
    expect(m.requests.getAttribute("data-level")).toBe("ok");
    expect(m.requests.getAttribute("aria-valuetext")).toBe("79 of 100 requests");
    expect(m.spend.getAttribute("data-level")).toBe("ok");
    expect(m.spend.getAttribute("aria-valuetext")).toBe("$7.90 of $10.00");
    expect(m.card.queryByText("Nearly at the limit")).toBeNull();
  });

  it("turns amber at exactly 80%, and says so in words", () => {
    const m = meters(quota({ requests: 80, spentMicros: 8_000_000n }));
    expect(m.requests.getAttribute("data-level")).toBe("warning");
    expect(m.spend.getAttribute("data-level")).toBe("warning");
    expect(m.card.getAllByText("Nearly at the limit")).toHaveLength(2);
  });

  it("turns red at 100%, and past it keeps the bar full", () => {
    const m = meters(quota({ requests: 100, spentMicros: 12_500_000n }));
    expect(m.requests.getAttribute("data-level")).toBe("over");
    expect(m.spend.getAttribute("data-level")).toBe("over");
    expect(m.spend.getAttribute("aria-valuetext")).toBe("$12.50 of $10.00");
    expect(m.spend.getAttribute("aria-valuenow")).toBe("10000000");
    expect(m.card.getAllByText("Limit reached")).toHaveLength(2);
  });

  it("says why a feature takes no requests: switched off, or not in the plan", () => {
    render(
      <QuotaMeters
        quotas={[
          quota({ isEnabled: false }),
          quota({ featureType: "pdf_analysis", availableOnTier: false, requiredTier: "professional" }),
        ]}
      />,
    );
    expect(
      within(screen.getByRole("region", { name: "Field extraction" })).getByText(/Switched off/),
    ).toBeTruthy();
    expect(
      within(screen.getByRole("region", { name: "PDF analysis" })).getByText(
        "Not in your plan: available from the Professional plan.",
      ),
    ).toBeTruthy();
  });
});
