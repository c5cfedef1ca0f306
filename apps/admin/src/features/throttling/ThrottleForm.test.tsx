import { screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, describe, expect, it, vi } from "vitest";
import { renderAdmin } from "../../test/render";
import { ThrottleForm } from "./ThrottleForm";

// React Aria forms are slow to drive in jsdom: generous waits, so a busy machine does not fail them.
const WAIT = { timeout: 10_000 };
const SLOW = 30_000;

afterEach(() => vi.unstubAllGlobals());

const row = (id: string, name: string, tier: string) => ({
  id,
  name,
  slug: name.toLowerCase().replace(/\W+/g, "-"),
  tier,
  timezone: "Europe/London",
  createdAt: new Date("2026-01-01T00:00:00Z"),
  clientCount: 5,
  monthSpendUsd: "0.000000",
  creditLimitUsd: "250.00",
  credit: { month: "2026-06", status: "ok", usedUsd: "0.000000", limitUsd: "250.00" },
  activeAlerts: 0,
});
const BLOOM = row("11111111-1111-4111-8111-111111111111", "Bloom & Petal Florals", "free");
const EVERMORE = row("33333333-3333-4333-8333-333333333333", "Evermore Wedding Planners", "enterprise");
const LIST = { rows: [BLOOM, EVERMORE], total: 2, limit: 10, offset: 0 };

async function setup() {
  const user = userEvent.setup();
  const onReview = vi.fn();
  const rendered = await renderAdmin(<ThrottleForm onReview={onReview} />, {
    answers: { "admin.organizations.list": LIST },
  });
  return { user, onReview, ...rendered };
}

describe("ThrottleForm", () => {
  it(
    "finds the organization by typing, then hands the exact throttle to the confirmation",
    async () => {
      const { user, onReview, calls } = await setup();
      const organization = screen.getByRole("combobox", { name: "Organization" });
      await user.click(organization);
      await user.type(organization, "ever");
      await user.click(await screen.findByRole("option", { name: /Evermore Wedding Planners/ }, WAIT));
      expect((organization as HTMLInputElement).value).toBe("Evermore Wedding Planners");
      // The options are the server's search, not a filter of a list the page happened to load.
      await waitFor(() => expect(calls).toContain("admin.organizations.list"), WAIT);

      await user.type(screen.getByRole("textbox", { name: "Reason" }), "Runaway retries from a CRM sync");
      await user.click(screen.getByRole("button", { name: "Review the throttle" }));
      await waitFor(() => expect(onReview).toHaveBeenCalledTimes(1), WAIT);
      expect(onReview.mock.calls[0]![0]).toEqual({
        input: {
          scope: "organization",
          organizationId: EVERMORE.id,
          mode: "refuse",
          reason: "Runaway retries from a CRM sync",
          expiresAt: null,
        },
        organizationName: "Evermore Wedding Planners",
      });
    },
    SLOW,
  );

  it(
    "refuses a limit out of range and a missing reason in the form, naming the field and the limit",
    async () => {
      const { user, onReview } = await setup();
      await user.click(screen.getByRole("radio", { name: /One feature, every organization/ }));
      await user.click(screen.getByRole("radio", { name: "Limit AI requests to a number a minute" }));
      await user.type(screen.getByRole("textbox", { name: "Requests a minute" }), "0");
      await user.click(screen.getByRole("button", { name: "Review the throttle" }));

      const perMinute = screen.getByRole("textbox", { name: "Requests a minute" });
      await waitFor(() => expect(perMinute.getAttribute("aria-invalid")).toBe("true"), WAIT);
      const text = document.body.textContent ?? "";
      expect(text).toContain("Requests a minute must be a whole number from 1 to 100,000.");
      expect(text).toContain("Feature: choose the feature to throttle.");
      expect(text).toContain("Reason is required");
      expect(onReview).not.toHaveBeenCalled();
    },
    SLOW,
  );

  it(
    "offers an end after a while or at a day and time, and for the whole platform asks for no organization",
    async () => {
      const { user, onReview } = await setup();
      await user.click(screen.getByRole("radio", { name: /The whole platform/ }));
      expect(screen.queryByRole("combobox", { name: "Organization" })).toBeNull();
      await user.click(screen.getByRole("radio", { name: "After a while" }));
      expect(screen.getByRole("button", { name: /1 hour/ })).toBeTruthy();
      await user.click(screen.getByRole("radio", { name: "At a day and time" }));
      expect(screen.getByRole("group", { name: "Ends at" })).toBeTruthy();
      await user.type(screen.getByRole("textbox", { name: "Reason" }), "Provider outage");
      await user.click(screen.getByRole("button", { name: "Review the throttle" }));
      await waitFor(
        () =>
          expect(document.body.textContent).toContain(
            "Ends: choose the day and time, or “Until lifted by hand”.",
          ),
        WAIT,
      );
      expect(onReview).not.toHaveBeenCalled();
    },
    SLOW,
  );
});
