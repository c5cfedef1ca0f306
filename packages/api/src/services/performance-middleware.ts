import type { Context, MiddlewareHandler } from "hono";
import { routePath } from "hono/route";
import type { Principal } from "../auth/principal";
import type { Services } from "./index";
import { observe, requestObservations } from "./request-observation";

/** Procedure calls recorded per batch: a hostile batch of thousands of names costs no more. */
const MAX_BATCH_PATHS = 50;

/** The organization a principal acts for by default (a procedure's own scope may name another). */
export function organizationOf(principal: Principal | null): string | null {
  if (!principal) return null;
  if (principal.kind === "apiKey") return principal.organizationId;
  return principal.sessionOrganizationId ?? principal.memberships[0]?.organizationId ?? null;
}

/**
 * Times every HTTP request and hands it to the performance monitor once answered: one entry per
 * tRPC procedure call ("trpc:<path>"; each call of a batch with its own status), else the method
 * and the route that answered ("POST /v1/chat/completions"). The tRPC context and the scope
 * middleware note the organization on the request's RequestObservation; with `databaseTiming`
 * the request runs inside an AsyncLocalStorage context holding it, so its queries are timed too.
 * Recording is in memory; writes happen later.
 */
export function trackResponses(
  services: Services,
  procedures: ReadonlySet<string>,
  opts: { databaseTiming: boolean },
): MiddlewareHandler {
  return async (c, next) => {
    const started = performance.now();
    const observation = observe(c.req.raw);
    let status = 500;
    try {
      if (opts.databaseTiming) await requestObservations.run(observation, next);
      else await next();
      status = c.res.status;
    } finally {
      const responseTime = performance.now() - started;
      const dbTime = observation.dbMs;
      const path = c.req.path;
      if (path.startsWith("/trpc/")) {
        for (const name of procedureNames(path)) {
          services.performance.trackAPIResponse({
            endpoint: procedures.has(name) ? `trpc:${name}` : "trpc:(unknown)",
            responseTime,
            dbTime,
            // A batch with mixed results answers 207; each call gets its own status.
            statusCode: observation.errorStatusesByPath.get(name)?.shift() ?? (status === 207 ? 200 : status),
            organizationId: observation.organizationByPath.get(name) ?? observation.organizationId,
          });
        }
      } else {
        const endpoint = routeOf(c, status);
        const track = (organizationId: string | null) =>
          services.performance.trackAPIResponse({
            endpoint,
            responseTime,
            dbTime,
            statusCode: status,
            organizationId,
          });
        // Only the OpenAI-compatible routes take an API key outside tRPC: elsewhere a key-shaped
        // header must not cost a lookup.
        const bearer = path.startsWith("/v1/")
          ? c.req.header("authorization")?.match(/^Bearer (\S+)$/)?.[1]
          : undefined;
        if (observation.organizationId || !bearer) track(observation.organizationId);
        // Those routes authenticate the key on their own; its organization is looked up after the
        // response (the key cache answers), never delaying it.
        else
          services.auth.resolveApiKey(bearer).then(
            (p) => track(organizationOf(p)),
            () => track(null),
          );
      }
    }
  };
}

function procedureNames(path: string): string[] {
  let names: string;
  try {
    names = decodeURIComponent(path.slice("/trpc/".length));
  } catch {
    return ["(unknown)"];
  }
  return names.split(",", MAX_BATCH_PATHS);
}

/** "GET /healthz", "GET /admin/*": the route pattern that answered, never the raw path (bounded label values). */
function routeOf(c: Context, status: number): string {
  const route = routePath(c);
  // Nothing but middleware matched: the not-found handler answered.
  if (status === 404 && (route === "*" || route === "/*" || route === ""))
    return `${c.req.method} (unmatched)`;
  return `${c.req.method} ${route || "(unmatched)"}`;
}
