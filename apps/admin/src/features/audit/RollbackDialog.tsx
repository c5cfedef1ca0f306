import { ApiErrorNotice } from "@wedsync/ui/ApiErrorNotice";
import { rollbackChanges } from "@wedsync/ui/audit";
import { DiffList } from "@wedsync/ui/DiffList";
import { type ApiError, errorCode } from "@wedsync/ui/errors";
import { notify } from "@wedsync/ui/Notifications";
import { Loading } from "@wedsync/ui/StatusViews";
import { type RouterOutputs, trpc } from "@wedsync/ui/trpc";
import { featureWords } from "@wedsync/ui/words";
import { useState } from "react";
import { Button, Dialog, Heading, Modal, ModalOverlay } from "react-aria-components";
import type { AdminAuditEntry } from "./words";

type PlatformFeature = RouterOutputs["platform"]["config"]["get"]["features"][number];

/** The stored configuration a CONFLICT answer carries (details.current), if any. */
function conflictCurrent(error: unknown): PlatformFeature | null {
  const details = (error as { data?: { details?: { current?: PlatformFeature } | null } }).data?.details;
  return details?.current ?? null;
}

/**
 * "Roll back to this version" for an organization's settings: reads what is stored now
 * (platform.config.get of the entry's organization), lists exactly what the rollback changes,
 * and on confirmation calls platform.config.rollback with the version it compared against. If
 * someone changes the settings meanwhile (CONFLICT), it says so, compares with their change and
 * asks again. Open while `entry` is set.
 */
export function RollbackDialog({ entry, onClose }: { entry: AdminAuditEntry | null; onClose: () => void }) {
  return (
    <ModalOverlay
      className="modal-overlay"
      isOpen={entry !== null}
      onOpenChange={(open) => {
        if (!open) onClose();
      }}
      isDismissable
    >
      <Modal className="modal">
        <Dialog role="alertdialog" className="dialog">
          {entry && <RollbackBody key={entry.id} entry={entry} onClose={onClose} />}
        </Dialog>
      </Modal>
    </ModalOverlay>
  );
}

function RollbackBody({ entry, onClose }: { entry: AdminAuditEntry; onClose: () => void }) {
  const utils = trpc.useUtils();
  const config = trpc.platform.config.get.useQuery({ organizationId: entry.organizationId });
  const rollback = trpc.platform.config.rollback.useMutation();
  const [error, setError] = useState<ApiError | null>(null);
  const [conflict, setConflict] = useState<number | null>(null);
  const feature = entry.featureType ? featureWords(entry.featureType) : "these settings";
  const org = entry.organizationName;
  const current = config.data?.features.find((f) => f.featureType === entry.featureType);
  const changes = current ? rollbackChanges(current, entry) : [];

  const confirm = async () => {
    if (!current) return;
    setError(null);
    try {
      const result = await rollback.mutateAsync({
        organizationId: entry.organizationId,
        auditId: entry.id,
        expectedVersion: current.version,
      });
      const lowered = result.cascadedClientConfigs;
      notify({
        title: `${feature} at ${org} rolled back`,
        description: `It has version ${entry.version}'s settings again, saved as version ${result.config.version}${
          lowered > 0 ? `; ${lowered} client override${lowered === 1 ? " was" : "s were"} lowered to fit` : ""
        }.`,
        tone: "success",
      });
      void utils.admin.audit.list.invalidate();
      void utils.platform.config.get.invalidate({ organizationId: entry.organizationId });
      onClose();
    } catch (e) {
      if (errorCode(e) === "CONFLICT") {
        // Compare with what is stored now: the version in the answer, or read again.
        const stored = conflictCurrent(e);
        if (stored && config.data) {
          utils.platform.config.get.setData(
            { organizationId: entry.organizationId },
            {
              ...config.data,
              features: config.data.features.map((f) => (f.featureType === stored.featureType ? stored : f)),
            },
          );
          setConflict(stored.version);
        } else {
          const fresh = await config.refetch();
          setConflict(fresh.data?.features.find((f) => f.featureType === entry.featureType)?.version ?? 0);
        }
      } else {
        setError(e as ApiError);
      }
    }
  };

  let body: React.ReactNode;
  if (config.isPending) body = <Loading label="Reading the settings stored now…" />;
  else if (config.error) body = <ApiErrorNotice error={config.error} onRetry={() => void config.refetch()} />;
  else if (!current)
    body = (
      <p>
        {feature} is no longer set up for {org}, so there is nothing to roll back.
      </p>
    );
  else if (changes.length === 0)
    body = (
      <p>
        The settings stored now (version {current.version}) already match version {entry.version}: there is
        nothing to roll back.
      </p>
    );
  else
    body = (
      <>
        <p>
          These settings of {feature} at {org} will change from what is stored now (version {current.version}
          ):
        </p>
        <DiffList lines={changes} label="What the rollback changes" />
        <p className="muted small">
          The rollback is recorded as a new change in your name, so it can itself be rolled back. Client
          overrides above the restored limits are lowered to fit.
        </p>
      </>
    );

  const canConfirm = Boolean(current) && changes.length > 0;
  return (
    <>
      <Heading slot="title">
        Roll {feature} at {org} back to version {entry.version}?
      </Heading>
      <div className="dialog-body">
        {conflict !== null && (
          <div className="notice notice-warning" role="status">
            Someone changed {feature} at {org} while this was open (it is now at version {conflict}). The list
            below compares with their change: check it, then roll back again.
          </div>
        )}
        {body}
        {error && <ApiErrorNotice error={error} />}
      </div>
      <div className="dialog-actions">
        <Button className="secondary" onPress={onClose} isDisabled={rollback.isPending}>
          {canConfirm ? "Cancel" : "Close"}
        </Button>
        {canConfirm && (
          <Button className="primary" isDisabled={rollback.isPending} onPress={() => void confirm()}>
            {rollback.isPending ? "Rolling back…" : "Roll back"}
          </Button>
        )}
      </div>
    </>
  );
}
