import { GetCommand, PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import * as z from 'zod/mini';
import type { ConcurrencyLimits } from '#domain/quotas/concurrency';
import type { LimitsSource } from '#domain/quotas/quotas.port';
import * as keys from './table-keys';

const storedLimitsSchema = z.object({
  maxConcurrent: z.optional(z.number().check(z.int(), z.gte(1))),
  userMaxConcurrent: z.optional(z.number().check(z.int(), z.gte(1))),
});

/**
 * Concurrency limits: the `SETTINGS/LIMITS` item when an admin set one, else the deployment defaults.
 * Cached briefly (default 10 s) so the warm submit path does not pay a read for them.
 */
export class DynamoLimitsSource implements LimitsSource {
  private cached: { limits: ConcurrencyLimits; until: number } | undefined;

  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly defaults: ConcurrencyLimits,
    private readonly cacheTtlMs = 10_000,
  ) {}

  async current(): Promise<ConcurrencyLimits> {
    if (this.cached && this.cached.until > Date.now()) return this.cached.limits;
    const result = await this.doc.send(new GetCommand({ TableName: this.tableName, Key: keys.limits(), ConsistentRead: true }));
    const stored = storedLimitsSchema.parse(result.Item ?? {});
    const limits = {
      maxConcurrent: stored.maxConcurrent ?? this.defaults.maxConcurrent,
      userMaxConcurrent: stored.userMaxConcurrent ?? this.defaults.userMaxConcurrent,
    };
    this.cached = { limits, until: Date.now() + this.cacheTtlMs };
    return limits;
  }

  /** Stores new limits (holders of `platform.config`); this instance sees them at once, others within the TTL. */
  async set(limits: ConcurrencyLimits, updatedBy: string): Promise<ConcurrencyLimits> {
    await this.doc.send(
      new PutCommand({ TableName: this.tableName, Item: { ...keys.limits(), ...limits, updatedBy, updatedAt: new Date().toISOString() } }),
    );
    this.cached = { limits, until: Date.now() + this.cacheTtlMs };
    return limits;
  }
}
