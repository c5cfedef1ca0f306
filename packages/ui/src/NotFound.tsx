import type { ReactNode } from "react";
import { Page } from "./Page";

/**
 * A page that does not exist, as the content of a page (the app puts it in its <main>). `home`
 * is the app's own link back (each app has its own router); `reason` says why an address may
 * lead nowhere in that app.
 */
export function NotFound({
  what = "page",
  reason,
  home,
}: {
  what?: string;
  reason?: ReactNode;
  home: ReactNode;
}) {
  return (
    <Page title={`This ${what} does not exist`}>
      <p>{reason ?? `The address may be mistyped, or the ${what} may have been removed.`}</p>
      <p>{home}</p>
    </Page>
  );
}
