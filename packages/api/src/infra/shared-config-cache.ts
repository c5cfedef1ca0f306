import { Redis } from "@upstash/redis";
import superjson from "superjson";
import { createHttpRequester } from "./upstash-requester";

/**
 * The shared layer under each instance's in-process config cache: one Redis hash per
 * organization holding its effective configurations and a generation (`_gen`). A change bumps the
 * generation after it commits; an entry counts only if it was written under the current
 * generation, and it is written only if the generation did not move while it was being loaded
 * from the database (compare-and-set in a script) — so a slow loader can never store a
 * configuration that a change has already replaced.
 */
export interface SharedConfigCache {
  /** The generation to load under, and the entry if it is current. */
  read(organizationId: string, field: string): Promise<{ generation: string; value: unknown | null }>;
  /** Store `value` unless the organization's generation moved since `generation` was read. */
  write(organizationId: string, field: string, generation: string, value: unknown): Promise<void>;
  /** Invalidate everything stored for an organization. */
  bump(organizationId: string): Promise<void>;
}

const WRITE_IF_CURRENT = `
local gen = redis.call('HGET', KEYS[1], '_gen') or '0'
if gen ~= ARGV[1] then return 0 end
redis.call('HSET', KEYS[1], ARGV[2], ARGV[3])
redis.call('EXPIRE', KEYS[1], ARGV[4])
return 1`;

const BUMP = `
redis.call('HINCRBY', KEYS[1], '_gen', 1)
redis.call('EXPIRE', KEYS[1], ARGV[1])
return 1`;

export class UpstashSharedConfigCache implements SharedConfigCache {
  private readonly redis: Redis;
  private readonly ttlSeconds: number;

  constructor(opts: { url: string; token: string; ttlMs: number; timeoutMs?: number; prefix?: string }) {
    this.redis = new Redis(
      createHttpRequester({ url: opts.url, token: opts.token, timeoutMs: opts.timeoutMs ?? 1_000 }),
    );
    this.ttlSeconds = Math.max(1, Math.ceil(opts.ttlMs / 1000));
    this.prefix = opts.prefix ?? "wedsync:cfg";
  }

  private readonly prefix: string;

  private key(organizationId: string) {
    return `${this.prefix}:${organizationId}`;
  }

  async read(organizationId: string, field: string) {
    const [gen, raw] = (await this.redis
      .hmget(this.key(organizationId), "_gen", field)
      .then((r) => (r ? [r._gen, r[field]] : [null, null]))) as [unknown, unknown];
    const generation = gen === null || gen === undefined ? "0" : String(gen);
    // @upstash/redis parses JSON-looking strings itself; accept either form.
    const entry = (typeof raw === "string" ? JSON.parse(raw) : raw) as { g: string; v: string } | null;
    if (!entry || entry.g !== generation) return { generation, value: null };
    return { generation, value: superjson.parse(entry.v) };
  }

  async write(organizationId: string, field: string, generation: string, value: unknown) {
    const entry = JSON.stringify({ g: generation, v: superjson.stringify(value) });
    await this.redis.eval(
      WRITE_IF_CURRENT,
      [this.key(organizationId)],
      [generation, field, entry, String(this.ttlSeconds)],
    );
  }

  async bump(organizationId: string) {
    await this.redis.eval(BUMP, [this.key(organizationId)], [String(this.ttlSeconds)]);
  }
}
