import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openDatabase } from "@wedsync/api/database";
import { aiUsageLogs } from "@wedsync/core";
import { startFakeOpenAI } from "@wedsync/fake-openai";
import { eq } from "drizzle-orm";
import { expect, it } from "vitest";
import { startTestServer } from "./harness/server";
import { createTenant } from "./harness/tenant";

it("shutting down waits for admitted requests, so no usage row is left pending", async () => {
  const fake = await startFakeOpenAI();
  fake.setBehavior({ kind: "ok", delayMs: 400 });
  const onPostgres = process.env.TEST_DB === "postgres";
  const dataDir = join(mkdtempSync(join(tmpdir(), "wedsync-shutdown-")), "pglite");
  const server = await startTestServer({
    ...(onPostgres ? {} : { dataDir }),
    providers: { openai: { apiKey: "sk-test", baseURL: fake.url } },
  });
  try {
    const t = await createTenant(server);
    const { key } = await t.apiKey("member");
    const controller = new AbortController();
    const request = fetch(`${server.url}/v1/chat/completions`, {
      method: "POST",
      headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
      body: JSON.stringify({ messages: [{ role: "user", content: "hello" }] }),
      signal: controller.signal,
    }).catch(() => null);
    // Wait until the request is admitted and waiting on the slow upstream, then hang up and shut down.
    for (let i = 0; i < 100 && fake.requests.length === 0; i++) await new Promise((r) => setTimeout(r, 10));
    controller.abort();
    await request;
    await server.close();

    const db = await openDatabase(onPostgres ? { url: process.env.DATABASE_URL } : { dataDir });
    try {
      const rows = await db.db
        .select()
        .from(aiUsageLogs)
        .where(eq(aiUsageLogs.organizationId, t.organizationId));
      expect(rows).toHaveLength(1);
      expect(rows[0]!.status).not.toBe("pending");
    } finally {
      await db.close();
    }
  } finally {
    await fake.close();
  }
});
