import { useState } from "react";
import { Button, Input, Label, Text, TextField } from "react-aria-components";

/**
 * A webhook's signing secret, the one time it is shown: the API stores it to sign deliveries and
 * never returns it. Copy, a warning that it will not be shown again, and how a receiver checks a
 * delivery with it. The caller forgets the secret when `onDone` runs.
 */
export function SecretOnce({
  secret,
  webhookUrl,
  onDone,
}: {
  secret: string;
  webhookUrl: string;
  onDone: () => void;
}) {
  const [copied, setCopied] = useState<"yes" | "failed" | null>(null);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(secret);
      setCopied("yes");
    } catch {
      setCopied("failed");
    }
  };
  return (
    <div className="secret-once">
      <p className="notice notice-warning">
        <strong>Copy this secret now: it will not be shown again.</strong> Store it where your webhook
        receiver can read it. If it is lost, edit the rule and replace the secret.
      </p>
      <TextField className="field" value={secret} isReadOnly>
        <Label>Signing secret for {webhookUrl}</Label>
        <Input className="secret-value" onFocus={(e) => e.currentTarget.select()} />
        <Text slot="description" className="description">
          Each delivery carries an <code>x-wedsync-signature</code> header, <code>t=…,v1=…</code>: v1 is the
          HMAC-SHA256, with this secret, of the timestamp, a dot and the request body.
        </Text>
      </TextField>
      <div className="dialog-actions">
        <Button className="secondary" onPress={() => void copy()}>
          Copy secret
        </Button>
        <Button className="primary" onPress={onDone}>
          I have saved it
        </Button>
      </div>
      <p aria-live="polite" className="small">
        {copied === "yes"
          ? "Copied to the clipboard."
          : copied === "failed"
            ? "Could not copy: select the secret above and copy it with your keyboard."
            : ""}
      </p>
    </div>
  );
}
