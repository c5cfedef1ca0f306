import { AppError } from "@wedsync/core";
import { PDFDocument, PDFHexString } from "pdf-lib";
import { describe, expect, it } from "vitest";
import { contractPages, invoicePages, makePdf } from "./pdf.fixtures";
import { extractPdfText } from "./pdf-text";

async function expectBadPdf(bytes: Uint8Array, message: RegExp) {
  const error = await extractPdfText(bytes).then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AppError);
  expect(error).toMatchObject({ code: "BAD_REQUEST", fieldErrors: [{ field: "input.pdfBase64" }] });
  expect((error as AppError).message).toMatch(message);
}

describe("extractPdfText", () => {
  it("returns each page's lines, the joined text and the page count", async () => {
    const result = await extractPdfText(await makePdf(contractPages));
    expect(result.pageCount).toBe(2);
    expect(result.pages).toEqual(contractPages.map((lines) => lines.join("\n")));
    expect(result.text).toBe(result.pages.join("\n\n"));
  });

  it("keeps non-ASCII text (£, curly quotes) and leaves the caller's bytes intact", async () => {
    const bytes = await makePdf(invoicePages);
    const copy = bytes.slice();
    const result = await extractPdfText(bytes);
    expect(result.pages[0]).toContain("Amount due: £302.40");
    expect(bytes).toEqual(copy);
  });

  it("returns empty pages for a PDF with no text layer (a scan): the caller decides", async () => {
    const doc = await PDFDocument.create();
    doc.addPage();
    expect(await extractPdfText(await doc.save())).toEqual({ pages: [""], text: "", pageCount: 1 });
  });

  it("rejects bytes that are not a PDF", async () => {
    await expectBadPdf(new TextEncoder().encode("Hello, this is a Word document"), /not a PDF/);
    await expectBadPdf(new Uint8Array(), /not a PDF/);
    await expectBadPdf(new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), /not a PDF/); // PNG
  });

  it("rejects a truncated PDF and one that is only a header", async () => {
    const bytes = await makePdf(contractPages);
    await expectBadPdf(bytes.slice(0, Math.floor(bytes.length / 2)), /damaged or incomplete/);
    await expectBadPdf(new TextEncoder().encode("%PDF-1.7\n%garbage"), /damaged or incomplete/);
  });

  it("rejects a password-protected PDF", async () => {
    const doc = await PDFDocument.load(await makePdf(invoicePages));
    // A standard security handler whose (random) keys no empty password opens.
    const encrypt = doc.context.obj({
      Filter: "Standard",
      V: 1,
      R: 2,
      O: PDFHexString.of("ab".repeat(32)),
      U: PDFHexString.of("cd".repeat(32)),
      P: -4,
    });
    doc.context.trailerInfo.Encrypt = doc.context.register(encrypt);
    await expectBadPdf(await doc.save({ useObjectStreams: false }), /password-protected/);
  });

  it("accepts a header preceded by junk within the first 1024 bytes", async () => {
    const pdf = await makePdf(invoicePages);
    const junk = new TextEncoder().encode("X".repeat(100));
    const bytes = new Uint8Array(junk.length + pdf.length);
    bytes.set(junk);
    bytes.set(pdf, junk.length);
    expect((await extractPdfText(bytes)).pageCount).toBe(1);
  });
});
