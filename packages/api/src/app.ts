import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { getConnInfo } from "@hono/node-server/conninfo";
import { getHTTPStatusCodeFromError } from "@trpc/server/http";
import { AppError, PROCESS_BODY_LIMIT_BYTES } from "@wedsync/core";
import { type Context, Hono, type Next } from "hono";
import { bodyLimit } from "hono/body-limit";
import { getCookie } from "hono/cookie";
import { requestId } from "hono/request-id";
import { SESSION_COOKIE } from "./auth/cookies";
import type { Principal } from "./auth/principal";
import {
  appliedMigrationCount,
  DATABASE_RETRY_AFTER_SECONDS,
  MIGRATIONS_FOLDER,
  pingDatabase,
} from "./infra/database";
import { mountMcp } from "./mcp/http";
import { mountChatCompletions } from "./openai-compat/chat-completions";
import { openAIError } from "./openai-compat/errors";
import { isServiceAvailable } from "./providers/provider-health";
import { appRouter } from "./root";
import type { Services } from "./services";
import { organizationOf, trackResponses } from "./services/performance-middleware";
import { observationOf } from "./services/request-observation";
import { asTRPCError, retryAfterOfCalls, type Context as TrpcContext } from "./trpc";
import { serveTrpc, trpcErrorResponse } from "./trpc-http";
import { firstPaintElement, firstPaintFor } from "./web/first-paint";
import { mountSpa } from "./web/spa";

export interface AppOptions {
  trustProxy: boolean;
  /** Folders holding the built web apps; omitted ones are not served. */
  webDist?: string | undefined;
  adminDist?: string | undefined;
  /** Time each request's database queries (default true; costs an AsyncLocalStorage context per request). */
  databaseTiming?: boolean | undefined;
  /** Sent as `x-wedsync-instance` on /healthz: a supervisor checks its own process answered. */
  instanceId?: string | undefined;
}

type Env = { Variables: { requestId: string } };

const TRPC_BODY_LIMIT = 2 * 1024 * 1024;
const READY_TIMEOUT_MS = 1_000;
/** clients.process: the largest PDF in base64 and its envelope (core derives it from MAX_PDF_BYTES). */
const PROCESS_BODY_LIMIT = PROCESS_BODY_LIMIT_BYTES;
const OPENAI_BODY_LIMIT = 2 * 1024 * 1024;

