/**
 * reference.procedures: the API reference generated from the router. Every procedure once, with
 * the type and access the router gives it (checked against what the server really does), its
 * input's JSON Schema accepting the generated example, and that example accepted over real HTTP.
 */
import { appRouter } from "@wedsync/api/router";
import type { RunningServer } from "@wedsync/api/server";
import { createWedsyncClient, createWedsyncSessionClient, type RouterOutputs } from "@wedsync/client";
import { users } from "@wedsync/core";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { startTestServer } from "./harness/server";
import { createTenant, TEST_PASSWORD, type Tenant } from "./harness/tenant";

type ReferenceDocument = RouterOutputs["reference"]["procedures"];
type Procedure = ReferenceDocument["procedures"][number];
type Headers = Record<string, string>;

/** The generator's placeholder for an id it cannot know (generated examples use it for every uuid). */
const PLACEHOLDER_UUID = "00000000-0000-4000-8000-000000000000";

let server: RunningServer;
let doc: ReferenceDocument;
beforeAll(async () => {
  server = await startTestServer();
  // Anyone may read it: no credentials.
  doc = await createWedsyncClient({ url: server.url }).reference.procedures.query();
});
afterAll(() => server?.close());

const routerProcedures = () =>
  Object.entries(
    appRouter._def.procedures as unknown as Record<
      string,
      { _def: { type: string; meta?: { access?: string } } }
    >,
  );

/** GET for a query, POST for a mutation, as the reference's "Try it" sends them; status and JSON body. */
async function call(p: Procedure, input: unknown, headers: Headers) {
  const envelope = JSON.stringify({ json: input });
  const res =
    p.type === "query"
      ? await fetch(
          `${server.url}/trpc/${p.path}${input === null ? "" : `?input=${encodeURIComponent(envelope)}`}`,
          { headers },
        )
      : await fetch(`${server.url}/trpc/${p.path}`, {
          method: "POST",
          headers: { ...headers, "content-type": "application/json" },
          body: input === null ? "" : envelope,
        });
  const body = (await res.json()) as { error?: { json: { data: { code: string } } } };
  return { status: res.status, code: body.error?.json.data.code ?? null, body };
}

/** The example with the tenant's real ids where it names the organization or a client, as the app does. */
function withRealIds(p: Procedure, t: Tenant): unknown {
  if (!p.example || typeof p.example !== "object") return p.example;
  const example = { ...(p.example as Record<string, unknown>) };
  const properties = (p.input?.properties ?? {}) as Record<string, unknown>;
  if ("organizationId" in properties) example.organizationId = t.organizationId;
  if ("clientId" in example) example.clientId = t.clientIds[0];
  return example;
}

async function sessionHeaders(email: string): Promise<Headers> {
  const jar = { cookie: "" };
  await createWedsyncSessionClient({ url: server.url, jar }).auth.login.mutate({
    email,
    password: TEST_PASSWORD,
  });
  return { cookie: jar.cookie };
}

/** A platform staff member's session (with the tenant owner's password). */
async function staffHeaders(t: Tenant): Promise<Headers> {
  const email = `staff-of-${t.slug}@wedsync.test`;
  const [owner] = await server.services.db.select().from(users).where(eq(users.email, t.emails.owner));
  await server.services.db
    .insert(users)
    .values({ email, name: "Staff", passwordHash: owner!.passwordHash, isPlatformStaff: true });
  return sessionHeaders(email);
}

/** The queries whose example can be sent as it is once the tenant's ids are in (no other entity's id needed). */
function sendableQueries(t: Tenant) {
  return doc.procedures.filter(
    (p) => p.type === "query" && !JSON.stringify(withRealIds(p, t)).includes(PLACEHOLDER_UUID),
  );
}

