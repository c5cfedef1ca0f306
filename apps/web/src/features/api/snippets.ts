import { buildTrpcRequest } from "./http";
import type { ReferenceProcedure } from "./words";

/** Where snippets read the key from: never a real key on screen. */
export const KEY_VARIABLE = "WEDSYNC_API_KEY";

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/** A value as a TypeScript literal: JSON, with keys unquoted where they are plain names. */
export function tsLiteral(value: unknown): string {
  return JSON.stringify(value, null, 2).replace(/^(\s*)"([^"]+)":/gm, (whole, indent: string, key: string) =>
    IDENTIFIER.test(key) ? `${indent}${key}:` : whole,
  );
}

/** POSIX shell single quotes: nothing inside is expanded. */
const shellQuote = (text: string) => `'${text.replaceAll("'", `'\\''`)}'`;

/** The typed client (@wedsync/client) calling one procedure. */
export function typedClientSnippet(
  p: Pick<ReferenceProcedure, "path" | "type" | "input">,
  input: unknown,
  origin: string,
) {
  const args = p.input === null ? "" : tsLiteral(input);
  const call =
    p.type === "subscription"
      ? `const subscription = wedsync.${p.path}.subscribe(${args ? `${args}, ` : ""}{
  onData: (event) => console.log(event.id, event.data),
  onError: (err) => console.error(err.data?.code, err.message),
});
// Later: subscription.unsubscribe();`
      : `const result = await wedsync.${p.path}.${p.type === "query" ? "query" : "mutate"}(${args});
console.log(result);`;
  return `import { createWedsyncClient } from "@wedsync/client";

const wedsync = createWedsyncClient({
  url: ${JSON.stringify(origin)},
  apiKey: process.env.${KEY_VARIABLE},
});

${call}
`;
}

/** curl, with the key from the environment and the input in superjson's envelope. */
export function curlSnippet(
  p: Pick<ReferenceProcedure, "path" | "type" | "input">,
  input: unknown,
  origin: string,
) {
  const auth = `-H "Authorization: Bearer $${KEY_VARIABLE}"`;
  if (p.type === "subscription") {
    const url = `${origin}/trpc/${p.path}?input=${encodeURIComponent(JSON.stringify({ json: input }))}`;
    return `# A live stream of Server-Sent Events: each event is one item; Ctrl-C to stop.
curl -sS -N ${shellQuote(url)} \\
  -H 'Accept: text/event-stream' \\
  ${auth}
`;
  }
  const req = buildTrpcRequest({
    origin,
    path: p.path,
    type: p.type,
    input: p.input === null ? undefined : input,
    auth: { kind: "session" },
  });
  if (req.method === "GET") return `curl -sS ${shellQuote(req.url)} \\\n  ${auth}\n`;
  return `curl -sS -X POST ${shellQuote(req.url)} \\
  ${auth} \\
  -H 'Content-Type: application/json' \\
  --data ${shellQuote(req.body ?? "")}
`;
}

const SAMPLE_TEXT = "Emma & Liam, 12 June 2027 at Kew Gardens, 120 guests";

/**
 * The OpenAI SDK pointed at /v1: the same admission, limits and usage records as clients.process.
 * The feature is the key's default unless x-wedsync-feature names one; x-wedsync-client names the
 * client (wedding) the request counts against.
 */
export function openAiSnippet(origin: string, opts: { featureType?: string; clientId?: string | null } = {}) {
  const headers = [
    opts.featureType ? `"x-wedsync-feature": ${JSON.stringify(opts.featureType)}` : null,
    opts.clientId ? `"x-wedsync-client": ${JSON.stringify(opts.clientId)}` : null,
  ].filter(Boolean);
  const options = headers.length > 0 ? `,\n  { headers: { ${headers.join(", ")} } },` : ",";
  return `import OpenAI from "openai";

const openai = new OpenAI({
  apiKey: process.env.${KEY_VARIABLE},
  baseURL: ${JSON.stringify(`${origin}/v1`)},
});

// The organization's configured model answers, whatever \`model\` says.
const completion = await openai.chat.completions.create(
  {
    model: "gpt-4o-mini",
    messages: [{ role: "user", content: ${JSON.stringify(SAMPLE_TEXT)} }],
  }${options}
);
console.log(completion.choices[0]?.message.content);
`;
}

/** curl against /v1/chat/completions. */
export function openAiCurlSnippet(
  origin: string,
  opts: { featureType?: string; clientId?: string | null } = {},
) {
  const body = JSON.stringify({ model: "gpt-4o-mini", messages: [{ role: "user", content: SAMPLE_TEXT }] });
  const extra = [
    opts.featureType ? `  -H ${shellQuote(`x-wedsync-feature: ${opts.featureType}`)} \\\n` : "",
    opts.clientId ? `  -H ${shellQuote(`x-wedsync-client: ${opts.clientId}`)} \\\n` : "",
  ].join("");
  return `curl -sS -X POST ${shellQuote(`${origin}/v1/chat/completions`)} \\
  -H "Authorization: Bearer $${KEY_VARIABLE}" \\
  -H 'Content-Type: application/json' \\
${extra}  --data ${shellQuote(body)}
`;
}
