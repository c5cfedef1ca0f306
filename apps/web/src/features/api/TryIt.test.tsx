import { render, screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, describe, expect, it, vi } from "vitest";
import { FIXTURE } from "./fixture";
import { buildTrpcRequest, requestPreview } from "./http";
import { ResponseView } from "./ResponseView";
import { curlSnippet, typedClientSnippet } from "./snippets";
import { TryIt } from "./TryIt";
import type { ReferenceProcedure } from "./words";

const ORIGIN = "https://ai.example.com";
const ORG = "11111111-1111-4111-8111-111111111111";
const byPath = (path: string) =>
  FIXTURE.procedures.find((p) => p.path === path)! as ReferenceProcedure & { type: "query" | "mutation" };

const QUERY_PREVIEW = [
  `GET ${ORIGIN}/trpc/clients.list?input=%7B%22json%22%3A%7B%22organizationId%22%3A%22${ORG}%22%2C%22limit%22%3A1%7D%7D`,
  "Cookie: wedsync_session=… (your session, added by the browser)",
].join("\n");

const MUTATION_PREVIEW = [
  `POST ${ORIGIN}/trpc/platform.config.update`,
  "Authorization: Bearer wsk_test_123",
  "Content-Type: application/json",
  "",
  `{"json":{"organizationId":"${ORG}","featureType":"pdf_analysis","expectedVersion":1}}`,
].join("\n");

afterEach(() => vi.unstubAllGlobals());

describe("the request preview", () => {
  it("shows a query as GET with the encoded {json} envelope in ?input= and the session cookie", () => {
    const req = buildTrpcRequest({
      origin: ORIGIN,
      path: "clients.list",
      type: "query",
      input: { organizationId: ORG, limit: 1 },
      auth: { kind: "session" },
    });
    expect(requestPreview(req)).toBe(QUERY_PREVIEW);
    expect(req.body).toBeNull();
    // What the server reads back is exactly the input.
    expect(JSON.parse(new URL(req.url).searchParams.get("input")!)).toEqual({
      json: { organizationId: ORG, limit: 1 },
    });
  });

  it("shows a mutation as POST with the key, the content type and the {json} body", () => {
    const req = buildTrpcRequest({
      origin: ORIGIN,
      path: "platform.config.update",
      type: "mutation",
      input: { organizationId: ORG, featureType: "pdf_analysis", expectedVersion: 1 },
      auth: { kind: "apiKey", key: "wsk_test_123" },
    });
    expect(requestPreview(req)).toBe(MUTATION_PREVIEW);
    expect(req.cookie).toBe(false);
  });

  it("sends no input at all for a procedure that takes none", () => {
    const req = buildTrpcRequest({
      origin: ORIGIN,
      path: "auth.session",
      type: "query",
      input: undefined,
      auth: { kind: "session" },
    });
    expect(req.url).toBe(`${ORIGIN}/trpc/auth.session`);
  });
});

// Rendering React Aria forms in jsdom is slow on a busy machine.
describe("Try it", { timeout: 20_000 }, () => {
  it("previews the query before sending, and sends exactly that", async () => {
    const user = userEvent.setup();
    const fetchMock = vi.fn(
      async () =>
        new Response(JSON.stringify({ result: { data: { json: { clients: [] } } } }), {
          status: 200,
          headers: { "content-type": "application/json", "x-request-id": "req-1" },
        }),
    );
    vi.stubGlobal("fetch", fetchMock);
    render(
      <TryIt
        procedure={byPath("clients.list")}
        initialInput={{ organizationId: ORG, limit: 1 }}
        origin={ORIGIN}
      />,
    );
    expect(screen.getByTestId("request-preview").textContent).toBe(QUERY_PREVIEW);
    expect(fetchMock).not.toHaveBeenCalled();
    await user.click(screen.getByRole("button", { name: "Send request" }));
    await screen.findByText(/Status 200/);
    const [url, init] = fetchMock.mock.calls[0] as unknown as [string, RequestInit];
    expect(url).toBe(QUERY_PREVIEW.split("\n")[0]!.slice(4));
    expect(init).toMatchObject({ method: "GET", credentials: "same-origin" });
    expect(screen.getByText("x-request-id")).toBeTruthy();
    expect(screen.getByRole("region", { name: "Response body" }).textContent).toContain('"clients": []');
  });

  it("with a key: the mutation preview shows it, the request carries it and no cookie", async () => {
    const user = userEvent.setup();
    const fetchMock = vi.fn(async () => new Response('{"result":{"data":{"json":{}}}}', { status: 200 }));
    vi.stubGlobal("fetch", fetchMock);
    render(
      <TryIt
        procedure={byPath("platform.config.update")}
        initialInput={{ organizationId: ORG, featureType: "pdf_analysis", expectedVersion: 1 }}
        origin={ORIGIN}
      />,
    );
    await user.click(screen.getByRole("radio", { name: "An API key" }));
    // No key yet: nothing can be sent.
    expect(screen.getByRole("button", { name: "Send request" }).hasAttribute("disabled")).toBe(true);
    await user.click(screen.getByLabelText("API key"));
    await user.paste("wsk_test_123");
    expect(screen.getByTestId("request-preview").textContent).toBe(MUTATION_PREVIEW);
    await user.click(screen.getByRole("button", { name: "Send request" }));
    await screen.findByText(/Status 200/);
    const [, init] = fetchMock.mock.calls[0] as unknown as [string, RequestInit];
    expect(init).toMatchObject({
      method: "POST",
      credentials: "omit",
      body: MUTATION_PREVIEW.split("\n").at(-1),
    });
    expect(init.headers).toEqual([
      ["Authorization", "Bearer wsk_test_123"],
      ["Content-Type", "application/json"],
    ]);
  });

  it("refuses input that is not JSON before sending, naming the field", async () => {
    const user = userEvent.setup();
    const fetchMock = vi.fn();
    vi.stubGlobal("fetch", fetchMock);
    render(<TryIt procedure={byPath("clients.list")} initialInput={{}} origin={ORIGIN} />);
    const input = screen.getByLabelText("Input (JSON)");
    await user.clear(input);
    await user.paste("{ not json");
    expect(screen.getByText(/Input: not valid JSON/)).toBeTruthy();
    expect(screen.getByRole("button", { name: "Send request" }).hasAttribute("disabled")).toBe(true);
    expect(screen.queryByTestId("request-preview")).toBeNull();
  });
});

