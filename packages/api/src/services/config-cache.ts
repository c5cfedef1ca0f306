import type { FeatureType } from "@wedsync/core";
import { LRUCache } from "lru-cache";
import type { Database } from "../infra/database";
import type { EventBus } from "../infra/event-bus";
import type { Logger } from "../infra/logger";
import type { Metrics } from "../infra/metrics";
import type { SharedConfigCache } from "../infra/shared-config-cache";
import { loadRequestConfig, type RequestConfig } from "./request-config";

export interface ConfigCacheOptions {
  /** Safety net only: change events invalidate entries as soon as they arrive. */
  ttlMs?: number;
  /** Redis layer shared by every instance (when Upstash is configured). */
  shared?: SharedConfigCache | undefined;
  metrics?: Metrics | undefined;
  logger?: Logger | undefined;
}

type InvalidationCause = "local" | "event" | "resync";

/**
 * Effective configurations on the processing hot path, cached in process. Keys carry the
 * organization's generation, bumped by every change (made here, or announced by an event from any
 * instance), so a bump is O(1) and an entry loaded before a change can never be read after it.
 */
export class ConfigCache {
  private readonly entries: LRUCache<string, RequestConfig>;
  private readonly generations = new Map<string, number>();
  /** Shared-layer bumps still in flight: a load waits for its organization's, or it could read what was just invalidated. */
  private readonly pendingBumps = new Map<string, Promise<void>>();
  private readonly shared: SharedConfigCache | undefined;
  private readonly metrics: Metrics | undefined;
  private readonly logger: Logger | undefined;

  constructor(
    private readonly db: Database,
    opts: ConfigCacheOptions = {},
  ) {
    this.entries = new LRUCache({ max: 50_000, ttl: opts.ttlMs ?? 60_000 });
    this.shared = opts.shared;
    this.metrics = opts.metrics;
    this.logger = opts.logger;
  }

  /** Drop an organization's entries whenever any instance changes its configuration. */
  attach(bus: EventBus): () => void {
    return bus.subscribe((message) => {
      if (message.type === "resync") return this.clear();
      if (message.event.kind === "config") this.invalidateOrganization(message.event.organizationId, "event");
    });
  }

  async get(
    organizationId: string,
    featureType: FeatureType,
    clientId: string | null,
  ): Promise<RequestConfig> {
    const field = `${featureType}:${clientId ?? ""}`;
    const key = `${organizationId}:${this.generations.get(organizationId) ?? 0}:${field}`;
    const hit = this.entries.get(key);
    if (hit) {
      this.metrics?.configCacheLookups.inc({ result: "hit" });
      return hit;
    }
    const loaded = await this.load(organizationId, featureType, clientId, field);
    this.entries.set(key, loaded);
    return loaded;
  }

  /** Forget everything cached for an organization (its configs, clients or limits changed). */
  invalidateOrganization(organizationId: string, cause: InvalidationCause = "local"): void {
    this.generations.set(organizationId, (this.generations.get(organizationId) ?? 0) + 1);
    this.metrics?.configCacheInvalidations.inc({ cause });
    if (!this.shared) return;
    const bump = this.shared
      .bump(organizationId)
      .catch((err) => {
        this.logger?.warn({ err, organizationId }, "shared config cache bump failed; entries expire by TTL");
      })
      .finally(() => {
        if (this.pendingBumps.get(organizationId) === bump) this.pendingBumps.delete(organizationId);
      });
    this.pendingBumps.set(organizationId, bump);
  }

  /** Forget everything (events may have been missed while the listener was away). */
  clear(): void {
    const organizations = new Set(this.generations.keys());
    for (const key of this.entries.keys()) organizations.add(key.slice(0, key.indexOf(":")));
    for (const organizationId of organizations) this.invalidateOrganization(organizationId, "resync");
    this.entries.clear();
  }

  private async load(
    organizationId: string,
    featureType: FeatureType,
    clientId: string | null,
    field: string,
  ): Promise<RequestConfig> {
    if (!this.shared) {
      this.metrics?.configCacheLookups.inc({ result: "miss" });
      return loadRequestConfig(this.db, organizationId, featureType, clientId);
    }
    // The shared layer is an optimisation: when Redis fails, the database answers.
    let generation: string | null = null;
    await this.pendingBumps.get(organizationId);
    try {
      const found = await this.shared.read(organizationId, field);
      generation = found.generation;
      if (found.value) {
        this.metrics?.configCacheLookups.inc({ result: "shared_hit" });
        return found.value as RequestConfig;
      }
    } catch (err) {
      this.logger?.warn({ err }, "shared config cache read failed");
    }
    this.metrics?.configCacheLookups.inc({ result: "miss" });
    const loaded = await loadRequestConfig(this.db, organizationId, featureType, clientId);
    if (generation !== null) {
      this.shared.write(organizationId, field, generation, loaded).catch((err) => {
        this.logger?.warn({ err }, "shared config cache write failed");
      });
    }
    return loaded;
  }
}
