/**
 * The MCP server: the platform's tools for an assistant acting with one organization's API key.
 * Every tool calls the tRPC procedures in-process through a caller built on the request's Context
 * (the key's principal, `surface: "mcp"`), so roles, tenant checks, admission, caps, idempotency
 * and billing are the same code as over /trpc; a tool adds only its argument shape, its summary
 * and, where no procedure exists (estimate_cost), the services the procedures use.
 */
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import type { Context } from "../trpc";
import { registerBillingTools } from "./billing-tools";
import { registerConfigTools } from "./config-tools";
import { registerProcessingTools } from "./processing-tools";
import { McpTools } from "./tool";

export const MCP_SERVER_NAME = "wedsync-ai-platform";

const INSTRUCTIONS = `WedSync AI Platform for wedding suppliers. This connection acts for one organization, with its API key's role (admin or member).
Clients are weddings. Each AI feature (pdf_analysis, field_extraction, smart_mapping) has platform-level limits; a client inherits them and may override within them.
Start with get_platform_config and list_clients. process_document runs a feature for a client and is billed (heavy documents as a background job: follow it with get_job); estimate_cost says beforehand what it can cost at most.
A refused call is a tool error starting with the platform's code (FORBIDDEN, NOT_FOUND, TOO_MANY_REQUESTS, ...) and says why.`;

/** One server per HTTP request (stateless: see http.ts), knowing that request's principal. */
export function createMcpServer(ctx: Context): McpServer {
  const server = new McpServer(
    { name: MCP_SERVER_NAME, title: "WedSync AI Platform", version: "1.0.0" },
    { instructions: INSTRUCTIONS, capabilities: { tools: {} } },
  );
  const tools = new McpTools(server, ctx);
  registerConfigTools(tools);
  registerProcessingTools(tools);
  registerBillingTools(tools);
  tools.answerCalls();
  return server;
}
