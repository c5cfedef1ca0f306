import { createContext, type ReactNode, useContext, useEffect, useRef } from "react";

/**
 * The app's name after each screen's title in the browser tab ("Clients · WedSync"), so someone
 * with both apps open tells the tabs apart. The admin app provides "WedSync Admin".
 */
export const AppNameContext = createContext("WedSync");

/**
 * One screen: its heading (focused when the screen opens, so screen readers announce the new
 * page and keyboard users start from its top), an optional lead paragraph and actions, and the
 * document title.
 */
export function Page({
  title,
  lead,
  actions,
  children,
}: {
  title: string;
  lead?: ReactNode;
  actions?: ReactNode;
  children: ReactNode;
}) {
  const heading = useRef<HTMLHeadingElement>(null);
  const appName = useContext(AppNameContext);
  useEffect(() => {
    document.title = `${title} · ${appName}`;
    heading.current?.focus({ preventScroll: true });
  }, [title, appName]);
  return (
    <>
      <div className="page-head">
        <div>
          <h1 ref={heading} tabIndex={-1}>
            {title}
          </h1>
          {lead && <p className="muted lead">{lead}</p>}
        </div>
        {actions && <div className="page-actions">{actions}</div>}
      </div>
      {children}
    </>
  );
}

/** A screen's empty state: what is missing, and what to do about it. */
export function EmptyState({ title, children }: { title: string; children: ReactNode }) {
  return (
    <div className="empty">
      <p className="empty-title">{title}</p>
      <div className="muted">{children}</div>
    </div>
  );
}
