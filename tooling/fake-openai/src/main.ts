import { startFakeOpenAI } from "./index";

/**
 * Standalone fake upstream for benchmarks and manual runs: PORT (default 8790), HOST (default 127.0.0.1).
 * Requests are counted, not recorded; behaviors can be changed with POST /__fake/behavior.
 */
const port = Number(process.env.PORT ?? 8790);
const host = process.env.HOST ?? "127.0.0.1";

const fake = await startFakeOpenAI({ port, host, record: false, control: true });
console.log(`fake-openai listening on ${fake.url}`);

const shutdown = () => {
  fake.close().then(
    () => process.exit(0),
    () => process.exit(1),
  );
};
process.once("SIGINT", shutdown);
process.once("SIGTERM", shutdown);
