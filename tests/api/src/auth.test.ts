import type { RunningServer } from "@wedsync/api/server";
import { createWedsyncClient, createWedsyncSessionClient } from "@wedsync/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expectError } from "./harness/errors";
import { startTestServer } from "./harness/server";
import { createTenant, TEST_PASSWORD } from "./harness/tenant";

let server: RunningServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server?.close());

describe("sessions", () => {
  it("logs in with email and password and sets an httpOnly, SameSite=Lax cookie", async () => {
    const t = await createTenant(server);
    const res = await fetch(`${server.url}/trpc/auth.login`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ json: { email: t.emails.admin.toUpperCase(), password: TEST_PASSWORD } }),
    });
    expect(res.status).toBe(200);
    const cookie = res.headers.getSetCookie()[0] ?? "";
    expect(cookie).toMatch(/^wedsync_session=[A-Za-z0-9_-]{40,};/);
    expect(cookie).toContain("HttpOnly");
    expect(cookie).toContain("SameSite=Lax");
    expect(cookie).not.toContain("Secure"); // plain http here; Secure behind TLS
  });

  it("marks the cookie Secure behind TLS", async () => {
    const tlsServer = await startTestServer({ trustProxy: true });
    try {
      const t = await createTenant(tlsServer);
      const res = await fetch(`${tlsServer.url}/trpc/auth.login`, {
        method: "POST",
        headers: { "content-type": "application/json", "x-forwarded-proto": "https" },
        body: JSON.stringify({ json: { email: t.emails.admin, password: TEST_PASSWORD } }),
      });
      expect(res.headers.getSetCookie()[0]).toContain("Secure");
    } finally {
      await tlsServer.close();
    }
  });

  it("me describes the user and their organization; logout ends the session", async () => {
    const t = await createTenant(server);
    const jar = { cookie: "" };
    const client = createWedsyncSessionClient({ url: server.url, jar });
    await client.auth.login.mutate({ email: t.emails.member, password: TEST_PASSWORD });
    const me = await client.auth.me.query();
    expect(me.kind).toBe("user");
    if (me.kind !== "user") return;
    expect(me.user.email).toBe(t.emails.member);
    expect(me.currentOrganizationId).toBe(t.organizationId);
    expect(me.organizations).toEqual([expect.objectContaining({ id: t.organizationId, role: "member" })]);

    const stolen = jar.cookie;
    expect(stolen).toMatch(/^wedsync_session=/);
    await client.auth.logout.mutate();
    expect(jar.cookie).toBe("");
    // The old cookie no longer works either: the session row is gone.
    const replay = createWedsyncClient({ url: server.url, headers: { cookie: stolen } });
    await expectError(replay.auth.me.query(), "UNAUTHORIZED");
  });

  it("session answers null when nobody is signed in, and who is once someone is", async () => {
    const t = await createTenant(server);
    const anonymous = createWedsyncClient({ url: server.url });
    expect(await anonymous.auth.session.query()).toBeNull();
    const owner = await t.as("owner");
    expect(await owner.auth.session.query()).toMatchObject({
      user: { email: t.emails.owner, isPlatformStaff: false },
      currentOrganizationId: t.organizationId,
    });
    // An API key is not a signed-in person.
    expect(await (await t.apiKey("member")).client.auth.session.query()).toBeNull();
  });

  it("rejects a wrong password and an unknown email with the same message", async () => {
    const t = await createTenant(server);
    const jar = { cookie: "" };
    const anon = createWedsyncSessionClient({ url: server.url, jar });
    const wrong = await expectError(
      anon.auth.login.mutate({ email: t.emails.owner, password: "nope" }),
      "UNAUTHORIZED",
    );
    const unknown = await expectError(
      anon.auth.login.mutate({ email: `nobody-${t.slug}@x.test`, password: "nope" }),
      "UNAUTHORIZED",
    );
    expect(wrong.message).toBe(unknown.message);
    expect(jar.cookie).toBe("");
  });

  it("rate-limits login attempts per email and per IP", async () => {
    const limited = await startTestServer({ loginLimitPerEmail: 3, loginLimitPerIp: 5 });
    try {
      const t = await createTenant(limited);
      const anon = createWedsyncSessionClient({ url: limited.url });
      for (let i = 0; i < 3; i++) {
        await expectError(
          anon.auth.login.mutate({ email: t.emails.owner, password: "wrong" }),
          "UNAUTHORIZED",
        );
      }
      // Even the right password is refused once the email's budget is spent.
      const e = await expectError(
        anon.auth.login.mutate({ email: t.emails.owner, password: TEST_PASSWORD }),
        "TOO_MANY_REQUESTS",
      );
      expect(e.data?.details).toMatchObject({ limit: 3, remaining: 0 });
      const details = e.data?.details as { retryAfterSeconds: number } | null | undefined;
      expect(details?.retryAfterSeconds).toBeGreaterThan(0);
      // Every attempt counts against the IP (5): the 5th, for another email, still passes; the 6th does not.
      await expectError(anon.auth.login.mutate({ email: t.emails.admin, password: "wrong" }), "UNAUTHORIZED");
      await expectError(
        anon.auth.login.mutate({ email: t.emails.member, password: TEST_PASSWORD }),
        "TOO_MANY_REQUESTS",
      );
    } finally {
      await limited.close();
    }
  });
});

