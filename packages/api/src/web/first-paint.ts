/**
 * First-paint data: what every screen of the supplier app asks first (who is signed in and, under
 * /o/<organization>, that organization's configuration), computed while the HTML is served and
 * written into it, so a cold load does not wait for the entry bundle to run and then make two
 * round trips in sequence before it can draw anything. The same procedures as over HTTP (through
 * a caller), so the same authorization: a stranger's organization is simply left out.
 */
import superjson from "superjson";
import { appRouter } from "../root";
import type { Context } from "../trpc";
import { createCallerFactory } from "../trpc";

const createCaller = createCallerFactory(appRouter);
type Caller = ReturnType<typeof createCaller>;

/** What the page starts with; the client puts each into its query cache under the same key. */
export interface FirstPaint {
  session: Awaited<ReturnType<Caller["auth"]["session"]>>;
  organizationConfig?: {
    organizationId: string;
    config: Awaited<ReturnType<Caller["platform"]["config"]["get"]>>;
  };
}

/** The id of the element holding the data (JSON in a non-executed script element). */
export const FIRST_PAINT_ELEMENT_ID = "wedsync-first-paint";

const ORGANIZATION_PATH = /^\/o\/([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})(?:\/|$)/i;

/**
 * The data for one page. Nothing here may fail the page: a database that does not answer, or an
 * organization the person may not open, leaves that part out and the app asks for it as usual.
 */
export async function firstPaintFor(ctx: Context, path: string): Promise<FirstPaint | undefined> {
  const caller = createCaller(ctx);
  let session: FirstPaint["session"];
  try {
    session = await caller.auth.session();
  } catch {
    return undefined;
  }
  const first: FirstPaint = { session };
  const organizationId = ORGANIZATION_PATH.exec(path)?.[1]?.toLowerCase();
  if (session && organizationId) {
    const config = await caller.platform.config.get({ organizationId }).catch(() => undefined);
    if (config) first.organizationConfig = { organizationId, config };
  }
  return first;
}

/**
 * The data as an HTML element. superjson keeps dates and the like; `<`, `>` and `&` are escaped
 * as JSON escapes so no value can close the element or open another.
 */
export function firstPaintElement(first: FirstPaint): string {
  const json = superjson
    .stringify(first)
    .replace(/</g, "\\u003c")
    .replace(/>/g, "\\u003e")
    .replace(/&/g, "\\u0026")
    .replace(/\u2028/g, "\\u2028")
    .replace(/\u2029/g, "\\u2029");
  return `<script type="application/json" id="${FIRST_PAINT_ELEMENT_ID}">${json}</script>`;
}
