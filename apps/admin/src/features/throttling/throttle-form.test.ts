import { fromDate } from "@internationalized/date";
import type { FieldErrors } from "react-hook-form";
import { describe, expect, it } from "vitest";
import { emptyValues, type ThrottleValues, throttleResolver } from "./throttle-form";

const NOW = new Date("2026-06-01T12:00:00.000Z");
const ORG = { id: "11111111-1111-4111-8111-111111111111", name: "Bloom & Petal Florals" };

async function resolve(over: Partial<ThrottleValues>) {
  const values = { ...emptyValues(ORG), reason: "runaway retries", ...over };
  const result = await throttleResolver(() => NOW)(values, undefined, {
    fields: {},
    shouldUseNativeValidation: false,
  });
  const messages = Object.fromEntries(
    Object.entries(result.errors as FieldErrors<ThrottleValues>).map(([k, e]) => [k, e?.message]),
  );
  return { result, messages };
}

describe("throttleResolver (core's throttle schema at the clock's time)", () => {
  it("hands over exactly what throttles.set takes: only the fields the scope and mode use", async () => {
    const { result } = await resolve({ ends: "after", durationMinutes: "60" });
    expect(result.values).toEqual({
      input: {
        scope: "organization",
        organizationId: ORG.id,
        mode: "refuse",
        reason: "runaway retries",
        expiresAt: "2026-06-01T13:00:00.000Z",
      },
      organizationName: ORG.name,
    });
    const feature = await resolve({
      scope: "feature",
      featureType: "pdf_analysis",
      mode: "cap",
      perMinute: "1,000",
    });
    expect(feature.result.values).toEqual({
      input: {
        scope: "feature",
        featureType: "pdf_analysis",
        mode: "cap",
        perMinute: 1000,
        reason: "runaway retries",
        expiresAt: null,
      },
      organizationName: null,
    });
  });

  it("refuses each missing or out-of-range value on its own field, naming it and its limit", async () => {
    const { messages } = await resolve({ organizationId: "", mode: "cap", perMinute: "0", reason: "  " });
    expect(messages).toEqual({
      organizationId: "Organization: choose one from the list (type part of its name to find it).",
      perMinute: "Requests a minute must be a whole number from 1 to 100,000.",
      reason: "Reason is required: say why. The organizations affected see it, and the audit keeps it.",
    });
    expect((await resolve({ scope: "feature" })).messages).toEqual({
      featureType: "Feature: choose the feature to throttle.",
    });
    expect((await resolve({ reason: "x".repeat(501) })).messages.reason).toBe(
      "Reason can be at most 500 characters.",
    );
  });

  it("refuses an end in the past, or none chosen, on the date and time field", async () => {
    const past = fromDate(new Date("2026-06-01T11:59:00.000Z"), "UTC");
    expect((await resolve({ ends: "at", endsAt: past })).messages).toEqual({
      endsAt: "Ends must be in the future: choose a later day or time.",
    });
    expect((await resolve({ ends: "at", endsAt: null })).messages).toEqual({
      endsAt: "Ends: choose the day and time, or “Until lifted by hand”.",
    });
    const later = fromDate(new Date("2026-06-02T08:30:00.000Z"), "Europe/Paris");
    const ok = await resolve({ ends: "at", endsAt: later });
    expect(ok.result.errors).toEqual({});
    expect((ok.result.values as { input: { expiresAt: string } }).input.expiresAt).toBe(
      "2026-06-02T08:30:00.000Z",
    );
  });
});
