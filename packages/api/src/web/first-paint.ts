/**
 * First-paint data: what every screen of the supplier app asks first (who is signed in and, under
 * /o/<organization>, that organization's configuration and throttles; on its configuration screen,
 * that screen's own queries), computed while the HTML is served and
 * written into it, so a cold load does not wait for the entry bundle to run and then make two
 * round trips in sequence before it can draw anything. The same procedures as over HTTP (through
 * a caller), so the same authorization: a stranger's organization is simply left out.
 */
import { CHANGE_HISTORY_PAGE } from "@wedsync/core";
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
  /** The throttles reaching that organization now: the banner every one of its screens shows. */
  throttles?: {
    organizationId: string;
    active: Awaited<ReturnType<Caller["throttles"]["active"]>>;
  };
  /**
   * The configuration screen's own queries (owners, admins and staff; a member's screen asks for
   * neither): the priced models and the first page of the change history.
   */
  configScreen?: {
    organizationId: string;
    models: Awaited<ReturnType<Caller["platform"]["models"]>>;
    changeHistory: { limit: number; page: Awaited<ReturnType<Caller["platform"]["audit"]["list"]>> };
  };
}

/** The id of the element holding the data (JSON in a non-executed script element). */
export const FIRST_PAINT_ELEMENT_ID = "wedsync-first-paint";

const ORGANIZATION_PATH = /^\/o\/([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})(\/[^?#]*)?$/i;
const CONFIG_SCREEN = /^\/config\/?$/;

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
  const match = ORGANIZATION_PATH.exec(path);
  const organizationId = match?.[1]?.toLowerCase();
  if (!session || !organizationId) return first;
  const screen = CONFIG_SCREEN.test(match?.[2] ?? "") ? configScreenOf(caller, organizationId) : undefined;
  const [config, throttles, configScreen] = await Promise.all([
    caller.platform.config.get({ organizationId }).catch(() => undefined),
    caller.throttles.active({ organizationId }).catch(() => undefined),
    screen,
  ]);
  if (!config) return first;
  first.organizationConfig = { organizationId, config };
  if (throttles) first.throttles = { organizationId, active: throttles };
  if (configScreen) first.configScreen = configScreen;
  return first;
}

/** Both or neither: a member (FORBIDDEN) or a failed query leaves the screen to ask as usual. */
async function configScreenOf(caller: Caller, organizationId: string): Promise<FirstPaint["configScreen"]> {
  const limit = CHANGE_HISTORY_PAGE;
  try {
    const [models, page] = await Promise.all([
      caller.platform.models({ organizationId }),
      caller.platform.audit.list({ organizationId, limit }),
    ]);
    return { organizationId, models, changeHistory: { limit, page } };
  } catch {
    return undefined;
  }
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
