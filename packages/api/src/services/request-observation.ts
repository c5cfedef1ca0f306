import { AsyncLocalStorage } from "node:async_hooks";
import type { Database } from "../infra/database";

/**
 * What the performance middleware learns about one HTTP request while it runs: the organization
 * it acted for (set by the tRPC context and scope middleware, which are the ones that know), the
 * status of each procedure of a batch, and the time spent waiting on the database.
 */
export class RequestObservation {
  /** The authenticated principal's organization, when known. */
  organizationId: string | null = null;
  /** Per tRPC procedure path: the organization its scope resolved to (may differ within a batch). */
  readonly organizationByPath = new Map<string, string>();
  /**
   * Per tRPC procedure path: the HTTP statuses of its errors (a batch answers 207 for mixed
   * results; a batch may call one procedure several times, and tRPC names errors by path only).
   */
  readonly errorStatusesByPath = new Map<string, number[]>();
  private dbMsTotal = 0;
  private dbActive = 0;
  private dbSince = 0;

  /**
   * Milliseconds during which at least one query of this request was running: the union of their
   * intervals, so parallel queries are not counted twice and the total never exceeds the request's.
   */
  procedureFailed(path: string, status: number): void {
    const statuses = this.errorStatusesByPath.get(path);
    if (statuses) statuses.push(status);
    else this.errorStatusesByPath.set(path, [status]);
  }

  get dbMs(): number {
    return this.dbMsTotal + (this.dbActive > 0 ? performance.now() - this.dbSince : 0);
  }

  queryStarted(): void {
    if (this.dbActive++ === 0) this.dbSince = performance.now();
  }

  queryEnded(): void {
    if (this.dbActive > 0 && --this.dbActive === 0) this.dbMsTotal += performance.now() - this.dbSince;
  }
}

/**
 * The observation of the request the current async context belongs to (none outside requests),
 * for the database timing. AsyncLocalStorage on Node 20 puts a hook on every promise of the
 * process, so it is entered only while database timing is on.
 */
export const requestObservations = new AsyncLocalStorage<RequestObservation>();

/** Each HTTP request's observation, for the code that has the request but not the async context (the tRPC context). */
const byRequest = new WeakMap<Request, RequestObservation>();

export function observe(request: Request): RequestObservation {
  const observation = new RequestObservation();
  byRequest.set(request, observation);
  return observation;
}

export function observationOf(request: Request): RequestObservation | undefined {
  return byRequest.get(request);
}

const instrumented = new WeakSet<object>();

type Session = {
  prepareQuery: (...args: unknown[]) => { execute: Fn; all: Fn };
  transaction: Fn;
};
type Fn = (...args: never[]) => Promise<unknown>;

/**
 * Database query timing, for this database handle only. Every drizzle query (builders, relational
 * queries and db.execute alike) is prepared by the handle's session and run by the prepared query's
 * execute()/all(); a transaction holds its connection from BEGIN to COMMIT, so it is timed whole
 * (its queries run on a session of their own, inside that interval). Outside a request nothing is
 * recorded. Work done for several requests at once (a group-committed batch) counts for the request
 * whose call started the batch.
 */
export function timeDatabaseQueries(db: Database): void {
  const session = (db as unknown as { _: { session: Session } })._.session;
  if (instrumented.has(session)) return;
  instrumented.add(session);
  const prepare = session.prepareQuery.bind(session);
  session.prepareQuery = (...args) => {
    const prepared = prepare(...args);
    prepared.execute = timed(prepared.execute.bind(prepared));
    prepared.all = timed(prepared.all.bind(prepared));
    return prepared;
  };
  session.transaction = timed(session.transaction.bind(session));
}

function timed<F extends Fn>(run: F): F {
  return ((...args: Parameters<F>) => {
    const observation = requestObservations.getStore();
    if (!observation) return run(...args);
    observation.queryStarted();
    return run(...args).finally(() => observation.queryEnded());
  }) as F;
}
