/**
 * The cluster helper counts an instance as up only when the process it started answers: a port
 * held by another server answering /healthz 200 (the instance dies with EADDRINUSE while the
 * stranger answers for it) must fail the start or move to another port, never pass as "up".
 * Needs PostgreSQL (DATABASE_URL) and Redis (REDIS_URL): without them the suite is skipped and
 * says why; with REQUIRE_REDIS=1 (CI) a missing REDIS_URL fails the run.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { type Cluster, INSTANCE_HEADER, InstanceStartError, startCluster } from "./index";

const databaseUrl = process.env.DATABASE_URL;
const redisUrl = process.env.REDIS_URL;
if (databaseUrl && !redisUrl && process.env.REQUIRE_REDIS === "1") {
  throw new Error("the cluster helper's tests need REDIS_URL (REQUIRE_REDIS=1)");
}
const skipReason = !databaseUrl
  ? "DATABASE_URL is not set (the instances need a PostgreSQL server)"
  : !redisUrl
    ? "REDIS_URL is not set (the instances share rate limits through Redis)"
    : null;
if (skipReason) console.warn(`skipping the cluster helper's tests: ${skipReason}`);

/** A plain HTTP server that is not WedSync, answering /healthz like a healthy instance would. */
async function startStranger(): Promise<{
  port: number;
  healthChecks: () => number;
  close(): Promise<void>;
}> {
  let checks = 0;
  const server: Server = createServer((req, res) => {
    if (req.url === "/healthz") checks++;
    res.writeHead(200, { "content-type": "application/json" });
    res.end(JSON.stringify({ status: "ok" }));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    port: (server.address() as AddressInfo).port,
    healthChecks: () => checks,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

describe.skipIf(skipReason !== null)(
  `startCluster: an instance is up only when its own process answers${skipReason ? ` (skipped: ${skipReason})` : ""}`,
  () => {
    const cleanups: Array<() => Promise<void>> = [];
    afterEach(async () => {
      for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
    });
    const base = () => ({ instances: 1, databaseUrl: databaseUrl!, redisUrl: redisUrl! });

    it("a port held by another server answering /healthz 200: startCluster rejects, naming the port, instead of reporting the stranger as the instance", async () => {
      const stranger = await startStranger();
      cleanups.push(stranger.close);
      const started = startCluster({ ...base(), ports: [stranger.port] });
      const err = await started.then(
        (cluster) => {
          cleanups.push(cluster.stop);
          return null;
        },
        (e: unknown) => e,
      );
      expect(err, "startCluster reported the instance up on a port another server holds").toBeInstanceOf(
        InstanceStartError,
      );
      const { message, addressInUse } = err as InstanceStartError;
      expect(addressInUse).toBe(true);
      expect(message).toContain(`port ${stranger.port} is already in use by another process`);
      expect(message).toContain("EADDRINUSE"); // the instance's own output, for the operator
      // The stranger was asked, and its healthy answer was not taken for the instance.
      expect(stranger.healthChecks()).toBeGreaterThan(0);
    }, 120_000);

    it("the helper's own port choice collides with another server: it moves to another port and the instance there is its own", async () => {
      const stranger = await startStranger();
      cleanups.push(stranger.close);
      const offered: number[] = [];
      let first = true;
      const realFreePort = () =>
        new Promise<number>((resolve) => {
          const s = createServer();
          s.listen(0, "127.0.0.1", () => {
            const { port } = s.address() as AddressInfo;
            s.close(() => resolve(port));
          });
        });
      const cluster: Cluster = await startCluster({
        ...base(),
        // The first free port the helper is given is the stranger's (as when another process
        // takes a port between the helper's check and the instance's listen).
        freePort: async () => {
          const port = first ? stranger.port : await realFreePort();
          first = false;
          offered.push(port);
          return port;
        },
      });
      cleanups.push(cluster.stop);
      const [instance] = cluster.instances;
      expect(offered[0]).toBe(stranger.port);
      expect(offered).toHaveLength(2);
      expect(instance!.port).toBe(offered[1]);
      expect(instance!.port).not.toBe(stranger.port);
      const res = await fetch(`${instance!.url}/healthz`);
      expect(res.status).toBe(200);
      expect(res.headers.get(INSTANCE_HEADER)).toBe(instance!.id);
      expect(instance!.process.exitCode).toBeNull();
    }, 180_000);

    it("an instance that exits before it is up fails the start at once, with its output", async () => {
      const startedAt = Date.now();
      const err = await startCluster({
        ...base(),
        env: { DATABASE_POOL_MAX: "0" }, // refused by the server's env validation
      }).then(
        (cluster) => {
          cleanups.push(cluster.stop);
          return null;
        },
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(InstanceStartError);
      expect((err as Error).message).toMatch(/api-1 \(pid \d+\) exited \(code 1\) before it was up/);
      expect((err as Error).message).toContain("DATABASE_POOL_MAX");
      expect(Date.now() - startedAt).toBeLessThan(30_000); // not the 120 s start timeout
    }, 60_000);
  },
);
