import {
  AppError,
  estimateTokens,
  fieldExtractionResultSchema,
  isOneToOne,
  smartMappingResultSchema,
} from "@wedsync/core";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { ChatChunk, ChatRequest, ProviderRequest } from "../types";
import { extractWeddingFields } from "./field-extraction";
import { ukFloristInquiry } from "./field-extraction.fixtures";
import { LocalRulesProvider, splitContent } from "./local-provider";
import { analyzeDocument } from "./pdf-analysis";

const provider = new LocalRulesProvider();
const live = () => new AbortController().signal;
const request = (input: ProviderRequest["input"]): ProviderRequest => ({
  input,
  model: "gpt-4o", // ignored: the engine has one model
  customInstructions: "Always answer in French.", // ignored: see LocalRulesProvider
  maxOutputTokens: 1000,
});
const chatRequest = (featureType: ChatRequest["featureType"], content: string): ChatRequest => ({
  messages: [
    { role: "system", content: "You are helpful." },
    { role: "user", content: "an earlier message" },
    { role: "assistant", content: "ok" },
    { role: "user", content },
  ],
  model: "local-rules",
  maxOutputTokens: 1000,
  featureType,
});

async function collect(chunks: AsyncIterable<ChatChunk>): Promise<ChatChunk[]> {
  const out: ChatChunk[] = [];
  for await (const c of chunks) out.push(c);
  return out;
}

async function rejection(p: Promise<unknown>): Promise<unknown> {
  return p.then(
    () => {
      throw new Error("expected a rejection");
    },
    (e: unknown) => e,
  );
}

describe("LocalRulesProvider.process", () => {
  it("extracts fields, reports the local model and estimated usage", async () => {
    const result = await provider.process(
      request({ featureType: "field_extraction", text: ukFloristInquiry }),
      live(),
    );
    expect(result.provider).toBe("local");
    expect(result.model).toBe("local-rules");
    expect(result.output).toEqual(extractWeddingFields(ukFloristInquiry));
    expect(result.usage).toEqual({
      inputTokens: estimateTokens(ukFloristInquiry),
      outputTokens: estimateTokens(JSON.stringify(result.output)),
      cachedInputTokens: 0,
    });
  });

  it("analyses a document's text and pages", async () => {
    const pages = ["INVOICE\nAmount due: £302.40", "Bill to: Emma Smith"];
    const text = pages.join("\n\n");
    const result = await provider.process(request({ featureType: "pdf_analysis", text, pages }), live());
    expect(result.output).toEqual(analyzeDocument(text, pages));
    expect(result.output).toMatchObject({ documentType: "invoice", pageCount: 2 });
  });

  it("maps fields, counting the mapping input as JSON", async () => {
    const input = {
      featureType: "smart_mapping" as const,
      sourceFields: [{ name: "bride_name", value: "Emma" }],
      targetLabels: ["Partner 1 name", "Notes"],
    };
    const result = await provider.process(request(input), live());
    expect(result.output).toEqual({
      mappings: [{ source: "bride_name", target: "Partner 1 name", confidence: 1 }],
      unmappedSources: [],
      unmappedTargets: ["Notes"],
    });
    const json = JSON.stringify({ sourceFields: input.sourceFields, targetLabels: input.targetLabels });
    expect(result.usage.inputTokens).toBe(estimateTokens(json));
  });

  it("rejects mapping input beyond the result's limits, naming the field", async () => {
    const input = {
      featureType: "smart_mapping" as const,
      sourceFields: [{ name: "x".repeat(201), value: null }],
      targetLabels: [],
    };
    const error = await rejection(provider.process(request(input), live()));
    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({
      code: "BAD_REQUEST",
      fieldErrors: [{ field: "input.sourceFields.0.name" }],
    });
  });

  it("throws if the signal is already aborted, without doing the work", async () => {
    const controller = new AbortController();
    controller.abort(new Error("client went away"));
    const error = await rejection(
      provider.process(request({ featureType: "field_extraction", text: "x" }), controller.signal),
    );
    expect((error as Error).message).toBe("client went away");
  });

  it("always returns schema-valid output for any field-extraction text", async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ maxLength: 200 }), async (text) => {
        const { output } = await provider.process(request({ featureType: "field_extraction", text }), live());
        expect(fieldExtractionResultSchema.safeParse(output).success).toBe(true);
      }),
      { numRuns: 100 },
    );
  });
});

