/**
 * How large a PDF clients.process takes, and what follows from it: the base64 text that carries
 * it and the HTTP body that carries that. One figure, in bytes; everything else is derived.
 */

const MEBIBYTE = 1024 * 1024;

/** The largest PDF accepted, decoded: 10 MB (10,485,760 bytes). */
export const MAX_PDF_BYTES = 10 * MEBIBYTE;

/** Characters of standard, padded base64 for `bytes` bytes: 4 for every 3, the last group padded. */
export function base64Length(bytes: number): number {
  if (!Number.isSafeInteger(bytes) || bytes < 0) throw new RangeError(`bad byte count: ${bytes}`);
  return Math.ceil(bytes / 3) * 4;
}

/**
 * Room a clients.process body needs besides the PDF's base64: the tRPC/JSON envelope, the client
 * id, the feature type and an idempotency key of up to 200 characters, with a wide margin.
 */
const PROCESS_ENVELOPE_BYTES = 64 * 1024;

/**
 * The HTTP body limit for clients.process carrying a PDF of at most `maxPdfBytes`: its base64
 * plus the envelope, rounded up to a power of two (16 MB for 10 MB).
 */
export function processBodyLimitBytes(maxPdfBytes: number): number {
  const needed = base64Length(maxPdfBytes) + PROCESS_ENVELOPE_BYTES;
  let limit = 1;
  while (limit < needed) limit *= 2;
  return limit;
}

/** "10 MB": a size in whole mebibytes, as messages state it (rounded up, never understated). */
export function megabytesLabel(bytes: number): string {
  return `${Math.ceil(bytes / MEBIBYTE)} MB`;
}

/** The longest `pdfBase64` accepted: 13,981,016 characters. */
export const MAX_PDF_BASE64_LENGTH = base64Length(MAX_PDF_BYTES);

/** The body limit for clients.process: 16 MB (16,777,216 bytes). */
export const PROCESS_BODY_LIMIT_BYTES = processBodyLimitBytes(MAX_PDF_BYTES);

/** The PDF limit as messages state it: "10 MB". */
export const MAX_PDF_LABEL = megabytesLabel(MAX_PDF_BYTES);
