/**
 * An example service another team might run: it reads couples' enquiry emails and files what the
 * platform extracts (names, date, venue, guests...) against each wedding, the way a CRM sync would.
 * It uses only @wedsync/client and an organization API key, and shows the habits that matter:
 * an idempotency key per document (a retry after a timeout is answered once and billed once), each
 * and each error code handled in the product's terms.
 *
 *   cd tooling/examples && WEDSYNC_URL=http://localhost:3000 WEDSYNC_API_KEY=wsk_... node --import tsx src/enquiry-intake.ts
 *
 * Prints one line per wedding with what was filed, its cost and what is left of the day's caps; exit code 0 when every enquiry was filed or
 * refused for a reason the organization controls (a cap, a feature switched off), 1 otherwise.
 */
import { createHash } from "node:crypto";
import { createWedsyncClient, isWedsyncError, type WedsyncClientError } from "@wedsync/client";

const url = process.env.WEDSYNC_URL ?? "http://localhost:3000";
const apiKey = process.env.WEDSYNC_API_KEY;
if (!apiKey) {
  console.error("Set WEDSYNC_API_KEY to an organization API key (the API & keys screen creates one).");
  process.exit(2);
}

const wedsync = createWedsyncClient({ url, apiKey });

/** What a sync would read from a mailbox; here, one made-up enquiry per wedding. */
function enquiryFor(coupleNames: string, weddingDate: string | null): string {
  return [
    `Hello! We are ${coupleNames} and we are getting married on ${weddingDate ?? "a date to be confirmed"}.`,
    "The ceremony is at Hartwell House, Aylesbury, with about 120 guests.",
    "Our budget for flowers is £2,500. You can reach us at couple@example.com or 07700 900123.",
  ].join("\n");
}

/** The same document always gets the same key: sending it again can never process or bill it twice. */
function idempotencyKeyOf(clientId: string, text: string): string {
  return `intake-${createHash("sha256").update(`${clientId}\n${text}`).digest("hex").slice(0, 32)}`;
}

/** Each error code the platform sends, as what this service does about it. */
function explain(err: WedsyncClientError): { line: string; expected: boolean } {
  const code = err.data?.code;
  const retryAfter = (err.data?.details as { retryAfterSeconds?: number } | null)?.retryAfterSeconds;
  switch (code) {
    case "TOO_MANY_REQUESTS":
      return { line: `rate limited; try again in ${retryAfter ?? 60} s`, expected: true };
    case "FORBIDDEN":
      // A feature switched off, a tier without it, a daily cap or the credit limit reached.
      return { line: `refused by the organization's settings: ${err.message}`, expected: true };
    case "SERVICE_UNAVAILABLE":
      return { line: `the platform is busy; try again in ${retryAfter ?? 30} s`, expected: true };
    case "CONFLICT":
      return {
        line: `the same document is still being processed; ask again in ${retryAfter ?? 1} s`,
        expected: true,
      };
    case "BAD_REQUEST":
      return {
        line: `rejected input: ${err.data?.fieldErrors?.map((f) => `${f.field} ${f.message}`).join("; ")}`,
        expected: false,
      };
    case "UNAUTHORIZED":
      return { line: "the API key is not valid (revoked?)", expected: false };
    case "NOT_FOUND":
      return { line: "that wedding is not in this organization", expected: false };
    default:
      return { line: `unexpected error ${code ?? "(no answer)"}: ${err.message}`, expected: false };
  }
}

async function main(): Promise<number> {
  const { clients } = await wedsync.clients.list.query({});
  console.log(`${clients.length} weddings in the organization`);
  let failures = 0;
  for (const client of clients) {
    const text = enquiryFor(client.coupleNames, client.weddingDate);
    try {
      const answer = await wedsync.clients.process.mutate({
        clientId: client.id,
        featureType: "field_extraction",
        input: { text },
        idempotencyKey: idempotencyKeyOf(client.id, text),
      });
      if (answer.jobId !== undefined) {
        // A large document becomes a background job (the jobs.* procedures follow it).
        console.log(`${client.coupleNames}: queued as job ${answer.jobId}`);
        continue;
      }
      // The result's shape is the feature's (field extraction: each wedding field, or null when absent).
      const result = answer.result as { fields: Record<string, { value: unknown } | null> };
      const found = Object.entries(result.fields)
        .filter(([, field]) => field !== null)
        .map(([name]) => name);
      const { usage } = answer;
      console.log(
        `${client.coupleNames}: filed ${found.length} fields (${found.join(", ")}); cost $${usage.costUsd}${usage.replayed ? " (already filed)" : ""}; left today: ${usage.remainingRequestsToday} requests, $${usage.remainingCostTodayUsd}`,
      );
    } catch (err) {
      if (!isWedsyncError(err)) throw err;
      const { line, expected } = explain(err);
      console.log(`${client.coupleNames}: ${line}`);
      if (!expected) failures++;
    }
  }
  if (clients[0]) failures += await followAJob(clients[0].id);
  return failures === 0 ? 0 : 1;
}

/**
 * The season's whole correspondence with the first couple, sent as a background job: the answer
 * comes at once with a job id, and the service asks how it is going until it is done (a service
 * that stays up would subscribe to jobs.onProgress instead).
 */
async function followAJob(clientId: string): Promise<number> {
  const text = Array.from(
    { length: 20 },
    (_, i) => `Message ${i + 1}: ${enquiryFor("Emma & Liam", null)}`,
  ).join("\n\n");
  try {
    const queued = await wedsync.clients.process.mutate({
      clientId,
      featureType: "field_extraction",
      input: { text },
      mode: "async",
      idempotencyKey: idempotencyKeyOf(clientId, `job\n${text}`),
    });
    if (queued.jobId === undefined) {
      console.log(`correspondence: answered at once (${queued.usage.replayed ? "already filed" : "filed"})`);
      return 0;
    }
    for (let waited = 0; waited < 60_000; waited += 250) {
      const job = await wedsync.jobs.get.query({ jobId: queued.jobId });
      if (job.status === "succeeded" || job.status === "failed" || job.status === "cancelled") {
        console.log(`correspondence: job ${job.id} ${job.status}`);
        return job.status === "succeeded" ? 0 : 1;
      }
      await new Promise((r) => setTimeout(r, 250));
    }
    console.log(`correspondence: job ${queued.jobId} still not done after a minute`);
    return 1;
  } catch (err) {
    if (!isWedsyncError(err)) throw err;
    const { line, expected } = explain(err);
    console.log(`correspondence: ${line}`);
    return expected ? 0 : 1;
  }
}

main().then(
  (code) => process.exit(code),
  (err) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  },
);