describe("reference.procedures", () => {
  it("lists every procedure of the router exactly once, with its type and access", () => {
    const paths = doc.procedures.map((p) => p.path);
    expect(new Set(paths).size).toBe(paths.length);
    const fromRouter = routerProcedures();
    expect([...paths].sort()).toEqual(fromRouter.map(([path]) => path).sort());
    for (const [path, procedure] of fromRouter) {
      const entry = doc.procedures.find((p) => p.path === path)!;
      expect({ path, type: entry.type, access: entry.access }).toEqual({
        path,
        type: procedure._def.type,
        access: procedure._def.meta?.access,
      });
    }
    expect(doc.groups).toEqual([...new Set(paths.map((p) => p.split(".")[0]))]);
    // Known builders, spot-checked: each access comes from the builder, not a list.
    const access = Object.fromEntries(doc.procedures.map((p) => [p.path, p.access]));
    expect(access).toMatchObject({
      "auth.login": "public",
      "auth.me": "authenticated",
      "auth.logout": "user",
      "admin.organizations.list": "staff",
      "clients.list": "member",
      "apiKeys.create": "orgAdmin",
      "platform.features.toggle": "bulkOrgAdmin",
      "reference.procedures": "public",
      "usage.rateLimits": "member",
    });
  });

  it("marks clients.* client-level, everything else platform-level, and staff-only procedures as such", () => {
    for (const p of doc.procedures) {
      expect({ path: p.path, level: p.level }).toEqual({
        path: p.path,
        level: p.path.startsWith("clients.") ? "client" : "platform",
      });
      expect(p.staffOnly).toBe(p.access === "staff");
      expect(p.group).toBe(p.path.split(".")[0]);
    }
    expect(doc.procedures.filter((p) => p.level === "client").length).toBeGreaterThanOrEqual(5);
    expect(doc.procedures.filter((p) => p.staffOnly).map((p) => p.path)).toEqual(
      expect.arrayContaining(["admin.organizations.list", "admin.providers.health", "performance.sla"]),
    );
  });

  it("gives each input a JSON Schema that accepts the generated example", () => {
    const withInput = doc.procedures.filter((p) => p.input !== null);
    expect(withInput.length).toBeGreaterThan(30);
    for (const p of withInput) {
      const schema = z.fromJSONSchema(p.input as never);
      const parsed = schema.safeParse(p.example);
      expect({ path: p.path, issues: parsed.error?.issues ?? [] }).toEqual({ path: p.path, issues: [] });
    }
    // The organization the builder adds is part of every organization-scoped input.
    const clientsList = doc.procedures.find((p) => p.path === "clients.list")!;
    expect(Object.keys(clientsList.input!.properties as object)).toEqual(
      expect.arrayContaining(["organizationId", "search", "status", "cursor", "limit"]),
    );
    const process = doc.procedures.find((p) => p.path === "clients.process")!;
    expect(process.example).toMatchObject({
      featureType: "field_extraction",
      input: { text: expect.any(String) },
    });
    // Procedures without input say so.
    expect(doc.procedures.find((p) => p.path === "auth.session")).toMatchObject({
      input: null,
      example: null,
    });
  });

  it("descriptions come from the procedures' meta", () => {
    const rateLimits = doc.procedures.find((p) => p.path === "usage.rateLimits")!;
    expect(rateLimits.description).toMatch(/rate limit/);
    const properties = doc.procedures.find((p) => p.path === "clients.list")!.input!.properties as Record<
      string,
      { description?: string }
    >;
    const organizationId = properties.organizationId!;
    expect(organizationId.description).toMatch(/Which organization/);
  });

  it("every query's example, with the organization's real ids, is accepted over real HTTP", async () => {
    const t = await createTenant(server, { clients: 2 });
    const owner = await sessionHeaders(t.emails.owner);
    const staff = await staffHeaders(t);
    const queries = sendableQueries(t);
    expect(queries.length).toBeGreaterThan(15);
    expect(queries.map((p) => p.path)).toEqual(
      expect.arrayContaining(["platform.config.get", "clients.list", "clients.config.get", "platform.usage"]),
    );
    for (const p of queries) {
      const res = await call(p, withRealIds(p, t), p.staffOnly ? staff : owner);
      expect({ path: p.path, status: res.status }, JSON.stringify(res.body).slice(0, 300)).toEqual({
        path: p.path,
        status: 200,
      });
    }
  });

  it("the access level each query claims is what the server enforces", async () => {
    const t = await createTenant(server, { clients: 1 });
    const member = await sessionHeaders(t.emails.member);
    const { key } = await t.apiKey("admin");
    const adminKey = { authorization: `Bearer ${key}` };
    for (const p of sendableQueries(t)) {
      const input = withRealIds(p, t);
      const anonymous = await call(p, input, {});
      const asMember = await call(p, input, member);
      const asKey = await call(p, input, adminKey);
      const seen = { path: p.path, anonymous: anonymous.code, member: asMember.code, adminKey: asKey.code };
      const expected = {
        public: { anonymous: null, member: null, adminKey: null },
        authenticated: { anonymous: "UNAUTHORIZED", member: null, adminKey: null },
        user: { anonymous: "UNAUTHORIZED", member: null, adminKey: "FORBIDDEN" },
        staff: { anonymous: "UNAUTHORIZED", member: "FORBIDDEN", adminKey: "FORBIDDEN" },
        member: { anonymous: "UNAUTHORIZED", member: null, adminKey: null },
        orgAdmin: { anonymous: "UNAUTHORIZED", member: "FORBIDDEN", adminKey: null },
        bulkOrgAdmin: { anonymous: "UNAUTHORIZED", member: "FORBIDDEN", adminKey: null },
      }[p.access];
      expect(seen).toEqual({ path: p.path, ...expected });
    }
  });
});
