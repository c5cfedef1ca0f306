/** The server's tools on top of the tRPC procedures: their arguments, summaries and errors. */
import type { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import type { RequestHandlerExtra } from "@modelcontextprotocol/sdk/shared/protocol.js";
import {
  CallToolRequestSchema,
  type CallToolResult,
  ErrorCode,
  McpError,
  type ServerNotification,
  type ServerRequest,
  type ToolAnnotations,
} from "@modelcontextprotocol/sdk/types.js";
import type { z } from "zod";
import { appRouter } from "../root";
import { type Context, createCallerFactory } from "../trpc";
import { toolError, toolFailureOf } from "./errors";
import { toolResult } from "./results";

const createCaller = createCallerFactory(appRouter);
export type Caller = ReturnType<typeof createCaller>;

/** What a tool is given to do its work. */
export interface ToolCall {
  caller: Caller;
  ctx: Context;
}

export interface ToolSpec<S extends z.ZodObject> {
  title: string;
  /** Written for the model: what the tool does, when to use it, what it costs. */
  description: string;
  input: S;
  annotations: Omit<ToolAnnotations, "title">;
  /** A procedure's input path as this tool's argument name (for field errors); default: unchanged. */
  fieldOf?: (path: string) => string;
  run(args: z.output<S>, call: ToolCall): Promise<{ result: Record<string, unknown>; summary: string }>;
}

type Extra = RequestHandlerExtra<ServerRequest, ServerNotification>;
type Handler = (args: unknown, extra: Extra) => Promise<CallToolResult>;

/** The tools of one server (one request's: see http.ts), acting with that request's Context. */
export class McpTools {
  private readonly handlers = new Map<string, Handler>();

  constructor(
    readonly server: McpServer,
    private readonly ctx: Context,
  ) {}

  /** A tool: its answer as structured JSON and a summary, any refusal as a tool error. */
  add<S extends z.ZodObject>(name: string, spec: ToolSpec<S>) {
    const ctx = this.ctx;
    const fieldOf = spec.fieldOf ?? ((path: string) => path);
    const handle: Handler = async (args, extra) => {
      try {
        const parsed = await spec.input.parseAsync(args);
        // The MCP request's signal: a client that cancels or disconnects cancels the procedure.
        const caller = createCaller(ctx, { signal: extra.signal });
        const { result, summary } = await spec.run(parsed, { caller, ctx });
        return toolResult(result, summary);
      } catch (err) {
        return toolError(toolFailureOf(err, ctx, fieldOf));
      }
    };
    // McpServer lists the tool (its JSON Schema from `input`); calls are answered by `answerCalls`.
    this.server.registerTool(
      name,
      {
        title: spec.title,
        description: spec.description,
        inputSchema: spec.input as z.ZodObject,
        annotations: { title: spec.title, ...spec.annotations },
      },
      (args: unknown, extra) => handle(args, extra),
    );
    this.handlers.set(name, handle);
  }

  /**
   * Answers tools/call itself, after every tool is added. McpServer's own handler validates the
   * arguments before the tool runs and reports a failure as "MCP error -32602: Input validation
   * error: …"; here arguments that fail the schema are a BAD_REQUEST like any other refusal, with
   * the platform's code first and fieldErrors naming each argument.
   */
  answerCalls() {
    this.server.server.setRequestHandler(CallToolRequestSchema, (request, extra) => {
      const handle = this.handlers.get(request.params.name);
      if (!handle) throw new McpError(ErrorCode.InvalidParams, `Tool ${request.params.name} not found`);
      return handle(request.params.arguments ?? {}, extra);
    });
  }
}
