import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  BACKGROUND_PDF_BYTES,
  BACKGROUND_TEXT_CHARS,
  base64DecodedBytes,
  FINISHED_JOB_STATUSES,
  isFinishedJob,
  JOB_STATUSES,
  processMode,
} from "./background-jobs";

describe("processMode", () => {
  it("keeps the caller's mode whatever the size", () => {
    expect(processMode("sync", { kind: "pdf", bytes: BACKGROUND_PDF_BYTES * 4 })).toBe("sync");
    expect(processMode("async", { kind: "text", chars: 10 })).toBe("async");
    expect(processMode("async", { kind: "fields" })).toBe("async");
  });

  it("without a mode: async only above the documented sizes (the limit itself stays sync)", () => {
    expect(processMode(undefined, { kind: "pdf", bytes: BACKGROUND_PDF_BYTES })).toBe("sync");
    expect(processMode(undefined, { kind: "pdf", bytes: BACKGROUND_PDF_BYTES + 1 })).toBe("async");
    expect(processMode(undefined, { kind: "text", chars: BACKGROUND_TEXT_CHARS })).toBe("sync");
    expect(processMode(undefined, { kind: "text", chars: BACKGROUND_TEXT_CHARS + 1 })).toBe("async");
    expect(processMode(undefined, { kind: "fields" })).toBe("sync");
  });

  it("is monotonic in size: a larger document never runs sync where a smaller one ran async", () => {
    fc.assert(
      fc.property(fc.nat(20 * 1024 * 1024), fc.nat(20 * 1024 * 1024), (a, b) => {
        const [small, large] = a <= b ? [a, b] : [b, a];
        const rank = (bytes: number) => (processMode(undefined, { kind: "pdf", bytes }) === "async" ? 1 : 0);
        expect(rank(small)).toBeLessThanOrEqual(rank(large));
      }),
    );
  });
});

describe("base64DecodedBytes", () => {
  it("equals the decoded length for any bytes", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
        expect(base64DecodedBytes(Buffer.from(bytes).toString("base64"))).toBe(bytes.length);
      }),
    );
  });
});

describe("job statuses", () => {
  it("finished ones are exactly succeeded, failed and cancelled", () => {
    expect(JOB_STATUSES.filter(isFinishedJob)).toEqual([...FINISHED_JOB_STATUSES]);
    expect(isFinishedJob("queued")).toBe(false);
    expect(isFinishedJob("running")).toBe(false);
  });
});
