import { CopyButton } from "@wedsync/ui/CopyButton";
import {
  Button,
  Dialog,
  Heading,
  Input,
  Label,
  Modal,
  ModalOverlay,
  Text,
  TextField,
} from "react-aria-components";

/**
 * A new key's secret, the one time anyone sees it: it is stored hashed and never returned again.
 * A modal that Escape or a click outside does not close, so it cannot be lost by accident;
 * "I have copied it" closes it and the caller forgets the secret.
 */
export function SecretOnce({ name, secret, onDone }: { name: string; secret: string; onDone: () => void }) {
  return (
    <ModalOverlay className="modal-overlay" isOpen isDismissable={false} isKeyboardDismissDisabled>
      <Modal className="modal">
        <Dialog className="dialog" aria-labelledby="api-secret-title">
          <Heading slot="title" id="api-secret-title">
            Your new key “{name}”
          </Heading>
          <p className="api-warning" role="note">
            <strong>Copy the key now: it will not be shown again.</strong> Store it where the service that
            uses it reads its secrets. If it is lost, revoke it and create another.
          </p>
          <TextField className="field" value={secret} isReadOnly>
            <Label>API key</Label>
            <Input className="api-secret" onFocus={(e) => e.currentTarget.select()} />
            <Text slot="description" className="description">
              Send it as <code>Authorization: Bearer …</code> to <code>/trpc</code> or <code>/v1</code>.
            </Text>
          </TextField>
          <div className="dialog-actions">
            <CopyButton text={secret} label="Copy key" />
            <Button className="primary" onPress={onDone}>
              I have copied it
            </Button>
          </div>
        </Dialog>
      </Modal>
    </ModalOverlay>
  );
}
