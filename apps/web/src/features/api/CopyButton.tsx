import { type ReactNode, useState } from "react";
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
    <span className="api-copy">
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

/**
 * Preformatted text in a box that scrolls. Focusable, so keyboard users can scroll it; a section
 * with a name, so screen readers say what it holds.
 */
export function ScrollBox({
  label,
  labelledBy,
  className = "",
  children,
}: {
  label?: string;
  labelledBy?: string;
  className?: string;
  children: ReactNode;
}) {
  return (
    <section
      className={`api-scroll ${className}`}
      // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region must be reachable by keyboard (axe scrollable-region-focusable).
      tabIndex={0}
      aria-label={label}
      aria-labelledby={labelledBy}
    >
      <pre>{children}</pre>
    </section>
  );
}

/** Code to read and paste, with a copy button. */
export function CodeBlock({ code, label }: { code: string; label: string }) {
  return (
    <div className="api-code">
      <div className="api-code-head">
        <CopyButton text={code} label={`Copy ${label}`} visibleLabel="Copy" />
      </div>
      <ScrollBox label={label}>
        <code>{code}</code>
      </ScrollBox>
    </div>
  );
}
