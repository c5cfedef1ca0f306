import type { FirstPaint } from "@wedsync/api";
import superjson from "superjson";
import type { RouterContext } from "./clients";

/** The element the server writes the data into (packages/api/src/web/first-paint.ts). */
export const FIRST_PAINT_ELEMENT_ID = "wedsync-first-paint";

/**
 * Puts what the server sent with the page (who is signed in; under /o/<id>, that organization's
 * configuration and the throttles reaching it; on its configuration screen, the priced models and the change history's first
 * page) into the query cache, so the first screen draws without asking for it again.
 * Read once: the element is removed, and anything unreadable is ignored (the app then asks).
 */
export function seedFirstPaint(queries: RouterContext["queries"], doc: Document = document): boolean {
  const element = doc.getElementById(FIRST_PAINT_ELEMENT_ID);
  const text = element?.textContent;
  element?.remove();
  if (!text) return false;
  let first: FirstPaint;
  try {
    first = superjson.parse<FirstPaint>(text);
  } catch {
    return false;
  }
  if (first === null || typeof first !== "object" || !("session" in first)) return false;
  queries.auth.session.setData(undefined, first.session);
  const org = first.organizationConfig;
  if (org) queries.platform.config.get.setData({ organizationId: org.organizationId }, org.config);
  if (first.throttles) {
    queries.throttles.active.setData(
      { organizationId: first.throttles.organizationId },
      first.throttles.active,
    );
  }
  const screen = first.configScreen;
  if (screen) {
    const { organizationId, models, changeHistory } = screen;
    queries.platform.models.setData({ organizationId }, models);
    queries.platform.audit.list.setInfiniteData(
      { organizationId, limit: changeHistory.limit },
      { pages: [changeHistory.page], pageParams: [null] },
    );
  }
  return true;
}
