import { AppError, MAX_PDF_BYTES, MAX_PDF_LABEL } from "@wedsync/core";
import { extractPdfText } from "../providers/local/pdf-text";
import type { FeatureInput } from "../providers/types";

/** What callers send for each feature (clients.process); PDFs arrive base64-encoded. */
export type RawFeatureInput =
  | { featureType: "field_extraction"; text: string }
  | { featureType: "pdf_analysis"; pdfBase64: string }
  | {
      featureType: "smart_mapping";
      sourceFields: Array<{ name: string; value: string | null }>;
      targetLabels: string[];
    };

/** Turn a caller's input into what providers take: PDFs become text here, once, whichever provider runs. */
export async function prepareFeatureInput(raw: RawFeatureInput): Promise<FeatureInput> {
  switch (raw.featureType) {
    case "field_extraction":
      return raw;
    case "smart_mapping":
      return raw;
    case "pdf_analysis": {
      const bytes = Buffer.from(raw.pdfBase64, "base64");
      if (bytes.length > MAX_PDF_BYTES) {
        throw new AppError("PAYLOAD_TOO_LARGE", `The PDF is over ${MAX_PDF_LABEL}`, {
          fieldErrors: [{ field: "input.pdfBase64", message: `at most ${MAX_PDF_LABEL}` }],
        });
      }
      const { text, pages } = await extractPdfText(new Uint8Array(bytes));
      if (text.trim().length === 0) {
        throw new AppError("BAD_REQUEST", "The PDF has no extractable text (is it a scan?)", {
          fieldErrors: [{ field: "input.pdfBase64", message: "no text found in the PDF" }],
        });
      }
      return { featureType: "pdf_analysis", text, pages };
    }
  }
}

/** The text an estimate is based on. */
export function inputText(input: FeatureInput): string {
  return input.featureType === "smart_mapping"
    ? JSON.stringify({ sourceFields: input.sourceFields, targetLabels: input.targetLabels })
    : input.text;
}
