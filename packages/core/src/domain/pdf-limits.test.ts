import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  base64Length,
  MAX_PDF_BASE64_LENGTH,
  MAX_PDF_BYTES,
  MAX_PDF_LABEL,
  megabytesLabel,
  PROCESS_BODY_LIMIT_BYTES,
  processBodyLimitBytes,
} from "./pdf-limits";

describe("the PDF limit and what follows from it", () => {
  it("is 10 MB of PDF, 13,981,016 base64 characters, in a 16 MB body", () => {
    expect(MAX_PDF_BYTES).toBe(10_485_760);
    expect(MAX_PDF_BASE64_LENGTH).toBe(13_981_016);
    expect(PROCESS_BODY_LIMIT_BYTES).toBe(16_777_216);
    expect(MAX_PDF_LABEL).toBe("10 MB");
  });

  it.each([
    [0, 0],
    [1, 4],
    [2, 4],
    [3, 4],
    [4, 8],
    [10_485_760, 13_981_016],
  ])("%s bytes are %s base64 characters", (bytes, chars) => {
    expect(base64Length(bytes)).toBe(chars);
  });

  it("counts what Node's base64 encoder writes (property)", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
        expect(base64Length(bytes.length)).toBe(Buffer.from(bytes).toString("base64").length);
      }),
    );
  });

  it("refuses what is not a byte count", () => {
    expect(() => base64Length(-1)).toThrow(RangeError);
    expect(() => base64Length(1.5)).toThrow(RangeError);
  });

  it("makes the body limit the least power of two holding the base64 and 64 KiB of envelope (property)", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 200 * 1024 * 1024 }), (pdfBytes) => {
        const limit = processBodyLimitBytes(pdfBytes);
        const needed = base64Length(pdfBytes) + 64 * 1024;
        expect(Number.isInteger(Math.log2(limit))).toBe(true);
        expect(limit).toBeGreaterThanOrEqual(needed);
        expect(limit / 2).toBeLessThan(needed);
      }),
    );
  });

  it("lets the largest PDF through in a clients.process body with the longest idempotency key", () => {
    const body = JSON.stringify({
      0: {
        json: {
          clientId: "0b6f3b8e-9c1d-4d55-a7a5-2f8f6f2d3c11",
          idempotencyKey: "k".repeat(200),
          featureType: "pdf_analysis",
          input: { pdfBase64: `${"A".repeat(MAX_PDF_BASE64_LENGTH - 2)}==` },
        },
      },
    });
    expect(Buffer.byteLength(body)).toBeLessThanOrEqual(PROCESS_BODY_LIMIT_BYTES);
  });

  it.each([
    [10_485_760, "10 MB"],
    [1_048_576, "1 MB"],
    [1_048_577, "2 MB"],
  ])("%s bytes read as %s", (bytes, label) => {
    expect(megabytesLabel(bytes)).toBe(label);
  });
});
