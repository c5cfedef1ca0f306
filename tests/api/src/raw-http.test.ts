/**
 * /trpc and /v1 spoken by hand, over real HTTP with fetch: what a caller without the typed client
 * sends by mistake is refused with the error that says what was expected, never run half-read.
 */
import { randomUUID } from "node:crypto";
import type { RunningServer } from "@wedsync/api/server";
import { createWedsyncSessionClient } from "@wedsync/client";
import { clients } from "@wedsync/core";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer } from "./harness/server";
import { createTenant, TEST_PASSWORD, type Tenant } from "./harness/tenant";

let server: RunningServer;
beforeAll(async () => {
  server = await startTestServer({ logLevel: process.env.DEBUG_LOG ?? "silent" });
});
afterAll(() => server?.close());

interface ErrorJSON {
  message: string;
  code: number;
  data: {
    code: string;
    httpStatus: number;
    path: string | null;
    requestId: string | null;
    fieldErrors: Array<{ field: string; message: string }>;
    details: unknown;
  };
}
type Envelope = { error: { json: ErrorJSON } } | { result: { data: { json: unknown } } };

/** The errors of a tRPC response (one, or each call's for a batch), checked against the response itself. */
async function errorsOf(res: Response, status: number, code: string): Promise<ErrorJSON[]> {
  const body = (await res.json()) as Envelope | Envelope[];
  expect(res.status, JSON.stringify(body)).toBe(status);
  const errors = (Array.isArray(body) ? body : [body]).map((e) => {
    if (!("error" in e)) throw new Error(`expected an error, got ${JSON.stringify(e)}`);
    return e.error.json;
  });
  for (const e of errors) {
    expect(e.data).toMatchObject({ code, httpStatus: status, requestId: res.headers.get("x-request-id") });
    expect(e.data.requestId).toMatch(/[0-9a-f-]{8,}/);
  }
  return errors;
}

async function dataOf<T>(res: Response): Promise<T> {
  const body = (await res.json()) as Envelope;
  expect(res.status, JSON.stringify(body)).toBe(200);
  if (!("result" in body)) throw new Error(`expected a result, got ${JSON.stringify(body)}`);
  return body.result.data.json as T;
}

/** GET /trpc/<path>, with `input` as the query parameter (left out when null). */
function query(path: string, input: string | null, headers: Record<string, string>) {
  const url = new URL(`${server.url}/trpc/${path}`);
  if (input !== null) url.searchParams.set("input", input);
  return fetch(url, { headers });
}

const post = (path: string, body: string | null, headers: Record<string, string>) =>
  fetch(`${server.url}/trpc/${path}`, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    ...(body !== null && { body }),
  });

/** A tenant with three clients, the second booked, and an admin API key's Authorization header. */
async function tenantWithKey(): Promise<{ t: Tenant; auth: Record<string, string> }> {
  const t = await createTenant(server, { clients: 3 });
  await server.services.db.update(clients).set({ status: "booked" }).where(eq(clients.id, t.clientIds[1]!));
  const { key } = await t.apiKey("admin");
  return { t, auth: { authorization: `Bearer ${key}` } };
}

/** A signed-in member's cookie, and a check that the session is still alive. */
async function session(t: Tenant) {
  const jar = { cookie: "" };
  await createWedsyncSessionClient({ url: server.url, jar }).auth.login.mutate({
    email: t.emails.member,
    password: TEST_PASSWORD,
  });
  const headers = { cookie: jar.cookie };
  const alive = async () =>
    (await dataOf<{ user: unknown } | null>(await query("auth.session", null, headers))) !== null;
  return { headers, alive };
}

type ClientPage = { clients: Array<{ id: string; status: string }>; nextCursor: string | null };

