/**
 * Why a suite is skipped, carried in its name ("… (skipped: …)"), where `npm test`'s list of
 * skipped tests reads it (tooling/scripts/test-summary.mjs). A suite that runs keeps its plain name.
 *
 *   describe.skipIf(postgresOnly !== null)(skipNote("two instances", postgresOnly), () => { … });
 */
export function skipNote(name: string, reason: string | null): string {
  return reason === null ? name : `${name} (skipped: ${reason})`;
}

/** Why a PostgreSQL-only suite is skipped in this project; null on PostgreSQL. */
export const postgresOnly: string | null =
  process.env.TEST_DB === "postgres"
    ? null
    : process.env.DATABASE_URL
      ? "PostgreSQL only; it runs in this run's postgres project"
      : "PostgreSQL only, and DATABASE_URL is not set";
