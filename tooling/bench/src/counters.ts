/**
 * Work done per platform request, counted where it lands: calls reaching the fake upstream (its
 * /__fake/stats), commands Redis processed (INFO stats; Redis is shared, so anything else using it
 * meanwhile is counted too) and PostgreSQL transactions in the bench database (pg_stat_database).
 */
import { connect } from "node:net";
import postgres from "postgres";

export async function fakeRequestCount(fakeBaseUrl: string): Promise<number> {
  const res = await fetch(new URL("/__fake/stats", fakeBaseUrl));
  return ((await res.json()) as { requests: number }).requests;
}

/** total_commands_processed, over a plain RESP connection (no client library needed). */
export function redisCommandCount(redisUrl: string): Promise<number> {
  const url = new URL(redisUrl);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(url.port || 6379), url.hostname);
    let reply = "";
    const timer = setTimeout(() => socket.destroy(new Error("redis INFO timed out")), 5_000);
    socket.on("connect", () => {
      if (url.password) socket.write(`AUTH ${decodeURIComponent(url.password)}\r\n`);
      socket.write("INFO stats\r\n");
    });
    socket.on("data", (chunk) => {
      reply += chunk.toString("utf8");
      const m = reply.match(/total_commands_processed:(\d+)/);
      if (m && reply.includes("\r\n", reply.indexOf(m[0]))) {
        clearTimeout(timer);
        socket.end();
        resolve(Number(m[1]));
      }
    });
    socket.on("error", (err) => {
      clearTimeout(timer);
      reject(err);
    });
  });
}

/** Committed + rolled-back transactions in the current database (flushed by backends as they exit). */
export async function pgTransactionCount(databaseUrl: string): Promise<number> {
  const sql = postgres(databaseUrl, { max: 1, onnotice: () => {} });
  try {
    const [row] = await sql<{ n: string }[]>`
      select (xact_commit + xact_rollback)::text as n from pg_stat_database where datname = current_database()`;
    return Number(row?.n ?? 0);
  } finally {
    await sql.end({ timeout: 5 });
  }
}
