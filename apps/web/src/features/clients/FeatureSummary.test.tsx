import { render } from "@testing-library/react";
import { type PlatformLimits, resolveEffectiveConfig } from "@wedsync/core/domain";
import { describe, expect, it } from "vitest";
import { FeatureSummary } from "./FeatureSummary";

const PLATFORM: PlatformLimits = {
  featureType: "field_extraction",
  isEnabled: true,
  maxRequestsPerDay: 1000,
  maxCostPerDay: "50.00",
  rateLimitPerMinute: 60,
  priorityLevel: 5,
  model: "gpt-4o-mini",
};

const lines = (el: HTMLElement) =>
  [...el.querySelectorAll(".cl-feature-summary > div")].map((d) => d.textContent);

describe("FeatureSummary (a client's feature in the list)", () => {
  it("marks every value inherited, in words, when the client overrides nothing", () => {
    const { container } = render(
      <FeatureSummary effective={resolveEffectiveConfig(PLATFORM)} platform={PLATFORM} />,
    );
    expect(lines(container)).toEqual([
      "On inherited",
      "1,000 requests a day inherited",
      "$50.00 a day inherited",
    ]);
    expect(container.querySelectorAll(".cl-value-override")).toHaveLength(0);
  });

  it("marks an override as such, with the platform's limit beside it, differently from inherited values", () => {
    const effective = resolveEffectiveConfig(PLATFORM, {
      isEnabled: null,
      maxRequestsPerDay: 200,
      maxCostPerDay: "10.00",
      rateLimitPerMinute: 30,
    });
    const { container } = render(<FeatureSummary effective={effective} platform={PLATFORM} />);
    expect(lines(container)).toEqual([
      "On inherited",
      "200 requests a day override · limit 1,000",
      "$10.00 a day override · limit $50.00",
      // The rate limit appears once it is overridden.
      "30 requests a minute override · limit 60",
    ]);
    const overridden = container.querySelectorAll(".cl-value-override");
    expect(overridden).toHaveLength(3);
    expect(container.querySelectorAll(".cl-source-override")).toHaveLength(3);
    expect(container.querySelectorAll(".cl-source-inherited")).toHaveLength(1);
  });

  it("says who switched a feature off: the client, or the organization", () => {
    const byClient = render(
      <FeatureSummary
        effective={resolveEffectiveConfig(PLATFORM, {
          isEnabled: false,
          maxRequestsPerDay: null,
          maxCostPerDay: null,
          rateLimitPerMinute: null,
        })}
        platform={PLATFORM}
      />,
    );
    expect(lines(byClient.container)[0]).toBe("Off for this client override");
    byClient.unmount();
    const off = { ...PLATFORM, isEnabled: false };
    const byOrg = render(<FeatureSummary effective={resolveEffectiveConfig(off)} platform={off} />);
    expect(lines(byOrg.container)[0]).toBe("Off for the organization inherited");
  });

  it("shows a feature the plan lacks as locked, naming the plan", () => {
    const { container } = render(
      <FeatureSummary
        effective={resolveEffectiveConfig(PLATFORM)}
        platform={PLATFORM}
        lockedTier="professional"
      />,
    );
    expect(container.textContent).toBe("Locked: needs the Professional plan");
  });
});
