/**
 * modelPrices.*: the price table for platform staff. A new price is scheduled, never backdated
 * (requests already charged keep their price); a duplicate instant is a CONFLICT; the list shows
 * the price in force, the next one and the history; the preview's figures are the exact cost of
 * an example request; a scheduled price bills requests from its instant on, and every instance's
 * price book picks it up at once (event bus), not after its minute.
 */
import { randomUUID } from "node:crypto";
import { hashPassword } from "@wedsync/api/passwords";
import type { RunningServer } from "@wedsync/api/server";
import { createWedsyncClient, createWedsyncSessionClient } from "@wedsync/client";
import { aiModelPrices, users } from "@wedsync/core";
import type { FakeOpenAI } from "@wedsync/fake-openai";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { expectError, fieldsOf } from "./harness/errors";
import { type OpenAIServer, startOpenAIServer } from "./harness/openai-server";
import { startTestServer } from "./harness/server";
import { postgresOnly, skipNote } from "./harness/skips";
import { createStaffUser, createTenant, type SessionClient, TEST_PASSWORD } from "./harness/tenant";
import { usageRows } from "./harness/usage";

/** The seeded prices' instant: a base price there adds no new price-change instant to the shared table. */
const SEEDED_FROM = new Date("2025-01-01T00:00:00Z");
const BASE = { inputPerMillion: "2.000000", cachedInputPerMillion: "0.500000", outputPerMillion: "8.000000" };
const RAISED = {
  inputPerMillion: "3.000000",
  cachedInputPerMillion: "0.750000",
  outputPerMillion: "12.000000",
};

let fake: FakeOpenAI;
let server: RunningServer;
let upstream: OpenAIServer;
let staff: SessionClient;
beforeAll(async () => {
  upstream = await startOpenAIServer({
    timeoutMs: 5_000,
    retry: { maxAttempts: 1, initialDelayMs: 5, maxDelayMs: 10 },
    breaker: { failureThreshold: 1_000, halfOpenAfterMs: 60_000 },
  });
  ({ server, fake } = upstream);
  staff = await createStaffUser(server);
});
afterAll(() => upstream?.close());
beforeEach(() => fake.reset());

let counter = 0;
/** A model name no other test (or suite sharing the PostgreSQL price table) uses. */
const uniqueModel = () =>
  `test-${Date.now().toString(36)}-${(counter++).toString(36)}-${Math.random().toString(36).slice(2, 6)}`;

/** Insert a price straight into the table (the API refuses past instants, as it should). */
async function seedPrice(on: RunningServer, model: string, price = BASE, effectiveFrom = SEEDED_FROM) {
  await on.services.db.insert(aiModelPrices).values({ provider: "openai", model, ...price, effectiveFrom });
  await on.services.prices.reload();
}

const inSeconds = (s: number) => new Date(Date.now() + s * 1_000);
const sleepUntil = async (t: Date) => {
  const ms = t.getTime() - Date.now();
  if (ms > 0) await new Promise((r) => setTimeout(r, ms));
};

/** Independent of core: a decimal string as integer micro-dollars. */
function microsOf(decimal: string): bigint {
  const [whole, frac = ""] = decimal.split(".");
  return BigInt(whole!) * 1_000_000n + BigInt(frac.padEnd(6, "0"));
}

/** Independent of core: tokens × per-million prices, in micro-dollars, rounded half up once. */
function expectedCost(
  usage: { inputTokens: number; cachedInputTokens: number; outputTokens: number },
  price: typeof BASE,
): string {
  const numerator =
    BigInt(usage.inputTokens - usage.cachedInputTokens) * microsOf(price.inputPerMillion) +
    BigInt(usage.cachedInputTokens) * microsOf(price.cachedInputPerMillion) +
    BigInt(usage.outputTokens) * microsOf(price.outputPerMillion);
  const micros = (numerator * 2n + 1_000_000n) / 2_000_000n;
  return `${micros / 1_000_000n}.${(micros % 1_000_000n).toString().padStart(6, "0")}`;
}

