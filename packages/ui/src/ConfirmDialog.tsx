import type { ReactNode } from "react";
import { Button, Dialog, DialogTrigger, Heading, Modal, ModalOverlay } from "react-aria-components";

/**
 * A button that opens a modal confirmation: what will happen (children), Cancel, and the
 * confirming action. The dialog stays open while `onConfirm` runs and closes when it resolves;
 * if it throws, the dialog stays open so the caller's error (shown in children) can be read.
 */
export function ConfirmDialog({
  trigger,
  triggerClassName = "secondary",
  title,
  confirmLabel,
  destructive = false,
  pending = false,
  isDisabled = false,
  onConfirm,
  children,
}: {
  trigger: ReactNode;
  triggerClassName?: string;
  title: string;
  confirmLabel: string;
  destructive?: boolean;
  pending?: boolean;
  isDisabled?: boolean;
  onConfirm: () => Promise<unknown>;
  children: ReactNode;
}) {
  return (
    <DialogTrigger>
      <Button className={triggerClassName} isDisabled={isDisabled}>
        {trigger}
      </Button>
      <ConfirmModal
        title={title}
        confirmLabel={confirmLabel}
        destructive={destructive}
        pending={pending}
        onConfirm={onConfirm}
      >
        {children}
      </ConfirmModal>
    </DialogTrigger>
  );
}

/** The modal alone, for callers that open it themselves (isOpen / onOpenChange). */
export function ConfirmModal({
  title,
  confirmLabel,
  destructive = false,
  pending = false,
  onConfirm,
  children,
  isOpen,
  onOpenChange,
}: {
  title: string;
  confirmLabel: string;
  destructive?: boolean;
  pending?: boolean;
  onConfirm: () => Promise<unknown>;
  children: ReactNode;
  isOpen?: boolean;
  onOpenChange?: (open: boolean) => void;
}) {
  return (
    <ModalOverlay
      className="modal-overlay"
      isDismissable={!pending}
      isOpen={isOpen}
      onOpenChange={onOpenChange}
    >
      <Modal className="modal">
        <Dialog role="alertdialog" className="dialog">
          {({ close }) => (
            <>
              <Heading slot="title">{title}</Heading>
              <div className="dialog-body">{children}</div>
              <div className="dialog-actions">
                <Button className="secondary" onPress={close} isDisabled={pending}>
                  Cancel
                </Button>
                <Button
                  className={destructive ? "danger" : "primary"}
                  // Not isPending: its hidden progress announcer lingers and trips axe's role-img-alt.
                  isDisabled={pending}
                  onPress={async () => {
                    try {
                      await onConfirm();
                      close();
                    } catch {
                      // The caller shows its error inside the dialog; keep it open.
                    }
                  }}
                >
                  {pending ? "Working…" : confirmLabel}
                </Button>
              </div>
            </>
          )}
        </Dialog>
      </Modal>
    </ModalOverlay>
  );
}
