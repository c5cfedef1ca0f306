import { getEventListeners } from "node:events";
import { describe, expect, it } from "vitest";
import { linkSignals } from "./signals";

describe("linkSignals", () => {
  it("aborts with the reason of whichever source aborts first, and unhooks from all", () => {
    const [a, b] = [new AbortController(), new AbortController()];
    const linked = linkSignals(a.signal, b.signal);
    expect(linked.signal.aborted).toBe(false);
    b.abort(new Error("second"));
    expect(linked.signal.aborted).toBe(true);
    expect((linked.signal.reason as Error).message).toBe("second");
    expect(getEventListeners(a.signal, "abort")).toHaveLength(0);
    expect(getEventListeners(b.signal, "abort")).toHaveLength(0);
  });

  it("is aborted at once when a source already is", () => {
    const a = new AbortController();
    a.abort("gone");
    const linked = linkSignals(new AbortController().signal, a.signal);
    expect(linked.signal.aborted).toBe(true);
    expect(linked.signal.reason).toBe("gone");
  });

  it("dispose leaves no listener on long-lived sources (nothing kept per request)", () => {
    const server = new AbortController(); // e.g. a signal that lives as long as the process
    for (let i = 0; i < 10_000; i++) linkSignals(server.signal, new AbortController().signal).dispose();
    expect(getEventListeners(server.signal, "abort")).toHaveLength(0);
    const linked = linkSignals(server.signal);
    linked.dispose();
    server.abort();
    expect(linked.signal.aborted).toBe(false);
  });
});
