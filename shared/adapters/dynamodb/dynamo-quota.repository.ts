import { DeleteCommand, GetCommand, PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { queryAll } from './query-all';
import type { QuotaRepository } from '#domain/quotas/quotas.port';
import { quotaSchema, type Quota } from '#domain/quotas/quota.schema';
import * as keys from './table-keys';
import { withoutKeys } from './keys';

/**
 * Quotas of an org live in one partition: the submit path and the scheduler read them with one Query, and
 * a short cache (default 10 s) keeps that off the warm submit path. A change made through this instance
 * clears its cache at once; other instances see it within the TTL (documented in the README).
 */
export class DynamoQuotaRepository implements QuotaRepository {
  private readonly cache = new Map<string, { quotas: Quota[]; until: number }>();

  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly cacheTtlMs = 10_000,
  ) {}

  async forOrg(orgId: string): Promise<Quota[]> {
    const cached = this.cache.get(orgId);
    if (cached && cached.until > Date.now()) return cached.quotas;
    const items = await queryAll(this.doc, {
      TableName: this.tableName,
      KeyConditionExpression: 'pk = :p',
      ExpressionAttributeValues: { ':p': keys.quotaPartition(orgId) },
    });
    const quotas = items.map((item) => quotaSchema.parse(withoutKeys(item)));
    this.cache.set(orgId, { quotas, until: Date.now() + this.cacheTtlMs });
    return quotas;
  }

  async get(orgId: string, id: string): Promise<Quota | undefined> {
    const result = await this.doc.send(new GetCommand({ TableName: this.tableName, Key: keys.quota(orgId, id), ConsistentRead: true }));
    return result.Item ? quotaSchema.parse(withoutKeys(result.Item)) : undefined;
  }

  async put(quota: Quota): Promise<void> {
    const item = quotaSchema.parse(quota);
    await this.doc.send(new PutCommand({ TableName: this.tableName, Item: { ...item, ...keys.quota(item.orgId, item.id) } }));
    this.cache.delete(item.orgId);
  }

  async delete(orgId: string, id: string): Promise<boolean> {
    const result = await this.doc.send(
      new DeleteCommand({ TableName: this.tableName, Key: keys.quota(orgId, id), ReturnValues: 'ALL_OLD' }),
    );
    this.cache.delete(orgId);
    return result.Attributes !== undefined;
  }
}