describe("modelPrices.schedule", () => {
  it("refuses an instant in the past or too soon, naming effectiveFrom and the earliest allowed; adds nothing", async () => {
    const model = uniqueModel();
    const past = await expectError(
      staff.modelPrices.schedule.mutate({
        provider: "openai",
        model,
        ...RAISED,
        effectiveFrom: inSeconds(-60),
      }),
      "BAD_REQUEST",
    );
    expect(fieldsOf(past)).toEqual(["effectiveFrom"]);
    expect(past.data?.fieldErrors[0]?.message).toMatch(
      /^must not be in the past: choose \d{4}-\d\d-\d\dT.* or later/,
    );
    const soon = await expectError(
      staff.modelPrices.schedule.mutate({ provider: "openai", model, ...RAISED, effectiveFrom: new Date() }),
      "BAD_REQUEST",
    );
    expect(fieldsOf(soon)).toEqual(["effectiveFrom"]);
    const { models } = await staff.modelPrices.list.query();
    expect(models.find((m) => m.model === model)).toBeUndefined();
  });

  it("refuses bad prices before anything is written, each naming its field", async () => {
    const model = uniqueModel();
    const when = inSeconds(3_600);
    const negative = await expectError(
      staff.modelPrices.schedule.mutate({
        provider: "openai",
        model,
        ...RAISED,
        inputPerMillion: "-1",
        effectiveFrom: when,
      }),
      "BAD_REQUEST",
    );
    expect(fieldsOf(negative)).toEqual(["inputPerMillion"]);
    const tooPrecise = await expectError(
      staff.modelPrices.schedule.mutate({
        provider: "openai",
        model,
        ...RAISED,
        outputPerMillion: "0.0000001",
        effectiveFrom: when,
      }),
      "BAD_REQUEST",
    );
    expect(fieldsOf(tooPrecise)).toEqual(["outputPerMillion"]);
    expect(tooPrecise.data?.fieldErrors[0]?.message).toContain("at most 6 decimals");
    const cachedAbove = await expectError(
      staff.modelPrices.schedule.mutate({
        provider: "openai",
        model,
        ...RAISED,
        cachedInputPerMillion: "3.5",
        effectiveFrom: when,
      }),
      "BAD_REQUEST",
    );
    expect(fieldsOf(cachedAbove)).toEqual(["cachedInputPerMillion"]);
    const badNames = await expectError(
      staff.modelPrices.schedule.mutate({ provider: "Open AI", model: "", ...RAISED, effectiveFrom: when }),
      "BAD_REQUEST",
    );
    expect([...new Set(fieldsOf(badNames))].sort()).toEqual(["model", "provider"]);
    // Raw HTTP with a date-time that is not one: a 400 naming the field, never a 500.
    const res = await fetch(`${server.url}/trpc/modelPrices.schedule`, {
      method: "POST",
      headers: { "content-type": "application/json", cookie: await staffCookie() },
      body: JSON.stringify({ json: { provider: "openai", model, ...RAISED, effectiveFrom: "next tuesday" } }),
    });
    expect(res.status).toBe(400);
    expect(JSON.stringify(await res.json())).toContain('"field":"effectiveFrom"');
    const { models } = await staff.modelPrices.list.query();
    expect(models.find((m) => m.model === model)).toBeUndefined();
  });

  it("adds a model and schedules a new price; the list shows the price in force, the next one and the history", async () => {
    const model = uniqueModel();
    await seedPrice(server, model);
    const nextWeek = inSeconds(7 * 86_400);
    const nextMonth = inSeconds(30 * 86_400);
    const scheduled = await staff.modelPrices.schedule.mutate({
      provider: "openai",
      model,
      inputPerMillion: "3",
      cachedInputPerMillion: 0.75,
      outputPerMillion: "12.00",
      effectiveFrom: nextMonth.toISOString(),
    });
    // Normalised to the table's exact six places, whatever form was sent.
    expect(scheduled.price).toMatchObject({ ...RAISED, effectiveFrom: nextMonth });
    await staff.modelPrices.schedule.mutate({
      provider: "openai",
      model,
      ...BASE,
      inputPerMillion: "2.5",
      effectiveFrom: nextWeek,
    });

    const list = await staff.modelPrices.list.query();
    expect(list.earliestEffectiveFrom.getTime()).toBeGreaterThan(Date.now());
    expect(list.providers).toEqual(["openai", "local"]);
    const entry = list.models.find((m) => m.provider === "openai" && m.model === model)!;
    expect(entry.current).toMatchObject({ ...BASE, effectiveFrom: SEEDED_FROM });
    expect(entry.next).toMatchObject({ inputPerMillion: "2.500000", effectiveFrom: nextWeek });
    expect(entry.history.map((h) => [h.inputPerMillion, h.effectiveFrom.getTime()])).toEqual([
      ["3.000000", nextMonth.getTime()],
      ["2.500000", nextWeek.getTime()],
      ["2.000000", SEEDED_FROM.getTime()],
    ]);
    // The table is its own audit trail: who scheduled each price (the seeded one has no author).
    const me = await staff.auth.me.query();
    const staffName = me.kind === "user" ? me.user.name : null;
    expect(entry.history.map((h) => h.scheduledBy)).toEqual([staffName, staffName, null]);
    for (const h of entry.history.slice(0, 2))
      expect(Date.now() - h.scheduledAt.getTime()).toBeLessThan(60_000);

    // A brand-new model: nothing in force yet, its first price is next.
    const added = uniqueModel();
    await staff.modelPrices.schedule.mutate({
      provider: "openai",
      model: added,
      ...BASE,
      effectiveFrom: nextWeek,
    });
    const fresh = (await staff.modelPrices.list.query()).models.find((m) => m.model === added)!;
    expect(fresh).toMatchObject({ current: null, next: { ...BASE, effectiveFrom: nextWeek } });
    expect(fresh.history).toHaveLength(1);
  });

  it("a second price at the same instant is a CONFLICT naming effectiveFrom; the first stays", async () => {
    const model = uniqueModel();
    const when = inSeconds(86_400);
    await staff.modelPrices.schedule.mutate({ provider: "openai", model, ...BASE, effectiveFrom: when });
    const e = await expectError(
      staff.modelPrices.schedule.mutate({ provider: "openai", model, ...RAISED, effectiveFrom: when }),
      "CONFLICT",
    );
    expect(fieldsOf(e)).toEqual(["effectiveFrom"]);
    expect(e.message).toContain(`openai/${model}`);
    const entry = (await staff.modelPrices.list.query()).models.find((m) => m.model === model)!;
    expect(entry.history).toEqual([expect.objectContaining({ ...BASE, effectiveFrom: when })]);
    // The same instant for another provider's model of that name is another row.
    await staff.modelPrices.schedule.mutate({ provider: "local", model, ...RAISED, effectiveFrom: when });
  });

  it("is for platform staff only: members, organization owners and API keys are refused, signed out is UNAUTHORIZED", async () => {
    const t = await createTenant(server);
    const input = { provider: "openai", model: uniqueModel(), ...BASE, effectiveFrom: inSeconds(3_600) };
    for (const caller of [await t.as("owner"), await t.as("member"), (await t.apiKey("admin")).client]) {
      await expectError(caller.modelPrices.schedule.mutate(input), "FORBIDDEN");
      await expectError(caller.modelPrices.list.query(), "FORBIDDEN");
      await expectError(caller.modelPrices.preview.query(input), "FORBIDDEN");
    }
    await expectError(createWedsyncClient({ url: server.url }).modelPrices.list.query(), "UNAUTHORIZED");
    expect(
      (await staff.modelPrices.list.query()).models.find((m) => m.model === input.model),
    ).toBeUndefined();
  });
});

