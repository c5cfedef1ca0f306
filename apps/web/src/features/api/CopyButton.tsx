import { CopyButton } from "@wedsync/ui/CopyButton";
import type { ReactNode } from "react";

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