describe("LocalRulesProvider.chat", () => {
  it("applies the feature to the last user message only", async () => {
    const result = await provider.chat(chatRequest("field_extraction", ukFloristInquiry), live());
    expect(result).toMatchObject({ finishReason: "stop", model: "local-rules", provider: "local" });
    expect(JSON.parse(result.content)).toEqual(extractWeddingFields(ukFloristInquiry));
    expect(result.usage).toEqual({
      inputTokens: estimateTokens(ukFloristInquiry),
      outputTokens: estimateTokens(result.content),
      cachedInputTokens: 0,
    });
  });

  it("treats the message as a document for pdf_analysis", async () => {
    const result = await provider.chat(
      chatRequest("pdf_analysis", "QUOTATION\nValid until 1 May 2027\nTotal £900"),
      live(),
    );
    expect(JSON.parse(result.content)).toMatchObject({ documentType: "quote", pageCount: 1 });
  });

  it("reads smart-mapping JSON from the message", async () => {
    const content = JSON.stringify({
      sourceFields: [{ name: "groom", value: null }],
      targetLabels: ["Partner 2 name"],
    });
    const result = await provider.chat(chatRequest("smart_mapping", content), live());
    const parsed = smartMappingResultSchema.parse(JSON.parse(result.content));
    expect(isOneToOne(parsed)).toBe(true);
    expect(parsed.mappings).toEqual([{ source: "groom", target: "Partner 2 name", confidence: 1 }]);
  });

  it.each([
    ["not JSON", "map bride to partner 1 please"],
    ["the wrong shape", JSON.stringify({ sources: ["a"], targets: ["b"] })],
    [
      "a field that is not a string",
      JSON.stringify({ sourceFields: [{ name: 1, value: null }], targetLabels: [] }),
    ],
  ])("rejects smart-mapping content that is %s, naming messages", async (_, content) => {
    const error = await rejection(provider.chat(chatRequest("smart_mapping", content), live()));
    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({ code: "BAD_REQUEST", fieldErrors: [{ field: "messages" }] });
  });

  it("needs a user message", async () => {
    const req = {
      ...chatRequest("field_extraction", ""),
      messages: [{ role: "system" as const, content: "hi" }],
    };
    await expect(provider.chat(req, live())).rejects.toMatchObject({
      code: "BAD_REQUEST",
      fieldErrors: [{ field: "messages" }],
    });
  });
});

describe("LocalRulesProvider.chatStream", () => {
  it("streams the same content in a few deltas, the last carrying stop and usage", async () => {
    const req = chatRequest("field_extraction", ukFloristInquiry);
    const whole = await provider.chat(req, live());
    const stream = await provider.chatStream(req, live());
    expect(stream).toMatchObject({ model: "local-rules", provider: "local" });
    const chunks = await collect(stream.chunks);
    expect(chunks.length).toBeGreaterThanOrEqual(3);
    expect(chunks.length).toBeLessThanOrEqual(5);
    expect(chunks.map((c) => c.delta).join("")).toBe(whole.content);
    expect(chunks.slice(0, -1).every((c) => c.finishReason === null && c.usage === null)).toBe(true);
    expect(chunks.at(-1)).toMatchObject({ finishReason: "stop", usage: whole.usage });
  });

  it("fails before the stream opens on a bad request", async () => {
    await expect(provider.chatStream(chatRequest("smart_mapping", "{"), live())).rejects.toBeInstanceOf(
      AppError,
    );
  });

  it("stops when the signal aborts mid-stream", async () => {
    const controller = new AbortController();
    const stream = await provider.chatStream(
      chatRequest("field_extraction", ukFloristInquiry),
      controller.signal,
    );
    const seen: string[] = [];
    const error = await rejection(
      (async () => {
        for await (const c of stream.chunks) {
          seen.push(c.delta);
          controller.abort();
        }
      })(),
    );
    expect(seen).toHaveLength(1);
    expect((error as Error).name).toBe("AbortError");
  });

  it("never splits a surrogate pair across deltas, and the deltas rebuild the content", () => {
    fc.assert(
      fc.property(
        fc.string({ unit: fc.constantFrom("a", '"', "é", "😀", "𝄞", "\n"), maxLength: 40 }),
        fc.integer({ min: 1, max: 6 }),
        (s, parts) => {
          const deltas = splitContent(s, parts);
          expect(deltas.join("")).toBe(s);
          const loneSurrogate = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
          for (const d of deltas) expect(loneSurrogate.test(d)).toBe(false);
        },
      ),
    );
  });
});