/** The HTTP surface: /trpc, /healthz and the two web apps, on one port. */
export function createApp(services: Services, opts: AppOptions) {
  const app = new Hono<Env>();
  const expectedMigrations = countJournalEntries();

  app.use("*", requestId());
  // Response times for every route and procedure (the performance monitor; written off the request path).
  app.use(
    "*",
    trackResponses(services, new Set(Object.keys(appRouter._def.procedures)), {
      databaseTiming: opts.databaseTiming ?? true,
    }),
  );

  app.get("/healthz", async (c) => {
    if (opts.instanceId) c.header("x-wedsync-instance", opts.instanceId);
    try {
      const applied = await appliedMigrationCount(services.db);
      const ok = applied >= expectedMigrations;
      const providers = services.ai.checkServiceHealth();
      // An open breaker on the primary is "degraded" (the fallback answers), not down.
      const degraded = providers.some((p) => p.circuit !== "closed");
      return c.json(
        {
          status: !ok
            ? "migrations_pending"
            : !isServiceAvailable(providers)
              ? "unavailable"
              : degraded
                ? "degraded"
                : "ok",
          database: "reachable",
          migrations: { applied, expected: expectedMigrations },
          providers: providers.map((p) => ({
            name: p.name,
            role: p.role,
            circuit: p.circuit,
            consecutiveFailures: p.consecutiveFailures,
          })),
        },
        ok && isServiceAvailable(providers) ? 200 : 503,
      );
    } catch (err) {
      services.logger.error({ err, requestId: c.get("requestId") }, "health check failed");
      return c.json({ status: "error", database: "unreachable", requestId: c.get("requestId") }, 503);
    }
  });

  // Liveness: the event loop answers HTTP. Nothing outside the process is asked, so an outage of
  // the database or Redis never restarts a pod (readiness takes it out of the load balancer instead).
  app.get("/livez", (c) => c.json({ status: "ok" }));

  // Readiness: this instance can admit requests now, i.e. the database and the shared rate-limit
  // store both answer within a second. A load balancer stops sending it traffic while they do not.
  app.get("/readyz", async (c) => {
    const [database, limiter] = await Promise.all([
      pingDatabase(services.db, READY_TIMEOUT_MS).then(
        () => "reachable" as const,
        () => "unreachable" as const,
      ),
      services.tracker.pingLimiter(READY_TIMEOUT_MS).then(
        () => "reachable" as const,
        () => "unreachable" as const,
      ),
    ]);
    const ready = database === "reachable" && limiter === "reachable";
    if (!ready) c.header("retry-after", String(DATABASE_RETRY_AFTER_SECONDS));
    return c.json({ status: ready ? "ready" : "not_ready", database, limiter }, ready ? 200 : 503);
  });

  // Prometheus text format: cache hits and invalidations, change events, process figures.
  app.get("/metrics", async (c) => {
    const registry = services.metrics.registry;
    return c.body(await registry.metrics(), 200, { "content-type": registry.contentType });
  });

  // Bodies are refused from their Content-Length before being read: PROCESS_BODY_LIMIT for
  // clients.process (the largest PDF in base64, 16 MB), 2 MB for everything else.
  const smallBody = trpcBodyLimit(TRPC_BODY_LIMIT);
  const processBody = trpcBodyLimit(PROCESS_BODY_LIMIT);
  app.use("/trpc/*", (c, next) =>
    /\bclients?\.process\b/.test(c.req.path) ? processBody(c, next) : smallBody(c, next),
  );
  app.use(
    "/v1/*",
    limitBody(OPENAI_BODY_LIMIT, (c) =>
      openAIError(
        c,
        new AppError("PAYLOAD_TOO_LARGE", `Request body over ${OPENAI_BODY_LIMIT} bytes`),
        c.get("requestId"),
      ),
    ),
  );
  mountChatCompletions(app, services);
  mountMcp(app, services, (c, principal) => requestContext(c, principal, new Headers()));
  // Anything else under /v1 is not served here: say so in OpenAI's shape, never the web app.
  app.all("/v1/*", (c) =>
    openAIError(
      c,
      new AppError(
        "NOT_FOUND",
        `${c.req.method} ${c.req.path} is not served; only POST /v1/chat/completions is`,
      ),
      c.get("requestId"),
    ),
  );
  app.use(
    "/trpc/*",
    serveTrpc({
      router: appRouter,
      createContext: async (fetchOpts, c): Promise<TrpcContext> => {
        // tRPC builds its own Response, so the request id header is added here rather than by Hono.
        fetchOpts.resHeaders.set("x-request-id", c.get("requestId"));
        const principal = await authenticate(
          services,
          c.req.header("authorization"),
          getCookie(c, SESSION_COOKIE),
        ).catch((err: unknown) => {
          // Looking up the key or session needs the database: unreachable is a 503, not a 500.
          throw asTRPCError(err) ?? err;
        });
        const observation = observationOf(c.req.raw);
        if (observation) observation.organizationId = organizationOf(principal);
        return { ...requestContext(c, principal, fetchOpts.resHeaders), observation };
      },
      responseMeta: ({ data, errors, eagerGeneration }) => {
        const retryAfter = eagerGeneration ? null : retryAfterOfCalls(errors, data.length);
        return retryAfter === null ? {} : { headers: { "retry-after": String(retryAfter) } };
      },
      onError: ({ error, path, ctx }) => {
        if (path)
          (ctx as TrpcContext | undefined)?.observation?.procedureFailed(
            path,
            getHTTPStatusCodeFromError(error),
          );
        const requestId = (ctx as TrpcContext | undefined)?.requestId;
        if (error.code === "INTERNAL_SERVER_ERROR") {
          services.logger.error({ err: error.cause ?? error, path, requestId }, "procedure failed");
        } else if (error.code === "SERVICE_UNAVAILABLE") {
          // The platform's own trouble (limiter or provider down after retries): operators need the cause.
          services.logger.warn({ err: error.cause ?? error, path, requestId }, error.message);
        }
      },
    }),
  );

  if (opts.adminDist) mountSpa(app, "/admin", opts.adminDist);
  if (opts.webDist) {
    mountSpa(app, "", opts.webDist, {
      // Only the session cookie: a page is never opened with an API key.
      firstPaint: async (c, path) => {
        const cookie = getCookie(c, SESSION_COOKIE);
        const principal = cookie ? await services.auth.resolveSession(cookie).catch(() => null) : null;
        const first = await firstPaintFor(requestContext(c, principal, new Headers()), path);
        return first && firstPaintElement(first);
      },
    });
  }
  return app;

  /** What every procedure call of this HTTP request knows, whoever makes it. */
  function requestContext(c: Context<Env>, principal: Principal | null, resHeaders: Headers): TrpcContext {
    const forwardedProto = opts.trustProxy ? c.req.header("x-forwarded-proto") : undefined;
    return {
      requestId: c.get("requestId"),
      services,
      principal,
      clientIp: clientIpOf(c, opts.trustProxy),
      resHeaders,
      secureCookies: new URL(c.req.url).protocol === "https:" || forwardedProto === "https",
    };
  }
}

