import { TRPCError } from "@trpc/server";
import {
  type FetchCreateContextFnOptions,
  type FetchHandlerRequestOptions,
  fetchRequestHandler,
} from "@trpc/server/adapters/fetch";
import { getHTTPStatusCodeFromError } from "@trpc/server/http";
import { AppError } from "@wedsync/core";
import type { Context as HonoContext } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { retryAfterSecondsOf } from "./lib/app-errors";
import type { AppRouter } from "./root";
import { asTRPCError, type Context, trpcErrorJSON } from "./trpc";

type Env = { Variables: { requestId: string } };

type TrpcOptions = Omit<FetchHandlerRequestOptions<AppRouter>, "req" | "endpoint" | "createContext"> & {
  createContext: (opts: FetchCreateContextFnOptions, c: HonoContext<Env>) => Promise<Context>;
};

/**
 * /trpc: the request is checked against what the transport accepts (below), then handed to
 * tRPC's fetch adapter with its body already parsed, so a body is read and parsed once.
 */
export function serveTrpc(opts: TrpcOptions) {
  return async (c: HonoContext<Env>) => {
    const read = await readTrpcRequest(c);
    if (read instanceof Response) return read;
    const renamed = withRenamedRouters(read);
    const res = await fetchRequestHandler({
      ...opts,
      endpoint: "/trpc",
      req: renamed ?? read,
      createContext: (fetchOpts) => opts.createContext(fetchOpts, c),
    });
    if (renamed) res.headers.set("deprecation", "true");
    return res;
  };
}

/**
 * Top-level routers renamed, whose old paths keep working for one release (then go): `client.*`
 * became `clients.*` (it collided with `useUtils().client` in React). Only the HTTP paths are
 * kept — the typed client and AppRouter know the new names alone — and such answers carry
 * `Deprecation: true`.
 */
const RENAMED_ROUTERS: Record<string, string> = { client: "clients" };

function withRenamedRouters(req: Request): Request | null {
  const url = new URL(req.url);
  const prefix = "/trpc/";
  if (!url.pathname.startsWith(prefix)) return null;
  let renamed = false;
  const paths = url.pathname
    .slice(prefix.length)
    .split(/,|%2C/i)
    .map((path) => {
      const [head, ...rest] = path.split(".");
      const to = head === undefined ? undefined : RENAMED_ROUTERS[head];
      if (!to || rest.length === 0) return path;
      renamed = true;
      return [to, ...rest].join(".");
    });
  if (!renamed) return null;
  url.pathname = prefix + paths.join(",");
  return requestWith(req, { url: url.toString() });
}

/**
 * tRPC's answer to a request refused before tRPC runs: its status, its shape (trpc.ts), and for a
 * batch one error per call, so a batching client hands each call its error.
 */
export function trpcErrorResponse(c: HonoContext<Env>, err: AppError | TRPCError): Response {
  const error = err instanceof AppError ? asTRPCError(err) : err;
  const json = trpcErrorJSON(error, c.get("requestId"));
  const calls = batchSize(c);
  const retryAfter = error.cause instanceof AppError ? retryAfterSecondsOf(error.cause) : null;
  if (retryAfter !== null) c.header("retry-after", String(retryAfter));
  return c.json(
    calls === null ? json : Array.from({ length: calls }, () => json),
    getHTTPStatusCodeFromError(error) as ContentfulStatusCode,
  );
}

const WRAPPED = '{"json": …} (superjson), or {} for none';

/**
 * What /trpc accepts, refused here with the error that says what was expected rather than left
 * to tRPC, which reads an input only when a procedure takes one (so `{` logged out) and takes an
 * object without superjson's `json` key for no input at all (so filters were silently dropped):
 * - a body only as JSON (`Content-Type: application/json`): anything else is 415, as tRPC answers
 *   for most types, also multipart/form-data and application/octet-stream, which tRPC would hand
 *   to the procedures as they are;
 * - JSON that parses, in the body or the `input` query parameter; an empty body is no input;
 * - each call's input as superjson sends it, `{"json": …, "meta"?: …}`, or `{}` for none; a
 *   batch's keyed by each call's position.
 */
