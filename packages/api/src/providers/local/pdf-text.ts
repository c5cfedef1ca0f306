import { AppError } from "@wedsync/core";
import { extractText, getDocumentProxy } from "unpdf";

export interface PdfText {
  /** Each page's text, in order (a page with no text layer is ""). */
  pages: string[];
  /** The pages joined with blank lines, for features that read the whole document. */
  text: string;
  pageCount: number;
}

const MAGIC = [0x25, 0x50, 0x44, 0x46, 0x2d]; // "%PDF-"
/** The PDF spec lets the header start anywhere in the first 1024 bytes (some writers prepend junk). */
const HEADER_WINDOW = 1024;

function hasPdfHeader(bytes: Uint8Array): boolean {
  const last = Math.min(bytes.length - MAGIC.length, HEADER_WINDOW);
  for (let i = 0; i <= last; i++) {
    if (MAGIC.every((b, k) => bytes[i + k] === b)) return true;
  }
  return false;
}

const badPdf = (message: string, cause?: unknown) =>
  new AppError("BAD_REQUEST", message, { fieldErrors: [{ field: "input.pdfBase64", message }], cause });

/**
 * The text layer of a PDF, page by page. Anything that is not a readable PDF (wrong bytes,
 * truncated, password-protected, corrupt) is the caller's BAD_REQUEST naming input.pdfBase64, never a
 * server error. A scanned PDF without text is not an error here: its pages are just empty.
 */
export async function extractPdfText(bytes: Uint8Array): Promise<PdfText> {
  if (!hasPdfHeader(bytes)) throw badPdf("This file is not a PDF (no %PDF- header)");
  let doc: Awaited<ReturnType<typeof getDocumentProxy>>;
  try {
    // pdf.js may take ownership of the buffer it is given: hand it a copy. verbosity 0: no console noise.
    doc = await getDocumentProxy(bytes.slice(), { verbosity: 0 });
  } catch (e) {
    const name = e instanceof Error ? e.name : "";
    if (name === "PasswordException") throw badPdf("The PDF is password-protected", e);
    throw badPdf("The PDF is damaged or incomplete and cannot be read", e);
  }
  try {
    const { totalPages, text } = await extractText(doc, { mergePages: false });
    return { pages: text, text: text.join("\n\n"), pageCount: totalPages };
  } catch (e) {
    throw badPdf("The PDF is damaged or incomplete and cannot be read", e);
  } finally {
    await doc.destroy().catch(() => undefined);
  }
}
