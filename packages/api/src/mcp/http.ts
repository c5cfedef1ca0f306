/**
 * /mcp: the MCP server over Streamable HTTP, on the same Hono app as /trpc and /v1.
 *
 * Stateless: every POST gets a new McpServer and transport, knowing only that request's API key,
 * and nothing outlives the response (no Mcp-Session-Id). Every tool is one request and answer, so
 * a session would only add state that pins a client to one instance; without it any instance
 * behind the load balancer answers any call, a restart loses nothing, and a revoked key stops
 * working at the next call. Answers are plain JSON (no SSE stream): a tool call is short, and
 * there is nothing to push between calls, so GET (the server-to-client stream) is 405.
 */
import { WebStandardStreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js";
import { type AppErrorCode, PROCESS_BODY_LIMIT_BYTES } from "@wedsync/core";
import type { Hono, Context as HonoContext } from "hono";
import type { ApiKeyPrincipal } from "../auth/principal";
import { APP_ERRORS, callerErrorOf, retryAfterSecondsOf } from "../lib/app-errors";
import type { Services } from "../services";
import type { Context } from "../trpc";
import { createMcpServer } from "./server";

type Env = { Variables: { requestId: string } };

/** The request's procedure Context for a principal (app.ts: the same one /trpc builds). */
export type McpContextOf = (c: HonoContext<Env>, principal: ApiKeyPrincipal) => Context;

/** The SDK's code for errors of the transport itself (not a JSON-RPC method's). */
const TRANSPORT_ERROR = -32000;

export function mountMcp(app: Hono<Env>, services: Services, contextOf: McpContextOf) {
  app.all("/mcp", async (c) => {
    // An organization API key only: a session cookie is not looked at, so a page in a browser can
    // never make an assistant's calls with someone's session.
    const authorization = c.req.header("authorization");
    const key = authorization?.match(/^Bearer\s+(\S+)\s*$/i)?.[1];
    let principal: ApiKeyPrincipal | null = null;
    try {
      principal = key ? await services.auth.resolveApiKey(key) : null;
    } catch (err) {
      const known = callerErrorOf(err);
      if (!known) throw err;
      return transportError(c, known.code, known.message, retryAfterSecondsOf(known));
    }
    if (!principal) {
      c.header("www-authenticate", key ? 'Bearer error="invalid_token"' : "Bearer");
      return transportError(
        c,
        "UNAUTHORIZED",
        key
          ? "This API key is not valid (revoked or mistyped)"
          : "Send an organization API key: Authorization: Bearer <key>",
      );
    }
    if (c.req.method !== "POST") {
      c.header("allow", "POST");
      return c.json(
        {
          jsonrpc: "2.0",
          error: { code: TRANSPORT_ERROR, message: "Method not allowed: use POST" },
          id: null,
        },
        405,
      );
    }

    const server = createMcpServer({ ...contextOf(c, principal), surface: "mcp" });
    const transport = new WebStandardStreamableHTTPServerTransport({
      sessionIdGenerator: undefined,
      enableJsonResponse: true,
      // The same bound as clients.process: the largest PDF in base64 and its envelope.
      maxRequestBodySize: PROCESS_BODY_LIMIT_BYTES,
    });
    await server.connect(transport);
    // A client that disconnects cancels its call: closing the server aborts the tool's signal,
    // which the procedure gets (a provider call is abandoned and billed for what it consumed).
    const closeServer = () => void server.close();
    c.req.raw.signal.addEventListener("abort", closeServer, { once: true });
    try {
      return await transport.handleRequest(c.req.raw);
    } finally {
      c.req.raw.signal.removeEventListener("abort", closeServer);
      // The JSON answer is complete here: nothing of this request's server is kept.
      await server.close();
    }
  });
}

/** A refusal before MCP runs, as a JSON-RPC error whose message starts with the platform's code. */
function transportError(
  c: HonoContext<Env>,
  code: AppErrorCode,
  message: string,
  retryAfterSeconds: number | null = null,
) {
  if (retryAfterSeconds !== null) c.header("retry-after", String(retryAfterSeconds));
  const status = APP_ERRORS[code].httpStatus as 401 | 503;
  return c.json(
    {
      jsonrpc: "2.0",
      error: {
        code: TRANSPORT_ERROR,
        message: `${code}: ${message}`,
        data: { code, requestId: c.get("requestId") },
      },
      id: null,
    },
    status,
  );
}
