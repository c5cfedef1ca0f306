import { useEffect, useRef } from "react";
import { ProcedureBadges } from "./Badges";
import { CodeBlock } from "./CopyButton";
import { SchemaView } from "./SchemaView";
import { type Snippet, Snippets } from "./Snippets";
import { curlSnippet, openAiSnippet, typedClientSnippet } from "./snippets";
import { TryIt } from "./TryIt";
import { ACCESS_WORDS, LEVEL_WORDS, type ReferenceProcedure, TYPE_WORDS } from "./words";

/** The procedure /v1/chat/completions does the same as (an OpenAI SDK can call it instead). */
const OPENAI_EQUIVALENT = "clients.process";

function snippetsFor(p: ReferenceProcedure, input: unknown, origin: string): Snippet[] {
  const out: Snippet[] = [
    {
      id: "typed",
      label: "Typed client",
      code: typedClientSnippet(p, input, origin),
      note: "TypeScript, fully typed: @wedsync/client.",
    },
    { id: "curl", label: "curl", code: curlSnippet(p, input, origin) },
  ];
  if (p.path === OPENAI_EQUIVALENT) {
    const call = (input ?? {}) as { featureType?: string; clientId?: string };
    out.push({
      id: "openai",
      label: "OpenAI SDK",
      code: openAiSnippet(origin, { featureType: call.featureType, clientId: call.clientId }),
      note: "The same request through /v1/chat/completions, from any OpenAI SDK.",
    });
  }
  return out;
}

/** One procedure: what it is, who may call it, its input, an example, Try it and snippets. */
export function ProcedureDetail({
  procedure: p,
  example,
  origin,
}: {
  procedure: ReferenceProcedure;
  /** The example input with the organization's own ids. */
  example: unknown;
  origin: string;
}) {
  const heading = useRef<HTMLHeadingElement>(null);
  // A newly chosen procedure: keyboard and screen-reader users land on it.
  useEffect(() => {
    heading.current?.focus({ preventScroll: false });
  }, [p.path]);
  return (
    <article className="api-detail panel" aria-labelledby="api-detail-title">
      <h2 id="api-detail-title" ref={heading} tabIndex={-1}>
        <code>{p.path}</code>
      </h2>
      <ProcedureBadges procedure={p} />
      {p.description && <p>{p.description}</p>}
      <dl className="api-facts">
        <div>
          <dt>Kind</dt>
          <dd>{TYPE_WORDS[p.type]}</dd>
        </div>
        <div>
          <dt>Level</dt>
          <dd>
            {LEVEL_WORDS[p.level].short}: {LEVEL_WORDS[p.level].long}
          </dd>
        </div>
        <div>
          <dt>Who may call it</dt>
          <dd>{ACCESS_WORDS[p.access].long}</dd>
        </div>
      </dl>

      <h3>Input</h3>
      <SchemaView schema={p.input} path={p.path} />
      {p.input !== null && (
        <>
          <h3>Example input</h3>
          <CodeBlock code={JSON.stringify(example, null, 2)} label={`Example input of ${p.path}`} />
        </>
      )}

      <h3>Try it</h3>
      {p.type === "subscription" ? (
        <p className="muted">
          A subscription is a live stream of Server-Sent Events (GET /trpc/{p.path}), not a single answer, so
          it cannot be tried here. Use the typed client’s <code>subscribe</code> or <code>curl -N</code>{" "}
          below; after a dropped connection, send the last event’s id as <code>lastEventId</code> to resume.
        </p>
      ) : (
        <TryIt
          key={`${p.path}:${JSON.stringify(example)}`}
          procedure={p as ReferenceProcedure & { type: "query" | "mutation" }}
          initialInput={example}
          origin={origin}
        />
      )}

      <h3>Snippets</h3>
      <Snippets snippets={snippetsFor(p, example, origin)} label={`Ways to call ${p.path}`} />
    </article>
  );
}
