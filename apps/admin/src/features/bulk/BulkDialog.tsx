import { ApiErrorNotice } from "@wedsync/ui/ApiErrorNotice";
import { type ApiError, errorCode } from "@wedsync/ui/errors";
import { Loading } from "@wedsync/ui/StatusViews";
import { type ReactNode, useState } from "react";
import { Button, Dialog, Heading, Modal, ModalOverlay } from "react-aria-components";
import { plural } from "../organizations/words";
import { BulkConflict, BulkPreviewList, type ConflictDetails, type Preview } from "./BulkPreview";
import type { BulkChange } from "./change-form";
import { changeTitle, productWords } from "./words";

export type ExpectedVersions = Preview["expectedVersions"];

/**
 * The confirmation of a change across organizations: the API's dry run (every organization and
 * every value that changes), then one all-or-nothing request at the preview's versions. A lost
 * race (CONFLICT) says what changed and offers to preview again; other refusals say why.
 */
export function BulkDialog({
  change,
  preview,
  previewError,
  onPreviewAgain,
  apply,
  onApplied,
  onClose,
}: {
  change: BulkChange;
  /** The dry run, undefined while it loads. */
  preview: Preview | undefined;
  previewError: ApiError | null;
  onPreviewAgain: () => void;
  /** Apply at these versions; rejects with the API's error. */
  apply: (expectedVersions: ExpectedVersions) => Promise<unknown>;
  onApplied: (preview: Preview) => void;
  onClose: () => void;
}) {
  const [failure, setFailure] = useState<ApiError | null>(null);
  const [pending, setPending] = useState(false);
  const title = changeTitle(change);
  const count = preview ? plural(preview.totals.organizations, "organization") : "the chosen organizations";
  const canApply =
    preview !== undefined && !failure && preview.totals.problems === 0 && preview.totals.changing > 0;
  const nothingToDo = preview !== undefined && preview.totals.problems === 0 && preview.totals.changing === 0;
  const conflict = errorCode(failure) === "CONFLICT";

  async function confirm() {
    if (!preview) return;
    setPending(true);
    setFailure(null);
    try {
      await apply(preview.expectedVersions);
      onApplied(preview);
    } catch (err) {
      setFailure(err as ApiError);
    } finally {
      setPending(false);
    }
  }

  let body: ReactNode;
  if (previewError) {
    body = (
      <>
        <p>The preview could not be made, so nothing was changed.</p>
        <ApiErrorNotice
          error={{ ...previewError, message: productWords(previewError.message) } as ApiError}
        />
      </>
    );
  } else if (!preview) {
    body = <Loading label="Working out what would change…" />;
  } else {
    body = (
      <>
        <BulkPreviewList preview={preview} />
        {failure &&
          (conflict ? (
            <BulkConflict
              details={(failure.data?.details ?? {}) as ConflictDetails}
              fields={Object.keys(change.patch)}
            />
          ) : (
            <ApiErrorNotice error={{ ...failure, message: productWords(failure.message) } as ApiError} />
          ))}
      </>
    );
  }

  return (
    <ModalOverlay
      className="modal-overlay"
      isOpen
      isDismissable={!pending}
      onOpenChange={(open) => {
        if (!open) onClose();
      }}
    >
      <Modal className="modal bulk-modal">
        <Dialog role="alertdialog" className="dialog">
          <Heading slot="title">
            {title} for {count}?
          </Heading>
          <div className="dialog-body">{body}</div>
          <div className="dialog-actions">
            <Button className="secondary" onPress={onClose} isDisabled={pending}>
              {nothingToDo ? "Close" : "Cancel"}
            </Button>
            {(failure || previewError) && (
              <Button
                className="secondary"
                isDisabled={pending}
                onPress={() => {
                  setFailure(null);
                  onPreviewAgain();
                }}
              >
                Preview again
              </Button>
            )}
            {!nothingToDo && (
              <Button className="primary" isDisabled={!canApply || pending} onPress={() => void confirm()}>
                {pending
                  ? "Applying…"
                  : preview
                    ? `Apply to ${plural(preview.totals.organizations, "organization")}`
                    : "Apply"}
              </Button>
            )}
          </div>
        </Dialog>
      </Modal>
    </ModalOverlay>
  );
}
