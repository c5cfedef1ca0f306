import { useState } from "react";
import { Button } from "react-aria-components";

/** Copies `text`; says whether it worked next to the button (politely, for screen readers). */
export function CopyButton({
  text,
  label = "Copy",
  visibleLabel = label,
}: {
  text: string;
  /** The accessible name (what is copied); it starts with the visible words. */
  label?: string;
  visibleLabel?: string;
}) {
  const [state, setState] = useState<"copied" | "failed" | null>(null);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(text);
      setState("copied");
    } catch {
      setState("failed");
    }
  };
  return (
    <span className="copy-button">
      <Button
        className="secondary"
        onPress={() => void copy()}
        aria-label={label === visibleLabel ? undefined : label}
      >
        {visibleLabel}
      </Button>
      <span aria-live="polite" className="small muted">
        {state === "copied"
          ? "Copied."
          : state === "failed"
            ? "Could not copy: select the text and copy it."
            : ""}
      </span>
    </span>
  );
}