async function readTrpcRequest(c: HonoContext<Env>): Promise<Request | Response> {
  if (c.req.method === "HEAD") return c.req.raw;
  const batch = batchSize(c);
  if (c.req.method === "GET") {
    const raw = new URL(c.req.url).searchParams.get("input");
    // As tRPC reads it: an absent or empty parameter is no input.
    if (!raw) return c.req.raw;
    let input: unknown;
    try {
      input = JSON.parse(raw);
    } catch (err) {
      return trpcErrorResponse(c, notJSON("The input query parameter", err));
    }
    const problem = inputProblem(input, batch);
    return problem ? trpcErrorResponse(c, problem) : c.req.raw;
  }
  const type = c.req.header("content-type");
  if (!type?.startsWith("application/json")) {
    const message = type
      ? `Unsupported content-type "${type.split(";")[0]}": send application/json`
      : "Missing content-type: send application/json";
    return trpcErrorResponse(c, new TRPCError({ code: "UNSUPPORTED_MEDIA_TYPE", message }));
  }
  let text: string;
  try {
    text = await c.req.text();
  } catch (err) {
    if (c.req.raw.signal.aborted)
      return trpcErrorResponse(c, new AppError("CLIENT_CLOSED_REQUEST", "The request was cancelled"));
    throw err;
  }
  if (text.trim() === "") return withParsedBody(c.req.raw, undefined);
  let input: unknown;
  try {
    input = JSON.parse(text);
  } catch (err) {
    return trpcErrorResponse(c, notJSON("The request body", err));
  }
  const problem = inputProblem(input, batch);
  return problem ? trpcErrorResponse(c, problem) : withParsedBody(c.req.raw, input);
}

function inputProblem(input: unknown, batch: number | null): AppError | null {
  return batch === null ? callInputProblem(input, "Input") : batchInputProblem(input, batch);
}

function notJSON(what: string, err: unknown) {
  return new AppError("BAD_REQUEST", `${what} is not JSON: ${(err as Error).message}`);
}

/** Why one call's input is not superjson's `{"json": …, "meta"?: …}` (or `{}`), or null. */
function callInputProblem(input: unknown, name: string): AppError | null {
  if (isObject(input)) {
    const keys = Object.keys(input);
    if (keys.every((k) => k === "json" || k === "meta") && (!("meta" in input) || "json" in input))
      return null;
  }
  return new AppError("BAD_REQUEST", `${name} must be ${WRAPPED}`, {
    fieldErrors: [{ field: "(input)", message: `must be ${WRAPPED}` }],
  });
}

/** Why a batch's input is not `{"0": <call 0's input>, …}`, or null. */
function batchInputProblem(input: unknown, calls: number): AppError | null {
  const positions = calls === 1 ? '"0"' : `"0" to "${calls - 1}"`;
  const keyed = `keyed by each call's position (${positions}), each ${WRAPPED}`;
  if (!isObject(input)) {
    return new AppError("BAD_REQUEST", `A batch's input must be an object ${keyed}`, {
      fieldErrors: [{ field: "(input)", message: `must be an object ${keyed}` }],
    });
  }
  for (const key of Object.keys(input)) {
    if (!/^(0|[1-9]\d*)$/.test(key) || Number(key) >= calls) {
      return new AppError("BAD_REQUEST", `A batch's input must be ${keyed}; "${key}" is not a position`, {
        fieldErrors: [{ field: "(input)", message: `must be ${keyed}` }],
      });
    }
    const problem = callInputProblem(input[key], `Input "${key}" of the batch`);
    if (problem) return problem;
  }
  return null;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** The number of calls of a batch request (`?batch=1`, paths joined by commas), null for one call. */
function batchSize(c: HonoContext<Env>): number | null {
  if (c.req.query("batch") !== "1") return null;
  return c.req.path.slice("/trpc/".length).split(/,|%2C/i).length;
}

/** The request as tRPC's fetch adapter reads it, its JSON body already parsed. */
function withParsedBody(req: Request, body: unknown): Request {
  return requestWith(req, { json: () => Promise.resolve(body) });
}

/** `req` with some of its properties answered otherwise (a Request's body can be read only once: no copy). */
function requestWith(req: Request, overrides: Partial<Pick<Request, "url" | "json">>): Request {
  return new Proxy(req, {
    get(target, property) {
      if (Object.hasOwn(overrides, property)) return overrides[property as keyof typeof overrides];
      const value = Reflect.get(target, property, target);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
}