describe("API keys", () => {
  it("shows the secret once, stores it hashed, and authenticates with Bearer", async () => {
    const t = await createTenant(server);
    const owner = await t.as("owner");
    const created = await owner.apiKeys.create.mutate({
      name: "Reporting service",
      role: "member",
      defaultFeature: "field_extraction",
    });
    expect(created.secret).toMatch(/^wsk_[A-Za-z0-9_-]{8}_[A-Za-z0-9_-]{32}$/);
    expect(created.secret.startsWith(created.apiKey.prefix)).toBe(true);

    const listed = await owner.apiKeys.list.query();
    expect(listed).toHaveLength(1);
    expect(JSON.stringify(listed)).not.toContain(created.secret.slice(13));

    const service = createWedsyncClient({ url: server.url, apiKey: created.secret });
    const me = await service.auth.me.query();
    expect(me).toEqual({
      kind: "apiKey",
      apiKey: { id: created.apiKey.id, organizationId: t.organizationId, role: "member" },
    });
    const config = await service.platform.config.get.query();
    expect(config.organization.id).toBe(t.organizationId);

    const afterUse = await owner.apiKeys.list.query();
    expect(afterUse[0]?.lastUsedAt).toBeInstanceOf(Date);
  });

  it("a revoked key, a malformed key and an unknown key are all UNAUTHORIZED", async () => {
    const t = await createTenant(server);
    const { key, id, client } = await t.apiKey("admin");
    await client.platform.config.get.query();
    const owner = await t.as("owner");
    const revoked = await owner.apiKeys.revoke.mutate({ id });
    expect(revoked.revokedAt).toBeInstanceOf(Date);
    await expectError(client.platform.config.get.query(), "UNAUTHORIZED");
    await expectError(
      createWedsyncClient({ url: server.url, apiKey: "not-a-key" }).auth.me.query(),
      "UNAUTHORIZED",
    );
    const forged = `${key.slice(0, 13)}${"A".repeat(32)}`;
    await expectError(
      createWedsyncClient({ url: server.url, apiKey: forged }).auth.me.query(),
      "UNAUTHORIZED",
    );
  });

  it("members cannot create keys; an API key's role is the one chosen at creation", async () => {
    const t = await createTenant(server);
    const member = await t.as("member");
    await expectError(member.apiKeys.create.mutate({ name: "x" }), "FORBIDDEN");
    expect(await (await t.as("owner")).apiKeys.list.query()).toHaveLength(0);

    const { client: memberKey } = await t.apiKey("member");
    const before = await memberKey.platform.config.get.query();
    const feature = before.features[0]!;
    await expectError(
      memberKey.platform.config.update.mutate({
        featureType: feature.featureType,
        expectedVersion: feature.version,
        patch: { maxRequestsPerDay: 5 },
      }),
      "FORBIDDEN",
    );
    const { client: adminKey } = await t.apiKey("admin");
    const updated = await adminKey.platform.config.update.mutate({
      featureType: feature.featureType,
      expectedVersion: feature.version,
      patch: { maxRequestsPerDay: 5 },
    });
    expect(updated.config.maxRequestsPerDay).toBe(5);
  });
});
