import { render, screen, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { AlertHistoryTable } from "./AlertHistoryTable";
import { mergeAlerts } from "./history";
import { type AlertItem, alertMessageWords, deliveryWords } from "./words";

const alert = (id: number, over: Partial<AlertItem> = {}): AlertItem => ({
  id,
  organizationId: "o",
  ruleId: "r",
  kind: "daily_cost",
  threshold: 80,
  period: "2026-03-01/field_extraction",
  value: "8.100000",
  message: "field_extraction spent $8.100000 on 2026-03-01: 81% of its $10.00 daily cost cap (alert at 80%)",
  createdAt: new Date("2026-03-01T15:00:00Z"),
  delivery: { attempts: 0, deliveredAt: null, error: null, nextAttemptAt: null },
  ...over,
});

describe("alert history", () => {
  it("puts live alerts on top, each once, newest first", () => {
    const fetched = [alert(3), alert(2)];
    const live = [
      alert(5),
      alert(3, { delivery: { attempts: 0, deliveredAt: null, error: null, nextAttemptAt: new Date() } }),
    ];
    const merged = mergeAlerts(live, fetched);
    expect(merged.map((a) => a.id)).toEqual([5, 3, 2]);
    // The fetched copy wins: it is the newer state of the same alert.
    expect(merged[1]!.delivery.nextAttemptAt).toBeNull();
  });

  it("marks the alerts that arrived while open as New, in words", () => {
    render(
      <AlertHistoryTable alerts={[alert(5), alert(4)]} freshIds={new Set([5])} timeZone="America/New_York" />,
    );
    const rows = within(screen.getByRole("table")).getAllByRole("row");
    expect(rows[1]!.className).toBe("alert-new");
    expect(rows[1]!.textContent).toContain("New");
    expect(rows[2]!.textContent).not.toContain("New");
    expect(rows[1]!.textContent).toContain("Daily spend per feature");
    expect(rows[1]!.textContent).toContain("Field extraction spent $8.100000");
    expect(rows[1]!.textContent).not.toContain("field_extraction");
    expect(rows[1]!.textContent).toContain("Mar 1, 2026, 10:00 AM");
  });

  it("says where the webhook delivery stands", () => {
    const t = () => "at noon";
    expect(deliveryWords(alert(1).delivery, t)).toBe("Shown here only (the rule had no webhook)");
    expect(deliveryWords({ attempts: 0, deliveredAt: null, error: null, nextAttemptAt: new Date() }, t)).toBe(
      "Sending to your webhook…",
    );
    expect(
      deliveryWords({ attempts: 2, deliveredAt: null, error: "HTTP 500", nextAttemptAt: new Date() }, t),
    ).toBe("Webhook attempt 2 failed (HTTP 500); trying again at noon");
    expect(deliveryWords({ attempts: 6, deliveredAt: null, error: "timeout", nextAttemptAt: null }, t)).toBe(
      "Webhook not delivered after 6 attempts (timeout)",
    );
    expect(deliveryWords({ attempts: 1, deliveredAt: new Date(), error: null, nextAttemptAt: null }, t)).toBe(
      "Sent to your webhook at noon",
    );
    expect(alertMessageWords("p95 processing time on 2026-03-01 is 3 ms")).toBe(
      "95th-percentile processing time on 2026-03-01 is 3 ms",
    );
  });

  it("says what to do when there are none", () => {
    render(<AlertHistoryTable alerts={[]} freshIds={new Set()} timeZone="UTC" />);
    expect(screen.getByText("No alerts yet")).toBeTruthy();
  });
});
