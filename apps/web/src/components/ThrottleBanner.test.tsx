import { render, screen } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { type ActiveThrottle, ThrottleNotice, throttleWords, untilWords } from "./ThrottleBanner";

const NOW = new Date("2026-06-01T12:00:00.000Z"); // 13:00 in London (BST)
const LONDON = "Europe/London";

function throttle(over: Partial<ActiveThrottle>): ActiveThrottle {
  return {
    id: "00000000-0000-4000-8000-000000000001",
    scope: "organization",
    featureType: null,
    mode: "refuse",
    perMinute: null,
    reason: "unusual traffic",
    expiresAt: new Date("2026-06-01T13:30:00.000Z"),
    createdAt: new Date("2026-06-01T11:55:00.000Z"),
    ...over,
  };
}

describe("throttle words", () => {
  it("says what is paused or limited, for whom, until when (in the organization's time) and why", () => {
    expect(throttleWords(throttle({}), NOW, LONDON)).toBe(
      "AI requests are paused for your organization until 14:30 (reason: unusual traffic).",
    );
    expect(throttleWords(throttle({ mode: "cap", perMinute: 10, expiresAt: null }), NOW, LONDON)).toBe(
      "AI requests are limited to 10 requests a minute for your organization until WedSync lifts it (reason: unusual traffic).",
    );
    expect(
      throttleWords(
        throttle({ scope: "feature", featureType: "pdf_analysis", reason: "OCR outage" }),
        NOW,
        LONDON,
      ),
    ).toMatch(/^PDF analysis is paused for every organization until 14:30 \(reason: OCR outage\)\.$/i);
    expect(throttleWords(throttle({ scope: "platform", mode: "cap", perMinute: 1 }), NOW, LONDON)).toBe(
      "AI requests are limited to 1 request a minute across WedSync, shared by every organization, until 14:30 (reason: unusual traffic).",
    );
  });

  it("names the day when the expiry is not today, in the organization's timezone", () => {
    expect(untilWords(new Date("2026-06-03T08:05:00.000Z"), NOW, LONDON)).toBe("Wed 3 Jun, 09:05");
    // 23:30 in London is already tomorrow in Tokyo.
    expect(untilWords(new Date("2026-06-01T22:30:00.000Z"), NOW, LONDON)).toBe("23:30");
    expect(untilWords(new Date("2026-06-01T22:30:00.000Z"), NOW, "Asia/Tokyo")).toBe("Tue 2 Jun, 07:30");
  });

  it("never shows a raw code", () => {
    for (const scope of ["organization", "feature", "platform"] as const)
      for (const mode of ["refuse", "cap"] as const) {
        const words = throttleWords(
          throttle({
            scope,
            mode,
            perMinute: mode === "cap" ? 5 : null,
            featureType: scope === "feature" ? "field_extraction" : null,
          }),
          NOW,
          LONDON,
        );
        expect(words).not.toMatch(/_|refuse|\bcap\b|platform|null|undefined/);
      }
  });
});

describe("ThrottleNotice", () => {
  it("a pause is an alert, with what happens to requests meanwhile", () => {
    render(<ThrottleNotice throttles={[throttle({})]} now={NOW} timeZone={LONDON} />);
    const alert = screen.getByRole("alert");
    expect(alert.textContent).toContain("AI requests are paused for your organization until 14:30");
    expect(alert.textContent).toContain("turned away and not charged");
    expect(screen.getByRole("region", { name: "AI service notice" })).toBeTruthy();
    expect(screen.queryByRole("status")).toBeNull();
  });

  it("a limit alone is a polite status; every throttle in force is listed", () => {
    const cap = throttle({ id: "a", mode: "cap", perMinute: 10 });
    const feature = throttle({
      id: "b",
      scope: "feature",
      featureType: "smart_mapping",
      mode: "cap",
      perMinute: 50,
    });
    render(<ThrottleNotice throttles={[cap, feature]} now={NOW} timeZone={LONDON} />);
    const status = screen.getByRole("status");
    expect(status.querySelectorAll("strong")).toHaveLength(2);
    expect(status.textContent).toContain("limited to 10 requests a minute");
    expect(status.textContent).toContain("a minute later");
    expect(screen.queryByRole("alert")).toBeNull();
  });

  it("shows nothing without a throttle, or once the only one has expired", () => {
    const { container, rerender } = render(<ThrottleNotice throttles={[]} now={NOW} timeZone={LONDON} />);
    expect(container.innerHTML).toBe("");
    rerender(
      <ThrottleNotice
        throttles={[throttle({})]}
        now={new Date("2026-06-01T13:30:00.000Z")}
        timeZone={LONDON}
      />,
    );
    expect(container.innerHTML).toBe("");
  });
});
