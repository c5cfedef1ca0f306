import type { RunningServer, ServerOptions } from "@wedsync/api/server";
import { type FakeOpenAI, type FakeOpenAIOptions, startFakeOpenAI } from "@wedsync/fake-openai";
import { startTestServer } from "./server";

type Resilience = Omit<NonNullable<ServerOptions["providers"]>, "openai">;

export interface OpenAIServer {
  server: RunningServer;
  fake: FakeOpenAI;
  close(): Promise<void>;
}

/** A test server whose OpenAI-compatible provider is a fake upstream (a real HTTP server) the test drives. */
export async function startOpenAIServer(
  resilience: Resilience,
  opts: { fake?: FakeOpenAIOptions } = {},
): Promise<OpenAIServer> {
  const fake = await startFakeOpenAI(opts.fake);
  const server = await startTestServer({
    providers: { ...resilience, openai: { apiKey: "sk-test", baseURL: fake.url } },
  });
  return {
    server,
    fake,
    close: async () => {
      await server.close();
      await fake.close();
    },
  };
}
