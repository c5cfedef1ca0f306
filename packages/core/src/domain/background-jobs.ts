// Background jobs for heavy documents (issue 15): their statuses, and when clients.process hands a
// document to a job instead of holding the HTTP request open.

export const JOB_STATUSES = ["queued", "running", "succeeded", "failed", "cancelled"] as const;
export type JobStatus = (typeof JOB_STATUSES)[number];

/** A job in one of these states never changes again. */
export const FINISHED_JOB_STATUSES = [
  "succeeded",
  "failed",
  "cancelled",
] as const satisfies readonly JobStatus[];

export function isFinishedJob(status: JobStatus): boolean {
  return (FINISHED_JOB_STATUSES as readonly JobStatus[]).includes(status);
}

/** How clients.process runs a request: `sync` answers with the result, `async` with a job id. */
export const PROCESS_MODES = ["sync", "async"] as const;
export type ProcessMode = (typeof PROCESS_MODES)[number];

/**
 * Above these sizes a request without an explicit mode runs as a background job. A PDF of 2 MiB is
 * dozens of pages of text: its provider call takes long enough (tens of seconds, retries included)
 * that proxies and clients time out. Text of 50 000 characters (half the field_extraction limit)
 * is about 12 500 input tokens: the same order of time.
 */
export const BACKGROUND_PDF_BYTES = 2 * 1024 * 1024;
export const BACKGROUND_TEXT_CHARS = 50_000;

/** What the size rule looks at: the decoded PDF's bytes, or the text's length. */
export type DocumentSize =
  | { kind: "pdf"; bytes: number }
  | { kind: "text"; chars: number }
  | { kind: "fields" };

/** The mode a request runs in: the caller's, when given; otherwise async above the documented sizes. */
export function processMode(requested: ProcessMode | undefined, size: DocumentSize): ProcessMode {
  if (requested) return requested;
  switch (size.kind) {
    case "pdf":
      return size.bytes > BACKGROUND_PDF_BYTES ? "async" : "sync";
    case "text":
      return size.chars > BACKGROUND_TEXT_CHARS ? "async" : "sync";
    case "fields":
      return "sync";
  }
}

/** Bytes of a base64 string once decoded (padding excluded), without decoding it. */
export function base64DecodedBytes(base64: string): number {
  const padding = base64.endsWith("==") ? 2 : base64.endsWith("=") ? 1 : 0;
  return Math.floor((base64.length * 3) / 4) - padding;
}
