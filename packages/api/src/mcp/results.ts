import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";

/**
 * A procedure's answer as plain JSON: tRPC's callers return what the procedure returned (dates,
 * and bigints in some details), which superjson carries over /trpc; MCP carries JSON only. Dates
 * become ISO strings, bigints decimal strings (micro-dollars stay exact).
 */
export function toJsonValue(value: unknown): unknown {
  if (value instanceof Date) return value.toISOString();
  if (typeof value === "bigint") return value.toString();
  if (Array.isArray(value)) return value.map(toJsonValue);
  if (value instanceof Map)
    return Object.fromEntries([...value].map(([k, v]) => [String(k), toJsonValue(v)]));
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(
      Object.entries(value)
        .filter(([, v]) => v !== undefined)
        .map(([k, v]) => [k, toJsonValue(v)]),
    );
  }
  return value;
}

/**
 * A tool's answer: the structured result, a one-line summary an assistant can quote, and the same
 * JSON as text for clients that do not read structured content (the MCP spec asks for both).
 */
export function toolResult(structured: Record<string, unknown>, summary: string): CallToolResult {
  const json = toJsonValue(structured) as Record<string, unknown>;
  return {
    structuredContent: json,
    content: [
      { type: "text", text: summary },
      { type: "text", text: JSON.stringify(json) },
    ],
  };
}