describe("inputs must be superjson's {json: …}", () => {
  it("a query input without the wrapper is BAD_REQUEST, not a run that ignores the filters", async () => {
    const { auth } = await tenantWithKey();
    const [e] = await errorsOf(
      await query("clients.list", JSON.stringify({ status: "booked", limit: 1 }), auth),
      400,
      "BAD_REQUEST",
    );
    expect(e!.message).toContain('{"json": …}');
    expect(e!.data.fieldErrors).toEqual([
      { field: "(input)", message: expect.stringContaining('{"json": …}') },
    ]);

    // Batched: each call's input wrapped, keyed by its position.
    const batched = await errorsOf(
      await query(
        "clients.list,clients.list?batch=1",
        JSON.stringify({ 0: { status: "booked" }, 1: {} }),
        auth,
      ),
      400,
      "BAD_REQUEST",
    );
    expect(batched).toHaveLength(2);
    expect(batched[0]!.message).toContain('{"json": …}');
    // A batch whose input is not keyed by position would leave every call without its input.
    const unkeyed = await errorsOf(
      await query("clients.list?batch=1", JSON.stringify({ json: { status: "booked" } }), auth),
      400,
      "BAD_REQUEST",
    );
    expect(unkeyed[0]!.message).toContain('"0"');
  });

  it("a mutation input without the wrapper is BAD_REQUEST, batched or not", async () => {
    const { t, auth } = await tenantWithKey();
    const other = randomUUID();
    const [e] = await errorsOf(
      await post("auth.switchOrganization", JSON.stringify({ organizationId: other }), auth),
      400,
      "BAD_REQUEST",
    );
    expect(e!.message).toContain('{"json": …}');
    await errorsOf(
      await post("auth.switchOrganization?batch=1", JSON.stringify({ 0: { organizationId: other } }), auth),
      400,
      "BAD_REQUEST",
    );
    // Wrapped, the input is read: another organization is not found, the key's own is switched to.
    await errorsOf(
      await post("auth.switchOrganization", JSON.stringify({ json: { organizationId: other } }), auth),
      404,
      "NOT_FOUND",
    );
    expect(
      await dataOf(
        await post(
          "auth.switchOrganization",
          JSON.stringify({ json: { organizationId: t.organizationId } }),
          auth,
        ),
      ),
    ).toEqual({ organizationId: t.organizationId });
  });

  it("the documented shapes work: {json: …} (with meta), {} or no input at all", async () => {
    const { t, auth } = await tenantWithKey();
    const booked = await dataOf<ClientPage>(
      await query("clients.list", JSON.stringify({ json: { status: "booked", limit: 1 } }), auth),
    );
    expect(booked.clients.map((c) => c.id)).toEqual([t.clientIds[1]]);
    const withMeta = await dataOf<ClientPage>(
      await query("clients.list", JSON.stringify({ json: { status: "booked" }, meta: { v: 1 } }), auth),
    );
    expect(withMeta.clients).toHaveLength(1);
    for (const input of [null, "{}"]) {
      expect((await dataOf<ClientPage>(await query("clients.list", input, auth))).clients).toHaveLength(3);
    }
    const [batchedAll, batchedBooked] = (await (
      await query(
        "clients.list,clients.list?batch=1",
        JSON.stringify({ 0: {}, 1: { json: { status: "booked" } } }),
        auth,
      )
    ).json()) as Array<{ result: { data: { json: ClientPage } } }>;
    expect(batchedAll!.result.data.json.clients).toHaveLength(3);
    expect(batchedBooked!.result.data.json.clients).toHaveLength(1);
    // A mutation without input: {} or an empty body.
    expect(await dataOf(await post("auth.switchOrganization", "{}", auth))).toEqual({
      organizationId: t.organizationId,
    });
    expect(await dataOf(await post("auth.switchOrganization", null, auth))).toEqual({
      organizationId: t.organizationId,
    });
  });

  it("clients.list and platform.audit.list take an optional object, as the reference says", async () => {
    const { auth } = await tenantWithKey();
    for (const input of [null, "{}", JSON.stringify({ json: {} })]) {
      expect((await dataOf<ClientPage>(await query("clients.list", input, auth))).clients).toHaveLength(3);
      expect(await dataOf(await query("platform.audit.list", input, auth))).toEqual({
        entries: [],
        nextCursor: null,
      });
    }
    const [e] = await errorsOf(
      await query("platform.audit.list", JSON.stringify({ json: { limit: 101 } }), auth),
      400,
      "BAD_REQUEST",
    );
    expect(e!.data.fieldErrors.map((f) => f.field)).toEqual(["limit"]);
  });
});

describe("the client router, renamed clients", () => {
  it("its old paths answer for one release, marked Deprecation: true, batched with new ones too", async () => {
    const { t, auth } = await tenantWithKey();
    const input = JSON.stringify({ json: { status: "booked" } });
    const old = await query("client.list", input, auth);
    expect(old.headers.get("deprecation")).toBe("true");
    expect((await dataOf<ClientPage>(old)).clients.map((c) => c.id)).toEqual([t.clientIds[1]]);
    const current = await query("clients.list", input, auth);
    expect(current.headers.get("deprecation")).toBeNull();
    expect((await dataOf<ClientPage>(current)).clients).toHaveLength(1);
    const mixed = (await (
      await query("client.list,clients.list?batch=1", JSON.stringify({ 0: {}, 1: {} }), auth)
    ).json()) as Array<{ result: { data: { json: ClientPage } } }>;
    expect(mixed.map((r) => r.result.data.json.clients.length)).toEqual([3, 3]);
    // A mutation by its old path, with the 16 MB body limit of clients.process.
    const processed = await post(
      "client.process",
      JSON.stringify({
        json: { clientId: t.clientIds[0], featureType: "field_extraction", input: { text: "Emma & Liam" } },
      }),
      auth,
    );
    expect(processed.headers.get("deprecation")).toBe("true");
    expect(await dataOf<{ usage: { requestId: string } }>(processed)).toMatchObject({
      usage: { requestId: expect.any(String) },
    });
  });
});