async function authenticate(
  services: Services,
  authorization: string | undefined,
  cookie: string | undefined,
): Promise<Principal | null> {
  if (authorization?.startsWith("Bearer ")) return services.auth.resolveApiKey(authorization.slice(7).trim());
  if (cookie) return services.auth.resolveSession(cookie);
  return null;
}

function clientIpOf(c: Parameters<typeof getConnInfo>[0], trustProxy: boolean): string {
  if (trustProxy) {
    const forwarded = c.req.header("x-forwarded-for")?.split(",")[0]?.trim();
    if (forwarded) return forwarded;
  }
  try {
    return getConnInfo(c).remote.address ?? "unknown";
  } catch {
    return "unknown";
  }
}

function countJournalEntries(): number {
  const journal = JSON.parse(readFileSync(join(MIGRATIONS_FOLDER, "meta", "_journal.json"), "utf8")) as {
    entries: unknown[];
  };
  return journal.entries.length;
}

export const DEFAULT_WEB_DIST = fileURLToPath(new URL("../../../apps/web/dist", import.meta.url));
export const DEFAULT_ADMIN_DIST = fileURLToPath(new URL("../../../apps/admin/dist", import.meta.url));

function trpcBodyLimit(maxSize: number) {
  return limitBody(maxSize, (c) =>
    trpcErrorResponse(c, new AppError("PAYLOAD_TOO_LARGE", `Request body over ${maxSize} bytes`)),
  );
}

/**
 * hono's bodyLimit, judging a body with a Content-Length from the header alone. bodyLimit looks
 * at the body as a web stream, which on Node builds a whole WHATWG Request per call (about 7% of
 * a /v1 call's CPU), where the handler would otherwise read the body straight from the socket.
 * Chunked bodies still go through it, counted as they stream.
 */
function limitBody(maxSize: number, onError: (c: Context<Env>) => Response | Promise<Response>) {
  const streamed = bodyLimit({ maxSize, onError });
  return async (c: Context<Env>, next: Next) => {
    const length = c.req.header("content-length");
    if (length === undefined || c.req.header("transfer-encoding") !== undefined) return streamed(c, next);
    if (Number(length) > maxSize) return onError(c);
    await next();
  };
}