describe("modelPrices.preview", () => {
  it("the old and new prices and an example request's cost under each equal an independent computation", async () => {
    const model = uniqueModel();
    await seedPrice(server, model);
    const preview = await staff.modelPrices.preview.query({ provider: "openai", model, ...RAISED });
    const example = { inputTokens: 1_000, cachedInputTokens: 200, outputTokens: 500 };
    expect(preview.example).toEqual(example);
    expect(preview.old).toEqual({
      price: expect.objectContaining({ ...BASE, effectiveFrom: SEEDED_FROM }),
      costUsd: expectedCost(example, BASE),
    });
    expect(preview.new).toEqual({ price: RAISED, costUsd: expectedCost(example, RAISED) });
    // 800 × 2 + 200 × 0.5 + 500 × 8 = 5,700 µ$ before; 800 × 3 + 200 × 0.75 + 500 × 12 = 8,550 µ$ after.
    expect([preview.old?.costUsd, preview.new.costUsd, preview.changeUsd]).toEqual([
      "0.005700",
      "0.008550",
      "0.002850",
    ]);

    // Chosen token counts, with rounding: 7 input (3 cached), 1 output at awkward prices.
    const odd = {
      inputPerMillion: "0.333333",
      cachedInputPerMillion: "0.111111",
      outputPerMillion: "1.777777",
    };
    const counts = { inputTokens: 7, cachedInputTokens: 3, outputTokens: 1 };
    const rounded = await staff.modelPrices.preview.query({ provider: "openai", model, ...odd, ...counts });
    expect(rounded.new.costUsd).toBe(expectedCost(counts, odd));
    expect(rounded.old?.costUsd).toBe(expectedCost(counts, BASE));
  });

  it("compares with the price in force just before effectiveFrom; a new model has none", async () => {
    const model = uniqueModel();
    await seedPrice(server, model);
    const nextWeek = inSeconds(7 * 86_400);
    await staff.modelPrices.schedule.mutate({
      provider: "openai",
      model,
      ...RAISED,
      effectiveFrom: nextWeek,
    });
    const later = { ...BASE, inputPerMillion: "4", cachedInputPerMillion: "1", outputPerMillion: "16" };
    const afterIt = await staff.modelPrices.preview.query({
      provider: "openai",
      model,
      ...later,
      effectiveFrom: inSeconds(14 * 86_400),
    });
    expect(afterIt.old?.price).toMatchObject(RAISED);
    const beforeIt = await staff.modelPrices.preview.query({
      provider: "openai",
      model,
      ...later,
      effectiveFrom: inSeconds(86_400),
    });
    expect(beforeIt.old?.price).toMatchObject(BASE);
    const fresh = await staff.modelPrices.preview.query({
      provider: "openai",
      model: uniqueModel(),
      ...later,
    });
    // 800 × 4 + 200 × 1 + 500 × 16 = 11,400 µ$, nothing to compare with.
    expect(fresh).toMatchObject({ old: null, changeUsd: null, new: { costUsd: "0.011400" } });
  });

  it("refuses what schedule would refuse, naming the field", async () => {
    const model = uniqueModel();
    const past = await expectError(
      staff.modelPrices.preview.query({
        provider: "openai",
        model,
        ...BASE,
        effectiveFrom: inSeconds(-3_600),
      }),
      "BAD_REQUEST",
    );
    expect(fieldsOf(past)).toEqual(["effectiveFrom"]);
    const cached = await expectError(
      staff.modelPrices.preview.query({
        provider: "openai",
        model,
        ...BASE,
        inputTokens: 10,
        cachedInputTokens: 11,
      }),
      "BAD_REQUEST",
    );
    expect(fieldsOf(cached)).toEqual(["cachedInputTokens"]);
    const tokens = await expectError(
      staff.modelPrices.preview.query({ provider: "openai", model, ...BASE, outputTokens: -1 }),
      "BAD_REQUEST",
    );
    expect(fieldsOf(tokens)).toEqual(["outputTokens"]);
  });
});

