import { GetCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { ResourceRuleRepository } from '#domain/authz/authz.port';
import { resourceRuleSchema, type ResourceRule } from '#domain/authz/resource-rule.schema';
import { MAX_PERMISSION_CACHE_MS } from './dynamo-level.repository';
import { deleteExisting, putVersioned } from './dynamo-versioned';
import * as keys from './table-keys';
import { withoutKeys } from './keys';
import { queryAll } from './query-all';

/**
 * Resource rules (`ORG#<orgId>#RULES` / `RULE#<id>`). The submit path reads an org's rules from a cache of
 * at most 60 s, so a warm function checks rules without a round trip (docs/budgets.md); a change is seen at once
 * by the process that made it and by every other within the window.
 */
export class DynamoResourceRuleRepository implements ResourceRuleRepository {
  private readonly cache = new Map<string, { rules: ResourceRule[]; until: number }>();
  private readonly ttlMs: number;

  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
    ttlMs = 30_000,
  ) {
    this.ttlMs = Math.min(Math.max(0, ttlMs), MAX_PERMISSION_CACHE_MS);
  }

  async forOrg(orgId: string): Promise<ResourceRule[]> {
    const cached = this.cache.get(orgId);
    if (cached && cached.until > Date.now()) return cached.rules;
    const items = await queryAll(this.doc, {
      TableName: this.tableName,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': keys.resourceRulePartition(orgId) },
    });
    const rules = items.map((item) => resourceRuleSchema.parse(withoutKeys(item)));
    if (this.ttlMs > 0) this.cache.set(orgId, { rules, until: Date.now() + this.ttlMs });
    return rules;
  }

  async get(orgId: string, id: string): Promise<ResourceRule | undefined> {
    const result = await this.doc.send(
      new GetCommand({ TableName: this.tableName, Key: keys.resourceRule(orgId, id), ConsistentRead: true }),
    );
    return result.Item ? resourceRuleSchema.parse(withoutKeys(result.Item)) : undefined;
  }

  async save(rule: ResourceRule, expectedVersion: number): Promise<boolean> {
    const item = resourceRuleSchema.parse(rule);
    const saved = await putVersioned(this.doc, this.tableName, { ...item, ...keys.resourceRule(item.orgId, item.id) }, expectedVersion);
    this.cache.delete(item.orgId);
    return saved;
  }

  async remove(orgId: string, id: string): Promise<boolean> {
    const removed = await deleteExisting(this.doc, this.tableName, keys.resourceRule(orgId, id));
    this.cache.delete(orgId);
    return removed;
  }
}
