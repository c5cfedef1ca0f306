import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type BusMessage, EventBus, MAX_PAYLOAD_BYTES, type PlatformEvent, packPayloads } from "./event-bus";
import { createLogger } from "./logger";

const uuid = fc.uuid();
const event: fc.Arbitrary<PlatformEvent> = fc.oneof(
  fc.record({
    kind: fc.constant("config" as const),
    organizationId: uuid,
    auditId: fc.nat(),
    entityKind: fc.constantFrom("platform_config" as const, "client_config" as const),
    entityId: uuid,
    clientId: fc.option(uuid, { nil: null }),
    version: fc.nat(),
  }),
  fc.record({
    kind: fc.constant("usage" as const),
    organizationId: uuid,
    seq: fc.nat(),
    requestId: uuid,
    featureType: fc.constantFrom(
      "pdf_analysis" as const,
      "field_extraction" as const,
      "smart_mapping" as const,
    ),
    clientId: fc.option(uuid, { nil: null }),
    status: fc.constantFrom("succeeded" as const, "failed" as const, "rejected" as const),
    costUsd: fc.option(fc.constant("0.001234"), { nil: null }),
    inputTokens: fc.nat(),
    outputTokens: fc.nat(),
    cachedInputTokens: fc.nat(),
    rejectionReason: fc.option(fc.string({ maxLength: 40 }), { nil: null }),
  }),
);

describe("packPayloads", () => {
  it("keeps every payload under the limit and every event, in order", () => {
    fc.assert(
      fc.property(fc.array(event, { maxLength: 200 }), (events) => {
        const payloads = packPayloads(events);
        for (const p of payloads) expect(Buffer.byteLength(p)).toBeLessThanOrEqual(MAX_PAYLOAD_BYTES);
        const back = payloads.flatMap((p) => (JSON.parse(p) as { events: PlatformEvent[] }).events);
        expect(back).toEqual(events);
      }),
    );
  });
});

describe("EventBus.receive", () => {
  it("fans valid events out and drops a malformed payload without stopping", () => {
    const bus = new EventBus(createLogger("silent"));
    const got: BusMessage[] = [];
    bus.subscribe((m) => got.push(m));
    bus.subscribe(() => {
      throw new Error("a broken subscriber must not stop the others");
    });
    bus.receive("{not json");
    bus.receive(JSON.stringify({ events: [{ kind: "config", organizationId: 1 }] }));
    const ok: PlatformEvent = {
      kind: "config",
      organizationId: "o",
      auditId: 7,
      entityKind: "platform_config",
      entityId: "e",
      clientId: null,
      version: 2,
    };
    bus.receive(JSON.stringify({ events: [ok] }));
    expect(got).toEqual([{ type: "event", event: ok }]);
  });
});
