import { Link } from "@tanstack/react-router";
import { Page } from "@wedsync/ui/Page";
import { trpc } from "@wedsync/ui/trpc";
import { useOrg } from "../../lib/org";
import { ApiNav } from "./ApiNav";
import { RateLimitPanel } from "./RateLimitPanel";
import { Snippets } from "./Snippets";
import { curlSnippet, openAiCurlSnippet, openAiSnippet, typedClientSnippet } from "./snippets";

/** The API at a glance: live rate limits, and code to start calling it from another service. */
export function OverviewScreen() {
  const org = useOrg();
  const firstClient = trpc.clients.list.useQuery({ organizationId: org.id, limit: 1 });
  const clientId = firstClient.data?.clients[0]?.id ?? null;
  const origin = window.location.origin;
  const process = {
    clientId: clientId ?? "<client id>",
    featureType: "field_extraction",
    input: { text: "Emma & Liam, 12 June 2027 at Kew Gardens, 120 guests" },
  };
  const snippets = [
    {
      id: "typed",
      label: "Typed client",
      note: "From TypeScript: every procedure, typed, with @wedsync/client.",
      code: typedClientSnippet({ path: "clients.process", type: "mutation", input: {} }, process, origin),
    },
    {
      id: "openai",
      label: "OpenAI SDK",
      note: "Any OpenAI SDK against /v1: the same limits and usage records as clients.process.",
      code: openAiSnippet(origin, { featureType: "field_extraction", clientId }),
    },
    {
      id: "curl-v1",
      label: "curl (/v1)",
      code: openAiCurlSnippet(origin, { featureType: "field_extraction", clientId }),
    },
    {
      id: "curl-trpc",
      label: "curl (/trpc)",
      note: 'Any procedure over plain HTTP: inputs in superjson\'s {"json": …} envelope.',
      code: curlSnippet({ path: "platform.config.get", type: "query", input: {} }, {}, origin),
    },
  ];
  return (
    <Page
      title="API & keys"
      lead="Call WedSync AI from your own services: with the typed client, any OpenAI SDK, or plain HTTP."
    >
      <ApiNav />
      <RateLimitPanel />
      <section className="panel" aria-labelledby="api-quick-start">
        <h2 id="api-quick-start">Connect from your code</h2>
        <p>
          {org.canAdmin ? (
            <>
              <Link to="/o/$orgId/api/keys" params={{ orgId: org.id }}>
                Create an API key
              </Link>{" "}
              and put it in <code>WEDSYNC_API_KEY</code>, then paste one of these.
            </>
          ) : (
            <>
              Ask an owner or admin for an API key, put it in <code>WEDSYNC_API_KEY</code>, then paste one of
              these.
            </>
          )}{" "}
          Every procedure, with its input and a way to try it:{" "}
          <Link to="/o/$orgId/api/reference" params={{ orgId: org.id }}>
            the API reference
          </Link>
          .
        </p>
        <Snippets snippets={snippets} label="Ways to call the API" />
      </section>
    </Page>
  );
}
