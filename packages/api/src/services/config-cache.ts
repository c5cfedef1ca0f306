import type { FeatureType } from "@wedsync/core";
import { LRUCache } from "lru-cache";
import type { Database } from "../infra/database";
import { loadRequestConfig, type RequestConfig } from "./request-config";

/**
 * Effective configurations on the processing hot path, cached in process. A change made through
 * this instance invalidates its organization at once (a generation bump, O(1)); the short TTL
 * bounds how long another instance's change can go unseen until change events reach it.
 */
export class ConfigCache {
  private readonly entries: LRUCache<string, RequestConfig>;
  private readonly generations = new Map<string, number>();

  constructor(
    private readonly db: Database,
    ttlMs = 5_000,
  ) {
    this.entries = new LRUCache({ max: 50_000, ttl: ttlMs });
  }

  async get(
    organizationId: string,
    featureType: FeatureType,
    clientId: string | null,
  ): Promise<RequestConfig> {
    const key = `${organizationId}:${this.generations.get(organizationId) ?? 0}:${featureType}:${clientId ?? ""}`;
    const hit = this.entries.get(key);
    if (hit) return hit;
    const loaded = await loadRequestConfig(this.db, organizationId, featureType, clientId);
    this.entries.set(key, loaded);
    return loaded;
  }

  /** Forget everything cached for an organization (its configs, clients or limits changed). */
  invalidateOrganization(organizationId: string): void {
    this.generations.set(organizationId, (this.generations.get(organizationId) ?? 0) + 1);
  }
}
