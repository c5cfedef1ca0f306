import { describe, expect, it } from "vitest";
import { FailureLog, RECENT_FAILURES_KEPT } from "./provider-health";

const failure = (n: number) => ({ at: new Date(Date.UTC(2026, 0, 1, 0, 0, n)), message: `error ${n}` });

describe("FailureLog", () => {
  it("lists what it holds newest first", () => {
    const log = new FailureLog(3);
    expect(log.list()).toEqual([]);
    log.record(failure(1));
    log.record(failure(2));
    expect(log.list().map((f) => f.message)).toEqual(["error 2", "error 1"]);
  });

  it("keeps only the last `capacity` failures once full, in order", () => {
    const log = new FailureLog(3);
    for (let n = 1; n <= 7; n++) log.record(failure(n));
    expect(log.list()).toEqual([failure(7), failure(6), failure(5)]);
  });

  it("keeps ten by default", () => {
    const log = new FailureLog();
    for (let n = 0; n < 25; n++) log.record(failure(n));
    expect(RECENT_FAILURES_KEPT).toBe(10);
    expect(log.list().map((f) => f.message)).toEqual(Array.from({ length: 10 }, (_, i) => `error ${24 - i}`));
  });

  it("hands out copies, so a caller cannot change what is kept", () => {
    const log = new FailureLog(2);
    log.record(failure(1));
    const [first] = log.list();
    first!.at.setTime(0);
    first!.message = "changed";
    expect(log.list()).toEqual([failure(1)]);
  });

  it("refuses a capacity that could hold nothing", () => {
    expect(() => new FailureLog(0)).toThrow(RangeError);
    expect(() => new FailureLog(1.5)).toThrow(RangeError);
  });
});
