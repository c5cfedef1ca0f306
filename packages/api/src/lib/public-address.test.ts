import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { fetch } from "undici";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isPublicAddress, privateUrlReason, publicOnlyAgent } from "./public-address";

describe("isPublicAddress", () => {
  it.each([
    ["8.8.8.8", true],
    ["151.101.1.69", true],
    ["2606:4700:4700::1111", true],
    ["127.0.0.1", false],
    ["10.1.2.3", false],
    ["172.16.0.1", false],
    ["192.168.1.1", false],
    ["169.254.169.254", false], // cloud metadata
    ["100.64.0.1", false], // carrier NAT
    ["0.0.0.0", false],
    ["224.0.0.1", false],
    ["::1", false],
    ["fd00::1", false],
    ["fe80::1", false],
    ["::ffff:192.168.0.1", false], // IPv4-mapped: judged as the IPv4 address
    ["::ffff:8.8.8.8", true],
    ["not an address", false],
  ])("%s → %s", (ip, expected) => {
    expect(isPublicAddress(ip)).toBe(expected);
  });
});

describe("privateUrlReason", () => {
  it.each([
    ["http://localhost:8080/hook", true],
    ["http://api.localhost/hook", true],
    ["http://127.0.0.1/hook", true],
    ["http://[::1]:9000/hook", true],
    ["http://169.254.169.254/latest/meta-data", true],
    ["https://hooks.example.com/wedsync", false],
    ["https://8.8.8.8/hook", false],
  ])("%s refused: %s", (url, refused) => {
    expect(privateUrlReason(url) !== null).toBe(refused);
  });
});

describe("publicOnlyAgent", () => {
  let hits = 0;
  const server = createServer((_req, res) => {
    hits += 1;
    res.end("ok");
  });
  let port = 0;
  beforeAll(async () => {
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  it("will not connect to a name that resolves to a loopback address (v4 or v6)", async () => {
    const plain = await fetch(`http://127.0.0.1:${port}/`);
    expect(plain.status).toBe(200);
    expect(hits).toBe(1);

    const agent = publicOnlyAgent();
    const refused = await fetch(`http://localhost:${port}/`, { dispatcher: agent }).then(
      () => null,
      (err: Error & { cause?: { code?: string } }) => err,
    );
    await agent.close();
    expect(refused?.cause?.code).toBe("EADDRNOTPUBLIC");
    expect(hits).toBe(1); // the server never saw the second request
  });
});