describe("a scheduled price in billing", () => {
  it("requests before its instant are charged the old price, after it the new one; the invoice splits the line", async () => {
    const model = uniqueModel();
    await seedPrice(server, model);
    const t = await createTenant(server);
    const owner = await t.as("owner");
    await owner.platform.config.update.mutate({
      featureType: "field_extraction",
      expectedVersion: 1,
      patch: { model },
    });
    fake.setBehavior({
      kind: "ok",
      usage: { prompt_tokens: 1_000, completion_tokens: 500, cached_tokens: 200 },
    });
    const run = () =>
      owner.clients.process.mutate({
        clientId: t.clientIds[0]!,
        featureType: "field_extraction",
        input: { text: "Emma & Liam, 12 June 2027, Kew Gardens" },
      });

    const effectiveFrom = inSeconds(6);
    await staff.modelPrices.schedule.mutate({ provider: "openai", model, ...RAISED, effectiveFrom });
    await run();
    expect(Date.now()).toBeLessThan(effectiveFrom.getTime()); // the request above really came first
    await sleepUntil(new Date(effectiveFrom.getTime() + 100));
    await run();

    const rows = (await usageRows(server, t.organizationId)).filter((r) => r.status === "succeeded");
    expect(rows).toHaveLength(2);
    const usage = { inputTokens: 1_000, cachedInputTokens: 200, outputTokens: 500 };
    expect(rows.map((r) => [r.model, r.costUsd])).toEqual([
      [model, expectedCost(usage, BASE)],
      [model, expectedCost(usage, RAISED)],
    ]);
    expect(rows[0]!.createdAt.getTime()).toBeLessThan(effectiveFrom.getTime());
    expect(rows[1]!.createdAt.getTime()).toBeGreaterThanOrEqual(effectiveFrom.getTime());

    // The invoice: one line per price in force, each priced and summed as charged.
    const today = new Date().toISOString().slice(0, 10);
    const { invoice } = await owner.billing.invoices.preview.query({ from: today, to: today });
    const lines = invoice.lines.filter((l) => l.model === model);
    expect(
      lines.map((l) => [l.unitPrice?.inputPerMillion, l.unitPrice?.effectiveFrom.getTime(), l.requests]),
    ).toEqual([
      [BASE.inputPerMillion, SEEDED_FROM.getTime(), 1],
      [RAISED.inputPerMillion, effectiveFrom.getTime(), 1],
    ]);
    expect(lines.map((l) => l.amountMicros)).toEqual([
      microsOf(expectedCost(usage, BASE)),
      microsOf(expectedCost(usage, RAISED)),
    ]);
  });
});

