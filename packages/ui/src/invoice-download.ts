import { useState } from "react";
import type { ApiError } from "./errors";
import { notify } from "./Notifications";
import { trpc } from "./trpc";

export type InvoiceFormat = "csv" | "json" | "html";

export const FORMAT_WORDS: Record<InvoiceFormat, string> = {
  csv: "CSV",
  json: "JSON",
  html: "Printable page",
};

/** Hand the browser a file to save, under the name the API chose ("GOLDEN-HOUR-2026-0001.csv"). */
export function saveFile(body: string, contentType: string, filename: string) {
  const url = URL.createObjectURL(new Blob([body], { type: contentType }));
  const a = document.createElement("a");
  a.href = url;
  a.download = filename;
  a.rel = "noopener";
  document.body.append(a);
  a.click();
  a.remove();
  // Revoked later: the download may still be reading it.
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

/**
 * Downloads of an issued invoice (billing.invoices.export): CSV and JSON are saved as files, the
 * printable HTML opens in a new tab to print from. The tab is opened in the click itself (a tab
 * opened after the request returns would be blocked as a pop-up) and filled when it arrives.
 */
export function useInvoiceExport(organizationId: string) {
  const utils = trpc.useUtils();
  const [busy, setBusy] = useState<InvoiceFormat | null>(null);
  const [failed, setFailed] = useState<{ error: ApiError; format: InvoiceFormat } | null>(null);

  const run = async (invoiceId: string, format: InvoiceFormat) => {
    const tab = format === "html" ? window.open("", "_blank") : null;
    setBusy(format);
    setFailed(null);
    try {
      const file = await utils.billing.invoices.export.fetch(
        { organizationId, invoiceId, format },
        { staleTime: Number.POSITIVE_INFINITY }, // issued invoices never change
      );
      if (format !== "html") {
        saveFile(file.body, file.contentType, file.filename);
        notify({ title: `Downloaded ${file.filename}`, tone: "success" });
        return;
      }
      const url = URL.createObjectURL(new Blob([file.body], { type: file.contentType }));
      if (tab) {
        tab.opener = null;
        tab.location.href = url;
        notify({ title: "The printable invoice opened in a new tab", description: "Print it from there." });
      } else {
        saveFile(file.body, file.contentType, file.filename);
        notify({
          title: `Downloaded ${file.filename}`,
          description: "Your browser blocked the new tab, so the printable page was saved instead.",
        });
      }
      setTimeout(() => URL.revokeObjectURL(url), 60_000);
    } catch (e) {
      tab?.close();
      setFailed({ error: e as ApiError, format });
    } finally {
      setBusy(null);
    }
  };
  return { run, busy, failed };
}
