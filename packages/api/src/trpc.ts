import { getTRPCErrorShape, initTRPC, TRPCError, tracked, transformTRPCResponse } from "@trpc/server";
import { AppError, type FieldError, type MemberRole } from "@wedsync/core";
import superjson from "superjson";
import { ZodError, z } from "zod";
import {
  type ApiKeyPrincipal,
  type OrgScope,
  type Principal,
  ROLE_RANK,
  type UserPrincipal,
} from "./auth/principal";
import { callerErrorOf, retryAfterSecondsOf } from "./lib/app-errors";
import type { Services } from "./services";
import type { RequestObservation } from "./services/request-observation";

export interface Context {
  requestId: string;
  services: Services;
  principal: Principal | null;
  clientIp: string;
  /** Response headers (Set-Cookie) for procedures that manage the session. */
  resHeaders: Headers;
  secureCookies: boolean;
  /** The performance monitor's notes on this HTTP request (absent for in-process callers). */
  observation?: RequestObservation | undefined;
  /** The surface other than /trpc the call came in on (the MCP server): recorded as a usage row's channel. */
  surface?: "mcp" | undefined;
}

function fieldErrorsOf(cause: unknown): FieldError[] {
  if (cause instanceof ZodError) {
    return cause.issues.map((i) => ({
      field: i.path.map(String).join(".") || "(input)",
      message: i.message,
    }));
  }
  if (cause instanceof AppError) return cause.fieldErrors;
  return [];
}

/**
 * Who may call a procedure, set by the builder it is made from (never per procedure), so the API
 * reference (reference/) reads each procedure's access from the procedure itself:
 * - public: anyone; authenticated: a session or an API key; user: a signed-in person, not a key;
 * - staff: platform staff; member / orgAdmin: a member / an owner or admin of the organization
 *   (sessions and keys of that role; staff act as admin anywhere);
 * - bulkOrgAdmin: an owner or admin of one organization, or staff naming several.
 */
export const PROCEDURE_ACCESS = [
  "public",
  "authenticated",
  "user",
  "staff",
  "member",
  "orgAdmin",
  "bulkOrgAdmin",
] as const;
export type ProcedureAccess = (typeof PROCEDURE_ACCESS)[number];

export interface ProcedureMeta {
  access?: ProcedureAccess;
  /** What the procedure does, for the API reference: written here instead of a doc comment, once. */
  description?: string;
}

const t = initTRPC
  .context<Context>()
  .meta<ProcedureMeta>()
  .create({
    transformer: superjson,
    // Subscriptions (SSE): a ping keeps idle streams open through proxies and lets the client
    // notice a dead connection and reconnect with its lastEventId.
    sse: {
      ping: { enabled: true, intervalMs: 10_000 },
      client: { reconnectAfterInactivityMs: 25_000 },
    },
    errorFormatter({ shape, error, ctx }) {
      const fieldErrors = fieldErrorsOf(error.cause);
      const internal = error.code === "INTERNAL_SERVER_ERROR";
      const message = internal
        ? `Internal error; quote request id ${ctx?.requestId ?? "unknown"} when reporting it`
        : error.cause instanceof ZodError
          ? `Invalid input: ${fieldErrors.map((f) => `${f.field}: ${f.message}`).join("; ")}`
          : shape.message;
      const { stack: _stack, ...data } = shape.data;
      return {
        ...shape,
        message,
        data: {
          ...data,
          // null for an error that is not one call's (the request as a whole was refused).
          path: data.path ?? null,
          requestId: ctx?.requestId ?? null,
          fieldErrors,
          details: error.cause instanceof AppError ? (error.cause.details ?? null) : null,
        },
      };
    },
  });

/**
 * The tRPC transport's one mapping of a caller's error (a domain error, or an unreachable
 * database as SERVICE_UNAVAILABLE: lib/app-errors.ts): the TRPCError with its code, which gives
 * tRPC's HTTP status. Null for an unexpected failure, which tRPC answers as INTERNAL_SERVER_ERROR.
 */
export function asTRPCError(thrown: AppError): TRPCError;
export function asTRPCError(thrown: unknown): TRPCError | null;
export function asTRPCError(thrown: unknown): TRPCError | null {
  const err = callerErrorOf(thrown);
  return err && new TRPCError({ code: err.code, message: err.message, cause: err });
}

/** Domain errors thrown by procedures and their middleware, as tRPC errors (asTRPCError). */
const mapAppErrors = t.middleware(async ({ next }) => {
  const result = await next();
  if (!result.ok) {
    const mapped = asTRPCError(result.error.cause);
    if (mapped) throw mapped;
  }
  return result;
});

/**
 * An error raised before tRPC runs (a body over the limit, a request that is not tRPC's JSON) in
 * the shape tRPC gives its own: its JSON-RPC code, HTTP status, this error formatter and the
 * transformer. The formatter reads only the request id from the context.
 */
export function trpcErrorJSON(error: TRPCError, requestId: string) {
  const shape = getTRPCErrorShape({
    config: t._config,
    error,
    type: "unknown",
    path: undefined,
    input: undefined,
    ctx: { requestId } as Context,
  });
  return transformTRPCResponse(t._config, { error: shape });
}

/**
 * The Retry-After of a tRPC response, as /v1 sends it: the seconds each error's
 * `details.retryAfterSeconds` asks to wait (an idempotent retry whose first request is still
 * running, a rate limit, a daily cap, an unreachable database). Sent only when every call of the
 * response failed and each failure says when to retry; a batch's header is the longest of them,
 * after which all may be retried. A batch in which a call succeeded, or one failed without a
 * time, gets none.
 */
