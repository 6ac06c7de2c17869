import { GetCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { LevelCatalog } from '#domain/authz/authz.port';
import { customLevelSchema, type CustomLevel } from '#domain/authz/level.schema';
import { deleteExisting, putVersioned } from './dynamo-versioned';
import * as keys from './table-keys';
import { withoutKeys } from './keys';
import { queryAll } from './query-all';

/** docs/permissions.md: effective permissions are cached at most 60 s. Larger values are clamped to it. */
export const MAX_PERMISSION_CACHE_MS = 60_000;

/**
 * Custom levels (`ORG#<orgId>#LEVELS` / `LEVEL#<name>`). Lookups by the access gate are cached for at most
 * 60 s (a changed level reaches other function instances within that window, which is documented) and
 * dropped at once in the process that saved or removed the level.
 */
export class DynamoLevelCatalog implements LevelCatalog {
  private readonly cache = new Map<string, { value: CustomLevel | undefined; until: number }>();
  private readonly ttlMs: number;

  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
    ttlMs = MAX_PERMISSION_CACHE_MS,
    private readonly now: () => number = Date.now,
  ) {
    this.ttlMs = Math.min(Math.max(0, ttlMs), MAX_PERMISSION_CACHE_MS);
  }

  async get(orgId: string, name: string): Promise<CustomLevel | undefined> {
    const cacheKey = `${orgId}/${name}`;
    const cached = this.cache.get(cacheKey);
    if (cached && cached.until > this.now()) return cached.value;
    const result = await this.doc.send(new GetCommand({ TableName: this.tableName, Key: keys.customLevel(orgId, name) }));
    const value = result.Item ? customLevelSchema.parse(withoutKeys(result.Item)) : undefined;
    if (this.ttlMs > 0) this.cache.set(cacheKey, { value, until: this.now() + this.ttlMs });
    return value;
  }

  async list(orgId: string): Promise<CustomLevel[]> {
    const items = await queryAll(this.doc, {
      TableName: this.tableName,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': keys.customLevelPartition(orgId) },
      ConsistentRead: true,
    });
    return items.map((item) => customLevelSchema.parse(withoutKeys(item)));
  }

  async save(level: CustomLevel, expectedVersion: number): Promise<boolean> {
    const item = customLevelSchema.parse(level);
    const saved = await putVersioned(this.doc, this.tableName, { ...item, ...keys.customLevel(item.orgId, item.name) }, expectedVersion);
    this.cache.delete(`${item.orgId}/${item.name}`);
    return saved;
  }

  async remove(orgId: string, name: string): Promise<void> {
    await deleteExisting(this.doc, this.tableName, keys.customLevel(orgId, name));
    this.cache.delete(`${orgId}/${name}`);
  }
}