describe("every instance's price book", () => {
  it("reloads when any instance announces a price (the event), not a minute later", async () => {
    const model = uniqueModel();
    const when = inSeconds(3_600);
    // A row this instance has not loaded, as if another instance had added it...
    await server.services.db
      .insert(aiModelPrices)
      .values({ provider: "openai", model, ...RAISED, effectiveFrom: when });
    await server.services.prices.priceAt("openai", "gpt-4o", new Date()); // fresh load time: no reload due
    expect(await server.services.prices.priceAt("openai", model, when)).toBeNull();
    // ...and its announcement arriving through LISTEN.
    server.services.events.receive(
      JSON.stringify({
        events: [{ kind: "prices", provider: "openai", model, effectiveFrom: when.toISOString() }],
      }),
    );
    await expect
      .poll(() => server.services.prices.priceAt("openai", model, when), { timeout: 1_000 })
      .toMatchObject(RAISED);
  });

  describe.skipIf(postgresOnly !== null)(skipNote("two instances on one PostgreSQL", postgresOnly), () => {
    let other: RunningServer;
    beforeAll(async () => {
      other = await startTestServer();
    });
    afterAll(() => other?.close());

    it("a price scheduled on one instance is in the other's price book within a second, before it starts", async () => {
      const model = uniqueModel();
      await seedPrice(server, model);
      // The other instance has loaded the table (its minute is far from over).
      expect(await other.services.prices.priceAt("openai", model, new Date())).toMatchObject(BASE);
      const when = inSeconds(10);
      const started = Date.now();
      await staff.modelPrices.schedule.mutate({ provider: "openai", model, ...RAISED, effectiveFrom: when });
      await expect
        .poll(() => other.services.prices.priceAt("openai", model, when), { timeout: 1_000, interval: 20 })
        .toMatchObject(RAISED);
      expect(Date.now() - started).toBeLessThan(1_500);
      // Before its instant the old price still applies there.
      expect(await other.services.prices.priceAt("openai", model, new Date())).toMatchObject(BASE);
    });
  });
});

async function staffCookie(): Promise<string> {
  const email = `staff-raw-${randomUUID().slice(0, 8)}@wedsync.test`;
  await server.services.db
    .insert(users)
    .values({ email, name: "Staff", passwordHash: await hashPassword(TEST_PASSWORD), isPlatformStaff: true });
  const jar = { cookie: "" };
  await createWedsyncSessionClient({ url: server.url, jar }).auth.login.mutate({
    email,
    password: TEST_PASSWORD,
  });
  return jar.cookie;
}