export function retryAfterOfCalls(errors: readonly TRPCError[], calls: number): number | null {
  if (errors.length === 0 || errors.length !== calls) return null;
  let longest = 0;
  for (const error of errors) {
    const seconds = error.cause instanceof AppError ? retryAfterSecondsOf(error.cause) : null;
    if (seconds === null) return null;
    longest = Math.max(longest, seconds);
  }
  return longest;
}

export const router = t.router;

/**
 * A subscription's output: each item tracked by its id (so a reconnecting client resumes after
 * it), and domain errors raised while streaming turned into tRPC errors with their real code —
 * otherwise they would reach the client as INTERNAL_SERVER_ERROR, which it retries forever.
 */
export async function* trackedStream<T>(items: AsyncIterable<{ id: string; data: T }>) {
  try {
    for await (const item of items) yield tracked(item.id, item.data);
  } catch (err) {
    throw asTRPCError(err) ?? err;
  }
}

/** What a subscriber sends back on reconnect: the id of the last event it received. */
export const lastEventIdInput = z.object({
  lastEventId: z
    .string()
    .regex(/^\d{1,18}$/, "must be an event id")
    .nullish(),
});
export const createCallerFactory = t.createCallerFactory;

export const publicProcedure = t.procedure.use(mapAppErrors).meta({ access: "public" });

export const authedProcedure = publicProcedure
  .use(({ ctx, next }) => {
    if (!ctx.principal)
      throw new AppError("UNAUTHORIZED", "Sign in or send an API key (Authorization: Bearer)");
    return next({ ctx: { principal: ctx.principal } });
  })
  .meta({ access: "authenticated" });

/** A signed-in person (not an API key): sessions, organization switching. */
export const userProcedure = authedProcedure
  .use(({ ctx, next }) => {
    if (ctx.principal.kind !== "user")
      throw new AppError("FORBIDDEN", "This needs a signed-in user, not an API key");
    return next({ ctx: { principal: ctx.principal as UserPrincipal } });
  })
  .meta({ access: "user" });

export const staffProcedure = userProcedure
  .use(({ ctx, next }) => {
    if (!ctx.principal.isPlatformStaff) throw new AppError("FORBIDDEN", "Platform staff only");
    return next();
  })
  .meta({ access: "staff" });

// Field descriptions are in the schema (not doc comments), so the API reference shows them.
const organizationIdInput = z
  .uuid()
  .optional()
  .describe("Which organization to act in; defaults to the session's (or the API key's) organization.");

const orgInput = z.object({ organizationId: organizationIdInput }).default({});

async function resolveScope(
  ctx: Context & { principal: Principal },
  requested: string | undefined,
): Promise<OrgScope> {
  const p = ctx.principal;
  if (p.kind === "apiKey") return scopeOfKey(p, requested);
  const target = requested ?? p.sessionOrganizationId ?? p.memberships[0]?.organizationId;
  if (!target) {
    throw new AppError("BAD_REQUEST", "organizationId is required", {
      fieldErrors: [
        { field: "organizationId", message: "Required: you are not a member of any organization" },
      ],
    });
  }
  const membership = p.memberships.find((m) => m.organizationId === target);
  if (membership) return { organizationId: target, role: membership.role, viaStaff: false };
  if (p.isPlatformStaff && (await ctx.services.organizations.exists(target))) {
    return { organizationId: target, role: "admin", viaStaff: true };
  }
  // Never reveal whether another organization exists.
  throw new AppError("NOT_FOUND", "Organization not found");
}

function scopeOfKey(p: ApiKeyPrincipal, requested: string | undefined): OrgScope {
  if (requested && requested !== p.organizationId) throw new AppError("NOT_FOUND", "Organization not found");
  return { organizationId: p.organizationId, role: p.role, viaStaff: false };
}

function requireRole(scope: OrgScope, minimum: MemberRole): OrgScope {
  if (ROLE_RANK[scope.role] < ROLE_RANK[minimum]) {
    throw new AppError(
      "FORBIDDEN",
      `This needs the ${minimum} role in the organization (you are ${scope.role})`,
    );
  }
  return scope;
}

function orgProcedure(minimum: "member" | "admin") {
  return authedProcedure
    .input(orgInput)
    .use(async ({ ctx, input, next, path }) => {
      const scope = requireRole(await resolveScope(ctx, input.organizationId), minimum);
      // Response times are counted against the organization the procedure acted in.
      ctx.observation?.organizationByPath.set(path, scope.organizationId);
      return next({ ctx: { scope } });
    })
    .meta({ access: minimum === "member" ? "member" : "orgAdmin" });
}

/** Any member of the organization (client-level configuration, reading). */
export const memberProcedure = orgProcedure("member");
/** Organization owners and admins (platform-level configuration, API keys); staff everywhere. */
export const orgAdminProcedure = orgProcedure("admin");

/**
 * Admin of one organization, or platform staff naming several with `organizationIds`.
 * Puts the organizations to act on in `ctx.targetOrganizationIds`.
 */
export const bulkOrgAdminProcedure = authedProcedure
  .input(
    z
      .object({
        organizationId: organizationIdInput,
        organizationIds: z
          .array(z.uuid())
          .min(1)
          .max(100)
          .optional()
          .describe("Platform staff only: act on all of these organizations at once."),
      })
      .default({}),
  )
  .use(async ({ ctx, input, next }) => {
    if (input.organizationIds) {
      const staff = ctx.principal.kind === "user" && ctx.principal.isPlatformStaff;
      if (!staff)
        throw new AppError("FORBIDDEN", "Only platform staff can act on several organizations at once");
      return next({ ctx: { targetOrganizationIds: [...new Set(input.organizationIds)] } });
    }
    const scope = requireRole(await resolveScope(ctx, input.organizationId), "admin");
    return next({ ctx: { targetOrganizationIds: [scope.organizationId] } });
  })
  .meta({ access: "bulkOrgAdmin" });