describe("an error answer", () => {
  const error = (code: string, status: number) => ({
    status,
    statusText: "",
    ms: 12,
    headers: [["x-request-id", "req-42"]] as Array<[string, string]>,
    body: {
      error: {
        json: {
          message: "Invalid input: clientId: Invalid UUID",
          code: -32600,
          data: {
            code,
            httpStatus: status,
            requestId: "req-42",
            fieldErrors: [{ field: "clientId", message: "Invalid UUID" }],
          },
        },
      },
    },
  });

  it("shows its code, the request id and what to do next", () => {
    render(<ResponseView response={error("BAD_REQUEST", 400)} auth="session" />);
    const alert = screen.getByRole("alert");
    expect(alert.textContent).toContain("BAD_REQUEST");
    expect(alert.textContent).toContain("Invalid input: clientId: Invalid UUID");
    expect(alert.textContent).toContain("Request id req-42");
    expect(alert.textContent).toContain("Check the highlighted values and try again.");
  });

  it("for a refused key, says to check or replace the key rather than to sign in", () => {
    render(<ResponseView response={error("UNAUTHORIZED", 401)} auth="apiKey" />);
    expect(screen.getByRole("alert").textContent).toContain("revoked");
    expect(screen.getByRole("alert").textContent).not.toContain("Sign in again");
  });
});

describe("snippets", () => {
  it("call the procedure with the typed client and with curl, key from the environment", () => {
    const p = byPath("clients.list");
    const typed = typedClientSnippet(p, { organizationId: ORG, limit: 1 }, ORIGIN);
    expect(typed).toContain(`url: "${ORIGIN}"`);
    expect(typed).toContain("apiKey: process.env.WEDSYNC_API_KEY");
    expect(typed).toContain(
      `await wedsync.clients.list.query({\n  organizationId: "${ORG}",\n  limit: 1\n})`,
    );
    const curl = curlSnippet(byPath("platform.config.update"), { featureType: "pdf_analysis" }, ORIGIN);
    expect(curl).toContain(`curl -sS -X POST '${ORIGIN}/trpc/platform.config.update'`);
    expect(curl).toContain(`-H "Authorization: Bearer $WEDSYNC_API_KEY"`);
    expect(curl).toContain(`--data '{"json":{"featureType":"pdf_analysis"}}'`);
    // A quote in the input cannot end the shell's quoting.
    expect(curlSnippet(byPath("platform.config.update"), { name: "it's" }, ORIGIN)).toContain(`it'\\''s`);
  });
});

describe("a subscription", () => {
  it("gets a subscribe snippet (it is shown, not tried)", () => {
    const typed = typedClientSnippet(byPath("clients.onConfigChange"), { clientId: "c" }, ORIGIN);
    expect(typed).toContain("wedsync.clients.onConfigChange.subscribe(");
    expect(typed).toContain("onData");
  });
});

// The response arrives asynchronously: make sure nothing is left pending between tests.
afterEach(async () => {
  await waitFor(() => undefined);
});