describe("malformed JSON is refused everywhere", () => {
  it("by a mutation that takes no input: the session is not logged out", async () => {
    const t = await createTenant(server);
    const { headers, alive } = await session(t);
    for (const path of ["auth.logout", "auth.logout?batch=1"]) {
      const [e] = await errorsOf(await post(path, "{", headers), 400, "BAD_REQUEST");
      expect(e!.message).toMatch(/^The request body is not JSON/);
      expect(e!.data.fieldErrors).toEqual([]);
    }
    expect(await alive()).toBe(true);
  });

  it("by a query that takes no input", async () => {
    const t = await createTenant(server);
    const { headers } = await session(t);
    const [e] = await errorsOf(await query("auth.me", "{", headers), 400, "BAD_REQUEST");
    expect(e!.message).toMatch(/^The input query parameter is not JSON/);
  });

  it("an input that is JSON but not an object is refused by a procedure without input too", async () => {
    const t = await createTenant(server);
    const { headers, alive } = await session(t);
    for (const body of ["[]", "1", '"x"', "null", '{"json": 1, "extra": true}']) {
      await errorsOf(await post("auth.logout", body, headers), 400, "BAD_REQUEST");
    }
    expect(await alive()).toBe(true);
    expect(await dataOf(await post("auth.logout", "{}", headers))).toEqual({ ok: true });
    expect(await alive()).toBe(false);
  });
});

describe("content types", () => {
  // fetch sets multipart's content type (with its boundary) itself, and none without a body.
  const bodies: Array<[string, Record<string, string>, () => RequestInit["body"]]> = [
    ["multipart/form-data", {}, formData],
    [
      "application/octet-stream",
      { "content-type": "application/octet-stream" },
      () => new Uint8Array([123, 125]),
    ],
    ["text/plain", { "content-type": "text/plain" }, () => "{}"],
    ["no content type", {}, () => undefined],
  ];
  it.each(bodies)(
    "%s is 415 UNSUPPORTED_MEDIA_TYPE in tRPC's shape, and nothing runs",
    async (_type, type, body) => {
      const t = await createTenant(server);
      const { headers, alive } = await session(t);
      const res = await fetch(`${server.url}/trpc/auth.logout`, {
        method: "POST",
        headers: { ...headers, ...type },
        body: body(),
      });
      const [e] = await errorsOf(res, 415, "UNSUPPORTED_MEDIA_TYPE");
      expect(e!.message).toContain("application/json");
      expect(e!.code).toBe(-32015);
      expect(e!.data.path).toBeNull();
      expect(await alive()).toBe(true);
    },
  );

  it("a batch refused before tRPC runs gets one error per call", async () => {
    const res = await fetch(`${server.url}/trpc/auth.logout,auth.logout?batch=1`, {
      method: "POST",
      body: formData(),
    });
    expect(await errorsOf(res, 415, "UNSUPPORTED_MEDIA_TYPE")).toHaveLength(2);
  });

  it("a body over the limit is 413 with tRPC's own JSON-RPC code for it, one error per call of a batch", async () => {
    const huge = new Uint8Array(3 * 1024 * 1024).fill(32);
    const send = (path: string) =>
      fetch(`${server.url}/trpc/${path}`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: huge,
      });
    const [e] = await errorsOf(await send("auth.login"), 413, "PAYLOAD_TOO_LARGE");
    expect(e!.code).toBe(-32013);
    expect(e!.data).toMatchObject({ path: null, fieldErrors: [], details: null });
    expect(
      await errorsOf(await send("auth.login,auth.logout?batch=1"), 413, "PAYLOAD_TOO_LARGE"),
    ).toHaveLength(2);
  });

  // (Over the limit, the server answers 413 while such a body is still being sent, which fetch reports as a failed request.)
  it("a chunked body (no Content-Length) under the limit is read as JSON like any other", async () => {
    const t = await createTenant(server);
    const chunked = (text: string) =>
      fetch(`${server.url}/trpc/auth.login`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: new Blob([text]).stream(),
        duplex: "half",
      } as RequestInit);
    await errorsOf(await chunked("{"), 400, "BAD_REQUEST");
    const signedIn = await chunked(
      JSON.stringify({ json: { email: t.emails.owner, password: TEST_PASSWORD } }),
    );
    expect(await dataOf(signedIn)).toMatchObject({ currentOrganizationId: t.organizationId });
  });
});

function formData() {
  const form = new FormData();
  form.set("json", "{}");
  return form;
}

describe("/v1 response headers", () => {
  it("x-wedsync-degraded is sent on streams and replays as on plain answers", async () => {
    const t = await createTenant(server);
    const { key } = await t.apiKey("member");
    const call = (stream: boolean, idempotencyKey: string) =>
      fetch(`${server.url}/v1/chat/completions`, {
        method: "POST",
        headers: {
          authorization: `Bearer ${key}`,
          "content-type": "application/json",
          "idempotency-key": idempotencyKey,
        },
        body: JSON.stringify({ messages: [{ role: "user", content: "Emma & Liam, 12 June 2027" }], stream }),
      });
    for (const stream of [false, true]) {
      const idempotencyKey = randomUUID();
      const first = await call(stream, idempotencyKey);
      await first.arrayBuffer();
      expect(first.status).toBe(200);
      expect(first.headers.get("x-wedsync-degraded")).toBe("false");
      const replay = await call(stream, idempotencyKey);
      await replay.arrayBuffer();
      expect(replay.headers.get("x-wedsync-replayed")).toBe("true");
      expect(replay.headers.get("x-wedsync-degraded")).toBe("false");
    }
  });
});
