import { Button } from "react-aria-components";
import { ApiErrorNotice } from "./ApiErrorNotice";
import { FORMAT_WORDS, type InvoiceFormat, useInvoiceExport } from "./invoice-download";

const FORMATS: InvoiceFormat[] = ["csv", "json", "html"];

/** CSV, JSON and printable-page buttons for one issued invoice, each named with its number. */
export function InvoiceDownloads({
  organizationId,
  invoiceId,
  number,
}: {
  organizationId: string;
  invoiceId: string;
  number: string;
}) {
  const { run, busy, failed } = useInvoiceExport(organizationId);
  return (
    <div className="invoice-downloads">
      <div className="button-row">
        {FORMATS.map((f) => (
          <Button
            key={f}
            className="secondary small-button"
            aria-label={
              f === "html" ? `Open ${number} as a printable page` : `Download ${number} as ${FORMAT_WORDS[f]}`
            }
            isDisabled={busy !== null}
            onPress={() => void run(invoiceId, f)}
          >
            {busy === f ? "Preparing…" : FORMAT_WORDS[f]}
          </Button>
        ))}
      </div>
      {failed && <ApiErrorNotice error={failed.error} onRetry={() => void run(invoiceId, failed.format)} />}
    </div>
  );
}
