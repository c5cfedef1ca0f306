import { render, screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it, vi } from "vitest";

// React Aria forms are slow to drive in jsdom: generous waits, so a busy machine does not fail them.
const WAIT = { timeout: 10_000 };
const SLOW = 30_000;

import { RuleForm } from "./RuleForm";
import { needsNewSecret, newSigningSecret, ruleInput, thresholdsProblem } from "./rule-form";
import type { AlertRule } from "./words";

const rule: AlertRule = {
  id: "00000000-0000-4000-8000-000000000001",
  kind: "p95_latency",
  thresholds: [1500, 3000],
  webhookUrl: "https://hooks.example.com/wedsync",
  hasWebhookSecret: true,
  enabled: true,
  createdAt: new Date("2026-03-01T10:00:00Z"),
};

function setup(props: Partial<Parameters<typeof RuleForm>[0]> = {}) {
  const user = userEvent.setup();
  const onSubmit = vi.fn(async () => {});
  render(
    <RuleForm
      kinds={["monthly_cost", "p95_latency"]}
      submitLabel="Create rule"
      onSubmit={onSubmit}
      onCancel={() => {}}
      {...props}
    />,
  );
  return { user, onSubmit };
}

const thresholdsField = () => screen.getByRole("textbox", { name: /Alert at/ });
const urlField = () => screen.getByRole("textbox", { name: /Webhook URL/ });

describe("RuleForm", () => {
  it(
    "refuses a threshold past the kind's range before sending, naming the range and the unit",
    async () => {
      const { user, onSubmit } = setup();
      await user.clear(thresholdsField());
      await user.click(thresholdsField());
      await user.paste("80, 120");
      await user.click(screen.getByRole("button", { name: "Create rule" }));
      await waitFor(() => expect(thresholdsField().getAttribute("aria-invalid")).toBe("true"), WAIT);
      expect(document.body.textContent).toContain(
        "Each threshold must be a whole number from 1 to 100 (percent of the monthly credit limit); 120 is outside that",
      );
      expect(onSubmit).not.toHaveBeenCalled();
    },
    SLOW,
  );

  it("refuses zero, words and repeats too", () => {
    expect(thresholdsProblem("monthly_cost", "0")).toContain("from 1 to 100");
    expect(thresholdsProblem("monthly_cost", "eighty")).toContain("“eighty” is not a whole number");
    expect(thresholdsProblem("monthly_cost", "")).toContain("at least one threshold");
    expect(thresholdsProblem("monthly_cost", "80, 80")).toContain("80 is repeated");
    expect(thresholdsProblem("p95_latency", "600001")).toContain("from 1 to 600000 (milliseconds)");
    expect(thresholdsProblem("p95_latency", "600000")).toBeNull();
    expect(thresholdsProblem("monthly_cost", "1,2,3,4,5,6,7,8,9,10,11")).toContain("At most 10");
  });

  it(
    "refuses a webhook URL that is not a web address, saying what to type",
    async () => {
      const { user, onSubmit } = setup();
      await user.click(urlField());
      await user.paste("hooks.example.com/wedsync");
      await user.click(screen.getByRole("button", { name: "Create rule" }));
      await waitFor(() => expect(urlField().getAttribute("aria-invalid")).toBe("true"), WAIT);
      expect(document.body.textContent).toContain("Enter a full web address starting with https://");
      await user.clear(urlField());
      await user.paste("ftp://hooks.example.com/x");
      await user.tab();
      expect(urlField().getAttribute("aria-invalid")).toBe("true");
      await user.clear(urlField());
      await user.paste("https://user:pw@hooks.example.com/x");
      await user.tab();
      await waitFor(
        () => expect(document.body.textContent).toContain("Leave the user name and password out"),
        WAIT,
      );
      expect(onSubmit).not.toHaveBeenCalled();
    },
    SLOW,
  );

  it(
    "sends valid values, and the API input has numbers and no empty URL",
    async () => {
      const { user, onSubmit } = setup();
      await user.clear(thresholdsField());
      await user.click(thresholdsField());
      await user.paste("50, 80 100");
      await user.click(screen.getByRole("button", { name: "Create rule" }));
      await waitFor(() => expect(onSubmit).toHaveBeenCalledTimes(1), WAIT);
      const values = (onSubmit.mock.calls[0] as unknown as [Parameters<typeof ruleInput>[0]])[0];
      expect(values.kind).toBe("monthly_cost");
      expect(ruleInput(values)).toEqual({ thresholds: [50, 80, 100], webhookUrl: null, enabled: true });
      expect(needsNewSecret(values, undefined)).toBe(false);
    },
    SLOW,
  );

  it(
    "shows the server's refusal on the field it is about",
    async () => {
      const refusal = Object.assign(new Error("Invalid input"), {
        data: {
          code: "BAD_REQUEST",
          fieldErrors: [{ field: "webhookUrl", message: "must not point at a private or loopback address" }],
        },
      });
      const { user } = setup({ onSubmit: vi.fn(async () => Promise.reject(refusal)) });
      await user.click(urlField());
      await user.paste("https://10.0.0.1/hook");
      await user.click(screen.getByRole("button", { name: "Create rule" }));
      await waitFor(
        () =>
          expect(document.body.textContent).toContain(
            "The webhook URL must not point at a private or loopback address",
          ),
        WAIT,
      );
      expect(urlField().getAttribute("aria-invalid")).toBe("true");
    },
    SLOW,
  );

  it(
    "edits a rule of its own kind (ms here), and offers to replace an existing secret",
    async () => {
      const user = userEvent.setup();
      const onSubmit = vi.fn(async () => {});
      render(
        <RuleForm rule={rule} kinds={[]} submitLabel="Save rule" onSubmit={onSubmit} onCancel={() => {}} />,
      );
      expect(thresholdsField()).toHaveProperty("value", "1500, 3000");
      expect(screen.getByText("Slow responses")).toBeTruthy();
      await user.click(screen.getByRole("checkbox", { name: /Replace the signing secret/ }));
      await user.click(screen.getByRole("button", { name: "Save rule" }));
      await waitFor(() => expect(onSubmit).toHaveBeenCalledTimes(1), WAIT);
      const values = (onSubmit.mock.calls[0] as unknown as [Parameters<typeof ruleInput>[0]])[0];
      expect(needsNewSecret(values, rule)).toBe(true);
      expect(needsNewSecret({ ...values, replaceSecret: false }, rule)).toBe(false);
      expect(needsNewSecret({ ...values, webhookUrl: "" }, rule)).toBe(false);
    },
    SLOW,
  );
});

describe("newSigningSecret", () => {
  it("is long enough for the API and different every time", () => {
    const a = newSigningSecret();
    expect(a).toMatch(/^whsec_[A-Za-z0-9_-]{43}$/);
    expect(newSigningSecret()).not.toBe(a);
  });
});
