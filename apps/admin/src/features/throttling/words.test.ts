import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { consequenceWords, endWords, liftWords, modeWords, scopeWords } from "./words";

const NOW = new Date("2026-06-01T12:00:00.000Z"); // 13:00 in London (BST)
let zone: string | undefined;
beforeAll(() => {
  zone = process.env.TZ;
  process.env.TZ = "Europe/London";
});
afterAll(() => {
  process.env.TZ = zone;
});

describe("throttle words", () => {
  it("say whom a throttle reaches and what it does, never a code", () => {
    expect(scopeWords({ scope: "organization", organizationName: "Evermore Wedding Planners" })).toBe(
      "Evermore Wedding Planners",
    );
    expect(scopeWords({ scope: "feature", featureType: "field_extraction" })).toBe(
      "Field extraction, every organization",
    );
    expect(scopeWords({ scope: "platform" })).toBe("The whole platform");
    expect(modeWords({ mode: "refuse" })).toBe("AI requests refused");
    expect(modeWords({ mode: "cap", perMinute: 1200 })).toBe("Limited to 1,200 a minute");
  });

  it("say exactly what will be refused for whom, until when, in the staff member's time", () => {
    const [what, running, who] = consequenceWords(
      {
        scope: "organization",
        organizationName: "Bloom & Petal Florals",
        mode: "refuse",
        expiresAt: new Date("2026-06-01T13:30:00.000Z"),
      },
      NOW,
    );
    expect(what).toBe(
      "New AI requests from Bloom & Petal Florals (every feature, from the supplier app and through API keys) will all be refused until Mon 1 Jun, 14:30 BST, answered “service unavailable” with when to try again.",
    );
    expect(running).toBe("Requests already running finish. Refused requests are not charged.");
    expect(who).toBe("Bloom & Petal Florals sees it on a banner in the supplier app, with your reason.");
  });

  it("say a feature or platform limit is one allowance shared by every organization", () => {
    expect(
      consequenceWords({ scope: "feature", featureType: "pdf_analysis", mode: "cap", perMinute: 30 }, NOW)[0],
    ).toBe(
      "New PDF analysis requests from every organization will be limited to 30 a minute in total, shared by every organization, until it is lifted by hand; the rest are refused with “too many requests”.",
    );
    expect(consequenceWords({ scope: "platform", mode: "refuse" }, NOW)).toContain(
      "Every organization sees it on a banner in the supplier app, with your reason.",
    );
    expect(liftWords({ scope: "feature", featureType: "smart_mapping" })).toBe(
      "Smart mapping requests from every organization are admitted again at once, within each organization's own limits.",
    );
  });

  it("say how a throttle ended and who ended it, with the year only when it is not this year's", () => {
    expect(
      endWords(
        {
          status: "lifted",
          liftedAt: new Date("2026-06-01T11:00:00.000Z"),
          liftedBy: { id: "u", name: "Sam Staff" },
          expiresAt: null,
        },
        NOW,
      ),
    ).toBe("Lifted by Sam Staff, Mon 1 Jun, 12:00 BST");
    expect(
      endWords(
        { status: "expired", liftedAt: null, liftedBy: null, expiresAt: new Date("2025-12-31T23:00:00Z") },
        NOW,
      ),
    ).toBe("Ended by itself, Wed 31 Dec 2025, 23:00 GMT");
  });
});
