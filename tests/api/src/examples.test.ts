/**
 * The runnable example service in tooling/examples (what another team copies to adopt
 * @wedsync/client), run as its own process against the real server with a real API key: it must
 * keep working as the API changes.
 */
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import type { RunningServer } from "@wedsync/api/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer } from "./harness/server";
import { createTenant } from "./harness/tenant";
import { usageRows } from "./harness/usage";

const EXAMPLES = fileURLToPath(new URL("../../../tooling/examples", import.meta.url));

let server: RunningServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server?.close();
});

/** Runs an example with the platform's address and a key; its exit code and output. */
function runExample(
  script: string,
  env: Record<string, string>,
): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", script], {
      cwd: EXAMPLES,
      env: { ...process.env, ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    child.stdout.on("data", (d) => {
      out += d;
    });
    child.stderr.on("data", (d) => {
      out += d;
    });
    child.on("error", reject);
    child.on("exit", (code) => resolve({ code, out }));
  });
}

describe("tooling/examples: enquiry intake", () => {
  it("files every wedding's enquiry once; run again, every answer is the stored one and nothing more is billed", async () => {
    const tenant = await createTenant(server, { clients: 3 });
    const { key } = await tenant.apiKey("member");
    const env = { WEDSYNC_URL: server.url, WEDSYNC_API_KEY: key };

    const first = await runExample("src/enquiry-intake.ts", env);
    expect(first.out).toContain("3 weddings in the organization");
    expect(first.out.match(/: filed \d+ fields/g)?.length).toBe(3);
    expect(first.out).toContain("weddingDate");
    // The couple's whole correspondence went through a background job and was followed to its end.
    expect(first.out).toMatch(/correspondence: job [0-9a-f-]{36} succeeded/);
    expect(first.code).toBe(0);
    const rows = await usageRows(server, tenant.organizationId);
    expect(rows.map((r) => r.status)).toEqual(["succeeded", "succeeded", "succeeded", "succeeded"]);

    const again = await runExample("src/enquiry-intake.ts", env);
    expect(again.code).toBe(0);
    expect(again.out.match(/\(already filed\)/g)?.length).toBe(3);
    expect(again.out).not.toMatch(/correspondence: job [0-9a-f-]{36} (failed|cancelled)/);
    expect(await usageRows(server, tenant.organizationId)).toHaveLength(4);
  });

  it("a revoked key: the service says so and exits 1", async () => {
    const tenant = await createTenant(server, { clients: 1 });
    const { key, id } = await tenant.apiKey("member");
    const owner = await tenant.as("owner");
    await owner.apiKeys.revoke.mutate({ id });
    const run = await runExample("src/enquiry-intake.ts", { WEDSYNC_URL: server.url, WEDSYNC_API_KEY: key });
    expect(run.code).toBe(1);
    expect(run.out).not.toContain("weddings in the organization");
  });

  it("no key: it says where to get one and exits 2", async () => {
    const run = await runExample("src/enquiry-intake.ts", { WEDSYNC_URL: server.url, WEDSYNC_API_KEY: "" });
    expect(run.code).toBe(2);
    expect(run.out).toContain("API & keys");
  });
});
